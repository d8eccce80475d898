"""Emails from co-design carry absolute links on `SITE_URL` (the public address, from the environment):
the "you said, we did" notice links to the decision and to the lab's trail, and no link in it points
anywhere else."""

import re

from django.core import mail

from coproduce.design import services


def test_decision_notice_links_start_with_the_site_url(lab, conversation, personas, settings):
    settings.SITE_URL = "https://coproduce.riverton.example"
    staff, carla = personas["staff"], personas["citizen"]
    services.cast_vote(carla, conversation, 0, 1)
    insight = services.create_insight(staff, lab, title="Respite is hard to book",
                                      statements=[conversation.statements.get(number=0)])
    decision = services.create_decision(staff, lab, title="Online respite booking", insights=[insight])
    services.set_stage(staff, lab, "decide")
    mail.outbox.clear()
    services.publish_decision(staff, decision)
    [message] = mail.outbox
    links = re.findall(r"\w+://\S+", message.body)
    assert links == [f"https://coproduce.riverton.example{decision.get_absolute_url()}",
                     f"https://coproduce.riverton.example{lab.get_absolute_url()}trail/"]


def test_the_default_site_url_is_the_development_server(settings):
    from coproduce.design.tasks import site_url

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_url("/labs/x/trail/") == "http://127.0.0.1:8000/labs/x/trail/"
    settings.SITE_URL = "https://example.org/"
    assert site_url("labs/x/") == "https://example.org/labs/x/"
