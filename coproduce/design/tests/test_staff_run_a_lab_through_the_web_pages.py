"""The whole journey through the pages, without JavaScript: staff set up a lab and a conversation,
people vote, answer a question and write statements, staff record feedback, an insight and a decision,
move the lab on and publish; the public trail shows it."""

from coproduce.design.models import Answer, Conversation, Decision, Insight, Lab, Statement


def test_a_lab_from_start_to_published_decision(personas, client_as, world):
    staff = client_as(personas["staff"])
    carla = client_as(personas["citizen"])
    response = staff.post("/labs/new/", {"organisation": world.service.pk, "title": "Day centres",
                                         "challenge": "Opening hours", "target_users": "Carers",
                                         "participation": "open"})
    lab = Lab.objects.get(title="Day centres")
    assert response.status_code == 302 and response["Location"] == lab.get_absolute_url()
    response = staff.post(f"/labs/{lab.slug}/conversations/new/", {
        "title": "When should day centres open?", "question": "Tell us", "moderation": "pre",
        "statements_allowed": "on", "is_open": "on"})
    conversation = Conversation.objects.get(lab=lab)
    base = f"/labs/{lab.slug}/conversations/{conversation.pk}/"
    assert response["Location"] == f"{base}settings/"
    for text in ("Saturdays matter most", "Evenings matter most", "Weekday mornings are enough"):
        staff.post(f"{base}seed/", {"seed-text": text})
    staff.post(f"{base}question/", {"question-text": "Are you a carer?", "question-choices": "Yes\nNo"})
    response = staff.post(f"{base}settings/", {"settings-title": "When should day centres open?",
                                               "settings-moderation": "post", "settings-is_open": "on",
                                               "settings-statements_allowed": "on"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.moderation == "post" and conversation.statements.count() == 3

    page = carla.get(base)
    assert "Are you a carer?" in page.content.decode()
    question = conversation.questions.get()
    carla.post(f"{base}questions/{question.pk}/", {"choice": "0"})
    assert Answer.objects.get().choice == 0
    first = page.context["next"]
    response = carla.post(f"{base}vote/", {"statement": first.number, "vote": "1"}, follow=True)
    assert response.context["next"] is not None and response.context["next"].number != first.number
    carla.post(f"{base}statements/", {"text": "Sunday afternoons too"})
    assert Statement.objects.filter(text="Sunday afternoons too", status=0).exists()

    staff.post(f"/labs/{lab.slug}/feedback/", {"kind": "workshop", "text": "Saturday opening came up a lot",
                                               "channel": "in_person"})
    staff.post(f"/labs/{lab.slug}/feedback/", {"kind": "story", "text": "I work weekdays so Saturday is my only time",
                                               "channel": "phone"})
    staff.post(f"/labs/{lab.slug}/themes/", {"action": "find"})
    theme = lab.themes.first()
    saturday = conversation.statements.get(text="Saturdays matter most")
    response = staff.post(f"/labs/{lab.slug}/insights/", {"title": "Saturdays matter", "body": "Most said so",
                                                          "statements": [saturday.pk], "themes": [theme.pk]})
    insight = Insight.objects.get()
    assert response["Location"] == insight.get_absolute_url()
    response = staff.post(f"/labs/{lab.slug}/decisions/new/", {"title": "Open on Saturdays", "body": "From May",
                                                               "insights": [insight.pk]})
    decision = Decision.objects.get()
    staff.post(f"/labs/{lab.slug}/stage/", {"stage": "decide"})
    response = staff.post(f"/labs/{lab.slug}/decisions/{decision.pk}/publish/")
    decision.refresh_from_db()
    assert decision.status == "published"
    trail = client_as(None).get(f"/labs/{lab.slug}/trail/").content.decode()
    assert "Open on Saturdays" in trail and "Saturdays matter most" in trail and "Saturdays matter" in trail


def test_form_errors_show_next_to_the_field_and_change_nothing(personas, client_as, lab):
    client = client_as(personas["staff"])
    response = client.post(f"/labs/{lab.slug}/conversations/new/", {"title": "", "moderation": "pre"})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    lab.participation = "invitation"
    lab.save()
    response = client.post(f"/labs/{lab.slug}/conversations/new/", {
        "title": "Closed", "moderation": "pre", "anonymous_allowed": "on"})
    assert response.status_code == 200
    assert "only possible in labs open to everyone" in response.context["form"].errors["anonymous_allowed"][0]
    assert b'class="error"' in response.content
    assert not Conversation.objects.exists()
