"""Survey results: counts, percentages, means, medians, rankings and allocation averages.

A pure engine: plain Python, no Django imports, deterministic. The app feeds it plain data:

    questions: [{"id": 7, "kind": "single", "options": [...], "scale": [...]}, ...]
    responses: [{"id": 1, "answers": {7: 0, 8: [10, 90], ...}}, ...]

Answers are as the survey services store them (already validated): an option index (single), a list
of option indices (multiple), a scale point 1..n (likert), a number as text (number), text, the option
indices in ranked order (ranking), one scale point per row (matrix), and the points given to each
option, summing to the question's total (allocation).

Every average is an exact `Fraction`; `rounded()` turns one into a Decimal for display.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median

ALLOCATION_TOTAL = 100
NO_GROUP = None  # the group of respondents who did not answer the grouping question


def rounded(value: Fraction | Decimal | int | None, places: int = 1) -> Decimal | None:
    """A Fraction (or number) as a Decimal rounded half up to `places` decimals."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole) if whole else Fraction(0)


def _counts(labels: list[str], picked: list[int], answered: int) -> list[dict]:
    """[{index, label, count, percent}] where percent is of the people who answered the question."""
    tally = [0] * len(labels)
    for index in picked:
        if 0 <= index < len(labels):
            tally[index] += 1
    return [{"index": i, "label": label, "count": tally[i], "percent": _percent(tally[i], answered)}
            for i, label in enumerate(labels)]


def _mean(values: list) -> Fraction | None:
    """The exact mean of ints or Decimals (summed as they are, then made one Fraction: fast)."""
    return Fraction(sum(values)) / len(values) if values else None


def single_choice(question: dict, values: list) -> dict:
    return {"answered": len(values), "options": _counts(question["options"], list(values), len(values))}


def multiple_choice(question: dict, values: list) -> dict:
    picked = [i for value in values for i in set(value)]
    return {"answered": len(values), "options": _counts(question["options"], picked, len(values))}


def likert(question: dict, values: list) -> dict:
    scale = question["scale"]
    counts = _counts(scale, [v - 1 for v in values], len(values))
    for row in counts:
        row["point"] = row["index"] + 1
    return {"answered": len(values), "points": counts, "mean": _mean(list(values))}


def number(question: dict, values: list) -> dict:
    numbers = sorted(Decimal(str(v)) for v in values)
    return {
        "answered": len(numbers),
        "mean": _mean(numbers),
        "median": Fraction(median(numbers)) if numbers else None,
        "minimum": numbers[0] if numbers else None,
        "maximum": numbers[-1] if numbers else None,
    }


def text(question: dict, values: list) -> dict:
    return {"answered": len(values), "texts": [v for v in values if v]}


def ranking(question: dict, values: list) -> dict:
    """Average rank per option (1 = first), how often it came first, best average first."""
    options = question["options"]
    rank_sums = [0] * len(options)
    firsts = [0] * len(options)
    for order in values:
        for rank, index in enumerate(order, start=1):
            rank_sums[index] += rank
        if order:
            firsts[order[0]] += 1
    rows = [{"index": i, "label": label,
             "average_rank": Fraction(rank_sums[i], len(values)) if values else None,
             "first": firsts[i], "first_percent": _percent(firsts[i], len(values))}
            for i, label in enumerate(options)]
    rows.sort(key=lambda r: (r["average_rank"] if r["average_rank"] is not None else 0, r["index"]))
    return {"answered": len(values), "options": rows}


def matrix(question: dict, values: list) -> dict:
    scale = question["scale"]
    rows = []
    for r, label in enumerate(question["options"]):
        points = [value[r] for value in values if value[r] is not None]
        counts = _counts(scale, [p - 1 for p in points], len(points))
        for cell in counts:
            cell["point"] = cell["index"] + 1
        rows.append({"index": r, "label": label, "points": counts, "mean": _mean(points)})
    return {"answered": len(values), "scale": scale, "rows": rows}


def _average_allocation(allocations: list[list[int]], width: int) -> list[Fraction] | None:
    if not allocations:
        return None
    return [Fraction(sum(a[i] for a in allocations), len(allocations)) for i in range(width)]


def allocation(question: dict, answers: list[tuple[int, list[int]]], groups: dict | None = None,
               group_labels: list[str] | None = None) -> dict:
    """The average share given to each option, overall and per respondent group.

    `answers`: [(response id, points per option)]. `groups`: {response id: option index of the grouping
    question} (a response missing from it is in the "no answer" group). The per-respondent table lists
    every response with its group; its average row is the overall average."""
    options = question["options"]
    width = len(options)
    overall = _average_allocation([points for _rid, points in answers], width)
    result = {"answered": len(answers), "options": options, "overall": overall, "groups": [], "respondents": []}
    for response_id, points in answers:
        group = (groups or {}).get(response_id, NO_GROUP) if groups is not None else NO_GROUP
        result["respondents"].append({"response": response_id, "group": group, "points": points})
    if groups is not None:
        labels = group_labels or []
        members: dict = {}
        for response_id, points in answers:
            members.setdefault(groups.get(response_id, NO_GROUP), []).append(points)
        order = [i for i in range(len(labels)) if i in members] + ([NO_GROUP] if NO_GROUP in members else [])
        for key in order:
            result["groups"].append({
                "group": key, "label": labels[key] if key is not NO_GROUP else None,
                "respondents": len(members[key]), "average": _average_allocation(members[key], width)})
    return result


COMPUTE = {"single": single_choice, "multiple": multiple_choice, "likert": likert, "number": number,
           "text": text, "ranking": ranking, "matrix": matrix}


def compute(questions: list[dict], responses: list[dict], group_question_id: int | None = None) -> list[dict]:
    """Results for every question, in the order given. Allocation questions are grouped by the answer
    to `group_question_id` (a single-choice question of the same survey) when it is given."""
    columns: dict = {}
    for r in responses:
        for qid, value in r["answers"].items():
            columns.setdefault(qid, {})[r["id"]] = value
    return compute_columns(questions, [r["id"] for r in responses], columns, group_question_id)


def compute_columns(questions: list[dict], response_ids: list, columns: dict,
                    group_question_id: int | None = None) -> list[dict]:
    """`compute` from the answers held per question: `columns` is {question id: {response id: answer}}
    and `response_ids` lists every response, oldest first (free texts and the per-respondent
    allocation table follow that order). Reading answers this way touches each answer once."""
    groups = None
    group_labels = None
    if group_question_id is not None:
        group_q = next((q for q in questions if q["id"] == group_question_id and q["kind"] == "single"), None)
        if group_q is not None:
            group_labels = group_q["options"]
            groups = {rid: v for rid, v in columns.get(group_question_id, {}).items() if v is not None}
    results = []
    for q in questions:
        column = columns.get(q["id"], {})
        if q["kind"] == "allocation":
            answers = [(rid, column[rid]) for rid in response_ids if column.get(rid) is not None]
            body = allocation(q, answers, groups, group_labels)
        else:
            given = (column.get(rid) for rid in response_ids) if q["kind"] == "text" else column.values()
            values = [v for v in given if v not in (None, "", [])]
            body = COMPUTE[q["kind"]](q, values)
        results.append({"question": q, "responses": len(response_ids), **body})
    return results


def headline(question: dict, values: list, chosen: list[int]) -> Fraction | None:
    """The single figure an outcome indicator takes from a question: the percentage of answers among
    `chosen` (option indices for choices, scale points for Likert), the mean for numbers, the average
    share of the first chosen option for allocations. None for other kinds or without answers."""
    if not values:
        return None
    kind = question["kind"]
    if kind == "single":
        chosen = chosen or [0]
        return _percent(sum(1 for v in values if v in chosen), len(values))
    if kind == "multiple":
        chosen = chosen or [0]
        return _percent(sum(1 for v in values if set(v) & set(chosen)), len(values))
    if kind == "likert":
        top = len(question["scale"])
        chosen = chosen or [top - 1, top]
        return _percent(sum(1 for v in values if v in chosen), len(values))
    if kind == "number":
        return _mean([Decimal(str(v)) for v in values])
    if kind == "allocation":
        index = chosen[0] if chosen else 0
        return Fraction(sum(v[index] for v in values), len(values))
    return None
