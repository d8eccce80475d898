"""Who is in each opinion group: the answers to a conversation's optional demographic questions,
counted per opinion group of the latest analysis, with small counts suppressed.

Only answers people chose to give are used (the demographic questions are optional). Any count below
`THRESHOLD` — in a cell, or the number of a group's members who answered a question — is never shown:
it reads "fewer than 5", and its percentage is withheld, so nobody can be picked out of a small group.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Analysis, Answer, Conversation, Question, group_label

THRESHOLD = 5


@dataclass
class Count:
    """One count as it may be shown: `value` is None when suppressed."""

    value: int | None
    percent: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.value is None:
            return _("fewer than %(n)s") % {"n": THRESHOLD}
        return f"{self.value} ({self.percent}%)" if self.percent is not None else str(self.value)


@dataclass
class Row:
    choice: int
    label: str
    counts: list[Count]


@dataclass
class QuestionBreakdown:
    question: Question
    answered: list[Count]  # per group: how many of its members answered
    rows: list[Row] = field(default_factory=list)


@dataclass
class Breakdown:
    groups: list[dict]  # {"index", "label", "size"}
    questions: list[QuestionBreakdown]


def shown(n: int, of: int | None = None) -> Count:
    if n < THRESHOLD:
        return Count(None)
    if of is None or of < THRESHOLD:
        return Count(n)
    return Count(n, round(100 * n / of))


def breakdown(conversation: Conversation, analysis: Analysis | None) -> Breakdown:
    """The breakdown of every question by opinion group (two queries, whatever the size)."""
    result = analysis.result if analysis is not None else {}
    group_of = {int(p): int(g) for p, g in (result.get("groups") or {}).items()}
    indices = sorted(set(group_of.values()))
    sizes = defaultdict(int)
    for g in group_of.values():
        sizes[g] += 1
    groups = [{"index": g, "label": str(group_label(g)), "size": sizes[g]} for g in indices]
    questions = list(Question.objects.filter(conversation=conversation).order_by("position", "id"))
    counts: dict[int, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    answered: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, choice, number in (Answer.objects.filter(question__conversation=conversation)
                                        .values_list("question_id", "choice", "participant__number")):
        group = group_of.get(number)
        if group is None:
            continue  # not (yet) placed in a group
        counts[question_id][(choice, group)] += 1
        answered[question_id][group] += 1
    out = []
    for question in questions:
        per_group = answered[question.pk]
        item = QuestionBreakdown(question, [shown(per_group[g]) for g in indices])
        for choice, label in enumerate(question.choices):
            item.rows.append(Row(choice, label, [shown(counts[question.pk][(choice, g)], per_group[g])
                                                 for g in indices]))
        out.append(item)
    return Breakdown(groups, out)


def as_json(data: Breakdown) -> dict:
    def count(c: Count) -> dict:
        return {"count": c.value, "percent": c.percent, "suppressed": c.suppressed, "display": c.display}

    return {
        "threshold": THRESHOLD,
        "groups": data.groups,
        "questions": [
            {"id": q.question.pk, "text": q.question.text,
             "answered": [dict(group=g["index"], **count(c)) for g, c in zip(data.groups, q.answered, strict=True)],
             "choices": [{"choice": r.choice, "label": r.label,
                          "groups": [dict(group=g["index"], **count(c))
                                     for g, c in zip(data.groups, r.counts, strict=True)]} for r in q.rows]}
            for q in data.questions
        ],
    }
