"""The demo town's lab: a conversation with enough votes for opinion groups, themes, an insight and a
published decision whose people were told."""

from django.core import mail

from coproduce.core import demo as core_demo
from coproduce.design import demo
from coproduce.design.models import Analysis, Answer, Decision, Feedback, Theme, VoteEvent


def test_demo_lab(db):
    town = core_demo.load_core()
    lab = demo.load(town)
    assert lab.title == "Dementia support in Riverton" and lab.organisation.name == "Adult Social Care"
    conversation = lab.conversations.get()
    analysis = Analysis.objects.get(conversation=conversation)
    assert analysis.group_count >= 2 and analysis.participant_count >= 40
    assert VoteEvent.objects.filter(channel="paper").exists() and VoteEvent.objects.filter(channel="web").exists()
    assert Answer.objects.filter(channel="paper", entered_by__isnull=False).exists()  # typed in from paper
    assert Feedback.objects.filter(lab=lab, on_behalf=True).exists()
    assert Feedback.objects.filter(lab=lab).count() >= 10 and Theme.objects.filter(lab=lab).count() >= 2
    assert Theme.objects.filter(lab=lab, label="Respite at short notice").exists()
    decision = Decision.objects.get(lab=lab)
    assert decision.status == "published" and decision.insights.get().group_citations.count() >= 2
    assert len(mail.outbox) >= 10
