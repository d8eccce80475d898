"""Between the database and the pure engine (`budgeting.tally`): build an `Election` from a
budget's stored ballots, run the process's rule, and turn Pabulib elections into plain data.

Amounts: the app stores integer minor units; the engine and Pabulib files use major units, so
costs go to the engine as exact `Fraction(minor, 100)` and come back multiplied by 100.
Project ids in the engine are `Proposal.engine_id` (the Pabulib id for imported projects, else the
proposal's number), so tie-breaking by id matches `coproduce pb tally` on the same file.
"""

from fractions import Fraction

import numpy as np

from .models import Ballot, Budget, Process, Proposal
from .tally import Election, Project, tally
from .tally.rules import OFFICIAL_RULES, official_rule_name

# The process's counting rule as named in a Pabulib META `rule`, and back (the engine's names, so
# that `coproduce pb tally --rule official` recounts every file the app publishes).
PABULIB_RULES = {name: (rule, options.get("completion", "none"), options.get("comparison", False))
                 for name, (rule, options) in OFFICIAL_RULES.items()}


def pabulib_rule_name(process: Process) -> str:
    return official_rule_name(process.rule, process.completion, process.comparison)


def to_minor(value: Fraction) -> int:
    cents = Fraction(value) * 100
    if cents.denominator != 1:
        raise ValueError("more than two decimal places")
    return int(cents)


def point_columns(proposal: Proposal, fields: dict) -> dict:
    """Pabulib's optional `latitude`/`longitude` columns for a proposal with a point. The text the
    imported file had is kept (it is in `extra`) when it still gives the stored number, so a
    round trip writes the same characters; otherwise the shortest text that reads back the same."""
    if proposal.latitude is None or proposal.longitude is None:
        return {}
    columns = {}
    for name, value in (("latitude", proposal.latitude), ("longitude", proposal.longitude)):
        text = fields.get(name, "")
        try:
            same = float(text) == value
        except ValueError:
            same = False
        columns[name] = text if same else repr(value)
    return columns


def pabulib_point(fields: dict) -> tuple[float | None, float | None]:
    """The point of a Pabulib project's optional `latitude`/`longitude` columns, or (None, None)
    when they are missing, empty or not a valid point (the text is then still kept in `extra`)."""
    from django.core.exceptions import ValidationError

    from .services import clean_point

    try:
        return clean_point(fields.get("latitude"), fields.get("longitude"))
    except ValidationError:
        return None, None


def feasible_proposals(budget: Budget) -> list[Proposal]:
    return list(
        Proposal.objects.filter(budget=budget, status=Proposal.Status.FEASIBLE).order_by("id")
        .only("id", "external_id", "title", "cost", "cost_estimate", "pledged_money", "extra", "category_id",
              "latitude", "longitude")
    )


def ballot_arrays(budget: Budget, index: dict[int, int], weighted: bool):
    """CSR arrays (ptr, idx, points) of the budget's ballots, plus the count by channel."""
    ptr = [0]
    idx: list[int] = []
    pts: list[int] = []
    turnout: dict[str, int] = {}
    fields = ("choices", "points", "channel") if weighted else ("choices", "channel")
    # Ordered by the random primary key: the order says nothing about who voted when.
    for row in Ballot.objects.filter(budget=budget).order_by("id").values_list(*fields).iterator(chunk_size=5000):
        choices = row[0]
        channel = row[-1]
        turnout[channel] = turnout.get(channel, 0) + 1
        if weighted:
            for pid, value in zip(choices, row[1] or ()):
                j = index.get(pid)
                if j is not None:
                    idx.append(j)
                    pts.append(int(value))
        else:
            for pid in choices:
                j = index.get(pid)
                if j is not None:
                    idx.append(j)
        ptr.append(len(idx))
    points = np.array(pts, dtype=np.int64) if weighted else None
    return np.array(ptr, dtype=np.int64), np.array(idx, dtype=np.int32), points, turnout


def build_election(budget: Budget, *, proposals=None, selected_pks=(), for_export: bool = False):
    """The budget as an engine `Election`; also returns the proposals (engine order) and turnout."""
    process = budget.process
    proposals = feasible_proposals(budget) if proposals is None else proposals
    selected_pks = set(selected_pks)
    projects = []
    for p in proposals:
        # The cost the rule counts with, also in the export, so that the file recounts to the result;
        # where pledged money lowers it, the export adds the public cost and the money pledged.
        cost = Fraction(p.cost_for_rule(process.pledges_reduce_cost), 100)
        fields = {k: str(v) for k, v in (p.extra or {}).items()}
        fields.update(point_columns(p, fields))
        fields["project_id"] = p.engine_id
        fields["cost"] = _number(cost)
        fields["name"] = p.title
        if for_export:
            fields["selected"] = "1" if p.pk in selected_pks else "0"
            if process.pledges_reduce_cost:
                fields["public_cost"] = _number(Fraction(p.public_cost, 100))
                fields["pledged_money"] = _number(Fraction(p.pledged_money, 100))
        projects.append(Project(p.engine_id, cost, name=p.title, fields=fields))
    index = {p.pk: i for i, p in enumerate(proposals)}
    weighted = process.method == Process.Method.CUMULATIVE
    ptr, idx, points, turnout = ballot_arrays(budget, index, weighted)
    meta = {k: str(v) for k, v in (process.pabulib_meta or {}).items()}
    meta.update({
        "description": meta.get("description") or f"{process.title} – {budget.name}",
        "unit": meta.get("unit") or (budget.area.name if budget.area_id else (process.area.name if process.area_id else "")),
        "instance": meta.get("instance") or f"{process.slug}-{budget.pk}",
        "num_projects": str(len(projects)),
        "num_votes": str(len(ptr) - 1),
        "currency": process.currency,
        "rule": pabulib_rule_name(process),
        "tie_break": process.tie_break,
    })
    if process.max_choices:
        meta["max_length"] = str(process.max_choices)
    if process.min_choices:
        meta["min_length"] = str(process.min_choices)
    if process.points_total and weighted:
        meta["max_sum_points"] = str(process.points_total)
    if process.threshold is not None and process.rule == Process.Rule.GREEDY_THRESHOLD:
        meta["min_project_score_threshold"] = str(process.threshold)
    if process.vote_starts:
        meta.setdefault("date_begin", process.vote_starts.date().isoformat())
    if process.vote_ends:
        meta.setdefault("date_end", process.vote_ends.date().isoformat())
    columns = ["project_id", "cost", "name"] + sorted(
        {k for p in projects for k in p.fields} - {"project_id", "cost", "name", "selected"}
    ) + (["selected"] if for_export else [])
    election = Election(
        meta=meta,
        projects=projects,
        vote_type=process.vote_type,
        budget=Fraction(budget.amount, 100),
        ballot_ptr=ptr,
        ballot_idx=idx,
        ballot_points=points,
        project_columns=columns,
        vote_columns=["voter_id", "vote"] + (["points"] if weighted else []),
    )
    return election, proposals, turnout


def run_rule(process: Process, election: Election, *, exact: bool):
    kwargs = {"tie_break": process.tie_break, "exact": exact}
    if process.rule == Process.Rule.MES:
        kwargs.update(completion=process.completion, comparison=process.comparison)
    if process.rule == Process.Rule.GREEDY_THRESHOLD:
        kwargs["threshold"] = Fraction(process.threshold or 0)
    return tally(election, rule=process.rule, **kwargs)


def counts(election: Election) -> tuple[np.ndarray, np.ndarray]:
    """(votes, score) per project: votes = ballots listing it; score = votes (approval), points
    (cumulative) or positional points k..1 (ranked top k), as the greedy rules count them."""
    P = election.n_projects
    idx = election.ballot_idx
    votes = np.bincount(idx, minlength=P).astype(np.int64)
    if election.vote_type in ("cumulative", "scoring") and election.ballot_points is not None:
        score = np.bincount(idx, weights=election.ballot_points.astype(np.float64), minlength=P)
        return votes, np.rint(score).astype(np.int64)
    if election.vote_type == "ordinal":
        ptr = election.ballot_ptr
        lengths = np.diff(ptr)
        owner_start = np.repeat(ptr[:-1], lengths)
        owner_len = np.repeat(lengths, lengths)
        position = np.arange(len(idx)) - owner_start
        score = np.bincount(idx, weights=(owner_len - position).astype(np.float64), minlength=P)
        return votes, np.rint(score).astype(np.int64)
    return votes, votes.copy()


def _number(x: Fraction) -> str:
    from .tally.model import number_str

    return number_str(x)
