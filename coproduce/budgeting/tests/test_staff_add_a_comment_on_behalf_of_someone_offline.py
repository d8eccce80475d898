"""A comment made on paper, by phone or in person is written down by staff of the organisation
running the process, under the commenter's name and recorded as on their behalf. Others may not,
and a bad request writes nothing."""

import pytest

from coproduce.budgeting.models import Comment
from coproduce.core.models import AuditEntry


@pytest.fixture
def nell(personas, world):
    from coproduce.core import services as core_services

    return core_services.register_person(personas["org_admin"], world.council, consent=True, name="Nell Offline")


def url(pb, name="Skate park"):
    return f"/budgeting/{pb.process.slug}/proposals/{pb.proposals[name].pk}/"


def test_staff_write_down_a_phone_comment(pb, personas, client_as, nell):
    admin = client_as(personas["org_admin"])
    content = admin.get(url(pb)).content.decode()
    assert "Add a comment on someone's behalf" in content and 'id="cob_on_behalf_of"' in content
    response = admin.post(url(pb) + "comment/", {"body": "Please add a bench.", "on_behalf_of": nell.pk,
                                                 "channel": "phone"})
    assert response.status_code == 302 and response["Location"] == url(pb)
    comment = Comment.objects.get()
    assert (comment.author, comment.channel, comment.body) == (nell, "phone", "Please add a bench.")
    pb.proposals["Skate park"].refresh_from_db()
    assert pb.proposals["Skate park"].comment_count == 1
    entry = AuditEntry.objects.get(action="proposal.comment")
    assert (entry.actor, entry.on_behalf_of, entry.channel) == (personas["org_admin"], nell, "phone")
    assert "Nell Offline" in admin.get(url(pb)).content.decode()


def test_citizens_do_not_see_the_staff_form_and_their_own_comment_is_theirs(pb, personas, client_as):
    citizen = client_as(personas["citizen"])
    assert "cob_on_behalf_of" not in citizen.get(url(pb)).content.decode()
    assert citizen.post(url(pb) + "comment/", {"body": "Yes please"}).status_code == 302
    entry = AuditEntry.objects.get(action="proposal.comment")
    assert entry.on_behalf_of is None and entry.channel == "web"
    assert Comment.objects.get().author == personas["citizen"].person


def test_a_comment_on_behalf_must_name_the_person_and_the_channel(pb, personas, client_as, nell):
    admin = client_as(personas["org_admin"])
    response = admin.post(url(pb) + "comment/", {"body": "No name", "channel": "paper"})
    assert response.status_code == 400 and "on_behalf_of" in response.context["form"].errors
    response = admin.post(url(pb) + "comment/", {"body": "No channel", "on_behalf_of": nell.pk, "channel": "web"})
    assert response.status_code == 400 and "channel" in response.context["form"].errors
    assert not Comment.objects.exists() and not AuditEntry.objects.filter(action="proposal.comment").exists()


@pytest.mark.parametrize("persona,status", [("anonymous", 302), ("citizen", 403), ("broker", 403),
                                            ("staff", 403), ("other_org", 403)])
def test_people_who_do_not_run_the_process_cannot_comment_for_someone_else(pb, personas, client_as, nell,
                                                                          persona, status):
    response = client_as(personas[persona]).post(url(pb) + "comment/", {
        "body": "Pretending", "on_behalf_of": nell.pk, "channel": "phone"})
    assert response.status_code == status
    assert not Comment.objects.exists()


def test_after_the_review_a_comment_on_behalf_is_refused(pb, personas, client_as, nell, phase):
    phase(pb.process, "vote")
    admin = client_as(personas["org_admin"])
    assert "cob_on_behalf_of" not in admin.get(url(pb)).content.decode()
    response = admin.post(url(pb) + "comment/", {"body": "Late", "on_behalf_of": nell.pk, "channel": "phone"})
    assert response.status_code == 400 and "cannot be done now" in response.content.decode()
    assert not Comment.objects.exists()
