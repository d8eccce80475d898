"""What co-design holds about a person, and how it is erased.

Erasure unlinks the person from their participations, statements and feedback but keeps the votes,
anonymous, so the opinion analyses (and the decisions citing them) stay valid. Answers to demographic
questions, invitations and the follow-ups to tell them of decisions offline are deleted.
"""

from .models import Answer, Feedback, FollowUp, Invitation, Participant, Statement, Vote


def export(person) -> dict:
    participations = list(
        Participant.objects.filter(person=person).select_related("conversation__lab").order_by("pk")
    )
    ids = [p.pk for p in participations]
    return {
        "participations": [
            {"lab": p.conversation.lab.title, "conversation": p.conversation.title, "participant": p.number,
             "since": p.created_at.isoformat()}
            for p in participations
        ],
        "statements": [
            {"conversation": s.conversation.title, "text": s.text, "status": s.get_status_display(),
             "written": s.created_at.isoformat()}
            for s in Statement.objects.filter(author_id__in=ids).select_related("conversation").order_by("pk")
        ],
        "votes": [
            {"conversation": v.conversation.title, "statement": v.statement.text, "vote": v.value,
             "updated": v.updated_at.isoformat()}
            for v in Vote.objects.filter(participant_id__in=ids).select_related("conversation", "statement")
            .order_by("pk")
        ],
        "answers": [
            {"question": a.question.text, "answer": a.question.choices[a.choice]
             if a.choice < len(a.question.choices) else a.choice, "channel": a.channel,
             "entered_by_staff": a.entered_by_id is not None}
            for a in Answer.objects.filter(participant_id__in=ids).select_related("question").order_by("pk")
        ],
        "feedback": [
            {"lab": f.lab.title, "kind": f.kind, "text": f.text, "given": f.created_at.isoformat(),
             "channel": f.channel, "recorded_by_staff_on_your_behalf": f.on_behalf}
            for f in Feedback.objects.filter(person=person).select_related("lab").order_by("pk")
        ],
        "invitations": [i.lab.title for i in Invitation.objects.filter(person=person).select_related("lab")],
        "decisions_to_tell_you_offline": [
            {"lab": f.decision.lab.title, "decision": f.decision.title,
             "told": f.told_at.isoformat() if f.told_at else None, "how": f.channel, "note": f.note}
            for f in FollowUp.objects.filter(person=person).select_related("decision__lab").order_by("pk")
        ],
    }


def erase(person) -> None:
    participations = Participant.objects.filter(person=person)
    Answer.objects.filter(participant__in=participations).delete()
    participations.update(person=None, session_key=None, label="", external_id="")
    Feedback.objects.filter(person=person).update(person=None)
    Invitation.objects.filter(person=person).delete()
    FollowUp.objects.filter(person=person).delete()
