"""Publishing a decision emails everyone whose statements, votes or feedback its insights cite:
"you said, we did" – and nobody else."""

from django.core import mail

from coproduce.core import services as core_services
from coproduce.design import services


def test_people_behind_the_cited_evidence_are_told(lab, conversation, personas):
    staff = personas["staff"]
    carla, bea, otto = personas["citizen"], personas["broker"], personas["other_org"]
    written = services.submit_statement(carla, conversation, "Book respite online")
    services.moderate_statement(staff, written, accept=True)
    services.cast_vote(bea, conversation, 0, 1)  # Bea voted on a cited statement
    services.cast_vote(otto, conversation, 2, 1)  # Otto voted only on a statement nobody cites
    nell = core_services.register_person(staff, lab.organisation, consent=True, name="Nell Offline",
                                         email="nell@example.org")
    item = services.add_feedback(staff, lab, text="Respite took weeks to arrange", person=nell, channel="paper",
                                 consent=True)
    services.add_feedback(staff, lab, text="The bus stopped running")
    services.store_themes(lab)
    item.refresh_from_db()
    insight = services.create_insight(staff, lab, title="Respite is too slow",
                                      statements=[written, conversation.statements.get(number=0)],
                                      themes=[item.theme])
    decision = services.create_decision(staff, lab, title="Respite within 48 hours", insights=[insight])
    services.set_stage(staff, lab, "decide")
    mail.outbox.clear()
    services.publish_decision(staff, decision)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["bea@example.org", "carla@example.org", "nell@example.org"]
    message = next(m for m in mail.outbox if m.to == ["carla@example.org"])
    assert "You said, we did" in message.subject and "Respite within 48 hours" in message.body


def test_members_of_a_cited_opinion_group_are_told(lab, conversation, personas):
    staff = personas["staff"]
    for name, votes in (("citizen", (1, 1, -1)), ("broker", (1, 1, -1)), ("other_org", (-1, -1, 1)),
                        ("org_admin", (-1, -1, 1))):
        for number, value in enumerate(votes):
            services.cast_vote(personas[name], conversation, number, value)
    analysis = conversation.analysis
    analysis.refresh_from_db()
    assert analysis.group_count >= 1
    group = analysis.result["groups"][str(services.find_participant(personas["citizen"], conversation).number)]
    insight = services.create_insight(staff, lab, title="A group wants groups", groups=[(conversation, group)])
    decision = services.create_decision(staff, lab, title="More groups", insights=[insight])
    services.set_stage(staff, lab, "decide")
    mail.outbox.clear()
    services.publish_decision(staff, decision)
    recipients = {m.to[0] for m in mail.outbox}
    assert "carla@example.org" in recipients
    members = set(insight.group_citations.get().participant_numbers)
    for name in ("citizen", "broker", "other_org", "org_admin"):
        number = services.find_participant(personas[name], conversation).number
        assert (f"{personas[name].username}@example.org" in recipients) == (number in members)
