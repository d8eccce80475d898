"""Every co-design page, for every persona: who gets in (200), who is sent to log in (302), who is
refused (403) and who is told a draft does not exist (404). Refusals are asserted like grants."""

import pytest
from django.core import mail

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import PolisUpload, Vote
from coproduce.testing import PERSONAS, assert_answer, row

PUBLIC = (200,) * 7
STAFF = (302, 403, 403, 200, 403, 200, 200)
MATRIX = [
    #                                                  anon citizen other staff broker oadmin padmin
    row("/labs/", *PUBLIC),
    row("/labs/new/", 302, 403, 200, 200, 200, 200, 200),
    row("/labs/{lab}/", *PUBLIC),
    row("/labs/{lab}/trail/", *PUBLIC),
    row("/labs/{lab}/edit/", *STAFF),
    row("/labs/{lab}/invitations/", *STAFF),
    row("/labs/{lab}/import/", *STAFF),
    row("/labs/{lab}/import/{upload}/", *STAFF),
    row("/labs/{closed}/import/{upload}/", 302, 403, 403, 404, 403, 404, 404),  # another lab's upload
    row("/labs/{lab}/feedback/", *STAFF),
    row("/labs/{lab}/feedback/give/", 302, 200, 200, 200, 200, 200, 200),
    row("/labs/{lab}/themes/", *STAFF),
    row("/labs/{lab}/themes/{theme}/", *STAFF),
    row("/labs/{lab}/insights/", *STAFF),
    row("/labs/{lab}/insights/{insight}/", *STAFF),
    row("/labs/{lab}/decisions/new/", *STAFF),
    row("/labs/{lab}/decisions/{draft}/", 302, 404, 404, 200, 404, 200, 200),
    row("/labs/{lab}/conversations/new/", *STAFF),
    row("/labs/{lab}/conversations/{c}/", *PUBLIC),
    row("/labs/{lab}/conversations/{c}/map/", *PUBLIC),
    row("/labs/{lab}/conversations/{c}/settings/", *STAFF),
    row("/labs/{lab}/conversations/{c}/moderation/", *STAFF),
    row("/labs/{lab}/conversations/{c}/paper/", *STAFF),
    row("/labs/{lab}/conversations/{c}/paper/answers/", *STAFF),
    row("/labs/{lab}/conversations/{c}/export.zip", *STAFF),
    row("/labs/{closed}/decisions/{published}/", *PUBLIC),
    row("/labs/{closed}/decisions/{published}/follow-up/", *STAFF),
]


@pytest.fixture
def things(lab, conversation, personas, world):
    staff = personas["staff"]
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    item = services.add_feedback(staff, lab, text="Respite is hard to book.")
    services.add_feedback(staff, lab, text="The bus to the group stopped.")
    services.store_themes(lab)
    item.refresh_from_db()
    statement = conversation.statements.get(number=0)
    insight = services.create_insight(staff, lab, title="Respite", statements=[statement], themes=[item.theme])
    draft = services.create_decision(staff, lab, title="Book respite faster", insights=[insight])
    closed = services.create_lab(staff, world.service, title="Closed lab")
    other = services.create_conversation(staff, closed, title="Earlier")
    services.add_seed_statement(staff, other, "Old statement")
    old_insight = services.create_insight(staff, closed, title="Old", statements=[other.statements.get()])
    published = services.create_decision(staff, closed, title="Done", insights=[old_insight])
    services.set_stage(staff, closed, "decide")
    services.publish_decision(staff, published)
    upload = PolisUpload.objects.create(lab=lab, title="Big one", status=PolisUpload.Status.FAILED,
                                        error="votes.csv line 2: no such comment")
    return {"lab": lab.slug, "c": conversation.pk, "theme": item.theme_id, "insight": insight.pk,
            "draft": draft.pk, "closed": closed.slug, "published": published.pk, "upload": upload.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, things):
    response = client_as(personas[persona]).get(url.format(**things))
    assert_answer(response, expected[persona], persona, url)


# POST actions: "ok" = done (and redirected back), "login" = sent to log in, 403 = refused.
ACTIONS = {
    "vote": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "vote_members_only": ("login", "ok", 403, "ok", "ok", "ok", "ok"),
    "moderate": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "stage": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "seed": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "publish": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "analyse": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "question": ("login", 403, 403, "ok", 403, "ok", "ok"),
    "answer": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "answer_members_only": ("login", "ok", 403, "ok", "ok", "ok", "ok"),
    "statement": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "statement_members_only": ("login", "ok", 403, "ok", "ok", "ok", "ok"),
    "feedback_members_only": ("login", "ok", 403, "ok", "ok", "ok", "ok"),
    "feedback_by_invitation": ("login", "ok", 403, "ok", 403, "ok", "ok"),
}


def _members_lab(personas, world):
    """A lab for members of the timebank, with one conversation and one seed statement (number 0)."""
    members = services.create_lab(personas["staff"], world.service, title="Timebank members only",
                                  participation="members", members_of=world.group)
    c = services.create_conversation(personas["staff"], members, title="Members' views")
    services.add_seed_statement(personas["platform_admin"], c, "Members first")
    return members, c


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_post_actions(persona, action, personas, client_as, lab, conversation, world):
    from coproduce.design.models import Answer, Decision, Feedback, Lab, Question, Statement

    user = personas[persona]
    client = client_as(user)
    expected = dict(zip(PERSONAS, ACTIONS[action], strict=True))[persona]
    base = f"/labs/{lab.slug}/conversations/{conversation.pk}"
    if action == "vote":
        response = client.post(f"{base}/vote/", {"statement": 0, "vote": 1})
        done = Vote.objects.filter(statement__number=0, statement__conversation=conversation).exists()
    elif action == "vote_members_only":
        members, c = _members_lab(personas, world)
        response = client.post(f"/labs/{members.slug}/conversations/{c.pk}/vote/", {"statement": 0, "vote": -1})
        done = Vote.objects.filter(conversation=c).exists()
    elif action == "moderate":
        statement = services.submit_statement(personas["citizen"], conversation, "A new idea")
        response = client.post(f"{base}/moderation/{statement.number}/", {"decision": "accept"})
        done = Statement.objects.get(pk=statement.pk).status == 1
    elif action == "stage":
        response = client.post(f"/labs/{lab.slug}/stage/", {"stage": "synthesise"})
        done = Lab.objects.get(pk=lab.pk).stage == "synthesise"
    elif action == "seed":
        response = client.post(f"{base}/seed/", {"seed-text": "Another seed"})
        done = conversation.statements.filter(text="Another seed").exists()
    elif action == "publish":
        staff = personas["staff"]
        services.cast_vote(personas["broker"], conversation, 0, 1)  # someone with email to tell
        insight = services.create_insight(staff, lab, title="Respite", statements=[conversation.statements.get(number=0)])
        draft = services.create_decision(staff, lab, title="Book respite faster", insights=[insight])
        services.set_stage(staff, lab, "decide")
        mail.outbox.clear()
        response = client.post(f"/labs/{lab.slug}/decisions/{draft.pk}/publish/")
        done = Decision.objects.get(pk=draft.pk).status == "published"
        assert bool(mail.outbox) == done  # a refusal tells nobody
    elif action == "analyse":
        response = client.post(f"{base}/analyse/")
        done = AuditEntry.objects.filter(action="conversation.analyse").exists()
    elif action == "question":
        response = client.post(f"{base}/question/", {"question-text": "Do you care for someone?",
                                                      "question-choices": "Yes\nNo"})
        done = Question.objects.filter(conversation=conversation).exists()
    elif action in ("answer", "answer_members_only"):
        c = conversation if action == "answer" else _members_lab(personas, world)[1]
        question = services.add_question(personas["platform_admin"], c, "Do you care for someone?", ["Yes", "No"])
        response = client.post(f"/labs/{c.lab.slug}/conversations/{c.pk}/questions/{question.pk}/", {"choice": 1})
        done = Answer.objects.filter(question=question, choice=1).exists()
    elif action in ("statement", "statement_members_only"):
        c = conversation if action == "statement" else _members_lab(personas, world)[1]
        response = client.post(f"/labs/{c.lab.slug}/conversations/{c.pk}/statements/", {"text": "Evening groups"})
        done = Statement.objects.filter(conversation=c, text="Evening groups").exists()
    else:  # feedback in a lab for members, or by invitation (the citizen is invited)
        if action == "feedback_members_only":
            closed = _members_lab(personas, world)[0]
        else:
            closed = services.create_lab(personas["staff"], world.service, title="Invited carers",
                                         participation="invitation")
            services.invite(personas["staff"], closed, personas["citizen"].person)
        response = client.post(f"/labs/{closed.slug}/feedback/give/", {"kind": "idea", "text": "Evening groups"})
        done = Feedback.objects.filter(lab=closed, text="Evening groups").exists()
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not done
    elif expected == 403:
        assert response.status_code == 403 and not done
    else:
        assert response.status_code == 302 and not response["Location"].startswith("/accounts/"), response
        assert done
