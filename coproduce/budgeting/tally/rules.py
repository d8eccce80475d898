"""One entry point, :func:`tally`, for every rule.

Rules
-----
``official``            the rule named in the file's META ``rule`` (see :data:`OFFICIAL_RULES`)
``greedy``              greedy by score, skipping projects that do not fit
``greedy-no-skip``      greedy by score, stopping at the first project that does not fit
``greedy-threshold``    greedy over projects reaching the threshold
``mes``                 Method of Equal Shares; ``completion`` picks none / add1 / utilitarian /
                        add1-utilitarian (add1 = equalshares.net's Add1 with its ``exhaustive``
                        and ``integral`` options, both on by default)
``mes-add1``            MES iterated as pabutools does (``voter_budget_increment=1``)
``phragmen``            sequential Phragmén

Official META rules: ``greedy``, ``greedy-no-skip``, ``greedy-threshold`` (threshold from META),
``equalshares`` (plain MES, cost utilities), ``equalshares/add1`` (MES + Add1, exhaustive and
integral), ``equalshares/add1-comparison`` (the same, then equalshares.net's comparison step
against the greedy outcome by voter satisfaction); and, so that every file the app publishes
recounts, ``phragmen`` and ``equalshares/<completion>[-comparison]`` (:func:`official_rule_name`).
Under ``official`` the tie-break is the META ``tie_break`` key when the file has one and none is
given.
"""

from __future__ import annotations

from fractions import Fraction

from gmpy2 import mpq

from .explain import Explanation, Outcome, approx, money, plain
from .explain import exact as _exact_num
from .greedy import VARIANTS, greedy
from .mes import F, MESCore, add1_equalshares, add1_pabutools
from .model import Election
from .phragmen import phragmen
from .profile import build_profile
from .ties import TIE_BREAKS, describe, tie_rank

RULES = ("official", "greedy", "greedy-no-skip", "greedy-threshold", "mes", "mes-add1", "phragmen")
COMPLETIONS = ("none", "add1", "utilitarian", "add1-utilitarian")
UTILITIES = ("cost", "approval")


def official_rule_name(rule: str, completion: str = "none", comparison: bool = False) -> str:
    """The META ``rule`` naming a rule: equalshares.net's names (``greedy``, ``equalshares``,
    ``equalshares/add1``, ``equalshares/add1-comparison``, ...) and ``phragmen``; MES with another
    completion is ``equalshares/<completion>``, with ``-comparison`` when the comparison step runs."""
    if rule != "mes":
        return rule
    name = "equalshares" if completion == "none" else f"equalshares/{completion}"
    return f"{name}-comparison" if comparison else name


# META rule -> (rule, options): every rule a process can use, so that a published file recounts.
OFFICIAL_RULES = {
    "greedy": ("greedy", {}),
    "greedy-no-skip": ("greedy-no-skip", {}),
    "greedy-threshold": ("greedy-threshold", {}),
    "phragmen": ("phragmen", {}),
    **{
        official_rule_name("mes", completion, comparison): (
            "mes",
            {"completion": completion, **({"comparison": True} if comparison else {})},
        )
        for completion in COMPLETIONS
        for comparison in (False, True)
    },
}


class RuleError(ValueError):
    """The rule cannot be applied to this election (e.g. the file's rule is unknown)."""


def tally(
    election: Election,
    rule: str = "official",
    utility: str = "cost",
    completion: str | None = None,
    tie_break: str | None = None,
    exact: bool = False,
    threshold: Fraction | int | None = None,
    score: str = "auto",
    weights: str | None = None,
    comparison: bool = False,
    add1_exhaustive: bool = True,
    add1_integral: bool = True,
) -> Outcome:
    """Compute the outcome of ``election`` under ``rule`` (see the module docstring).  Without a
    ``tie_break``: the file's META ``tie_break`` under ``official``, otherwise ``default``."""
    if tie_break is None:
        tie_break = "default"
        if rule == "official" and election.meta.get("tie_break", "").strip():
            tie_break = election.meta["tie_break"].strip()
            if tie_break not in TIE_BREAKS:
                raise RuleError(
                    f"the file's META tie_break is {tie_break!r} (known: {', '.join(TIE_BREAKS)})"
                )
    if tie_break not in TIE_BREAKS:
        raise RuleError(f"unknown tie-break {tie_break!r} (choose from {', '.join(TIE_BREAKS)})")
    if utility not in UTILITIES:
        raise RuleError(f"unknown utility {utility!r} (choose from {', '.join(UTILITIES)})")
    if completion is not None and completion not in COMPLETIONS:
        raise RuleError(f"unknown completion {completion!r} (choose from {', '.join(COMPLETIONS)})")
    official_name = None
    if rule == "official":
        official_name = election.rule
        if official_name not in OFFICIAL_RULES:
            raise RuleError(
                f"the file's META rule is {official_name or '(missing)'!r}; it is not one this engine can apply "
                f"(known: {', '.join(OFFICIAL_RULES)}); choose a rule explicitly"
            )
        rule, extra = OFFICIAL_RULES[official_name]
        completion = extra.get("completion", completion)
        comparison = extra.get("comparison", comparison)
        utility = "cost"
    if rule in VARIANTS:
        out = greedy(election, rule, score=score, threshold=threshold, tie_break=tie_break)
    elif rule == "phragmen":
        out = phragmen(election, tie_break=tie_break, exact_mode=exact)
    elif rule in ("mes", "mes-add1"):
        out = equal_shares(
            election,
            utility=utility,
            completion=completion or "none",
            pabutools_add1=(rule == "mes-add1"),
            tie_break=tie_break,
            exact=exact,
            weights=weights,
            comparison=comparison,
            add1_exhaustive=add1_exhaustive,
            add1_integral=add1_integral,
        )
    else:
        raise RuleError(f"unknown rule {rule!r} (choose from {', '.join(RULES)})")
    if official_name is not None:
        out.details["official_rule"] = official_name
        out.rule = f"official:{official_name}"
    out.details["arithmetic"] = "exact" if exact else "float (ties and close calls confirmed exactly)"
    out.details["tie_break"] = tie_break
    return out


# ------------------------------------------------------------------------------------------------
def equal_shares(
    election: Election,
    utility: str = "cost",
    completion: str = "none",
    pabutools_add1: bool = False,
    tie_break: str = "default",
    exact: bool = False,
    weights: str | None = None,
    comparison: bool = False,
    add1_exhaustive: bool = True,
    add1_integral: bool = True,
) -> Outcome:
    """MES with the chosen utilities / completion; explanations from an exact final run."""
    if weights is None:
        weights = "points" if election.vote_type in ("cumulative", "scoring") else "support"
    prof = build_profile(election, weights)
    support = prof if weights == "support" else build_profile(election, "support")
    votes = [int(v) for v in support.supporters()]
    ids = [p.id for p in election.projects]
    costs = election.costs()
    rank = tie_rank(tie_break, ids, costs, votes)
    core = MESCore(prof, costs, utility, rank)
    B = mpq(election.budget.numerator, election.budget.denominator)
    n = election.n_voters
    log: list[dict] = [
        {
            "step": "start",
            "rule": "mes",
            "utility": utility,
            "weights": weights,
            "budget": exact_(election.budget),
            "voters": n,
            "groups_of_identical_ballots": prof.n_groups,
            "tie_break": tie_break,
        }
    ]
    name = "mes"
    if n == 0:
        return Outcome(
            name,
            [],
            Fraction(0),
            election.budget,
            [Explanation(i, False, "no_supporters", {}, "Not funded: nobody voted.") for i in ids],
            log,
        )
    add1_steps = None
    if pabutools_add1:
        name = "mes-add1"
        run, add1_steps = add1_pabutools(core, B, exact)
        per_voter = run.per_voter
    elif completion in ("add1", "add1-utilitarian"):
        name = "mes+add1"
        run, add1_steps = add1_equalshares(core, B, exact, exhaustive=add1_exhaustive, integral=add1_integral)
        per_voter = run.per_voter
    else:
        per_voter = B / n
    if add1_steps is not None:
        log.append({"step": "add1", "tries": add1_steps, "final_per_voter": exact_(F(per_voter))})
    final = core.run(per_voter, exact=exact, explain=True)
    if add1_steps is not None and final.selected != run.selected:  # pragma: no cover - internal consistency
        raise AssertionError("explained run differs from the fast run")
    sel = list(final.selected)
    spent = final.spent
    expl: dict[int, Explanation] = {}
    for p in final.selected[: len(core.free)]:
        expl[p] = Explanation(
            ids[p], True, "selected_free", {"cost": 0}, "Funded: it costs nothing and has supporters."
        )
    for r in final.rounds:
        p = r["project"]
        nums = {
            "round": r["round"],
            "cost": exact_(costs[p]),
            "supporters": r["supporters"],
            "effective_vote_count": r["effective_vote_count"],
            "rho": r["rho"],
            "max_payment": r["max_payment"],
            "per_voter_budget": exact_(F(per_voter)),
        }
        tied = (
            f" It was tied with {', '.join(ids[q] for q in r['tied_with'])}; {describe(tie_break)}."
            if r["tied_with"]
            else ""
        )
        per_point = " per point given" if weights == "points" and election.vote_type != "approval" else ""
        evc = "effective score" if per_point else "effective vote count"
        expl[p] = Explanation(
            ids[p],
            True,
            "selected",
            nums,
            f"Funded in round {r['round']} of Equal Shares: its {r['supporters']} supporters shared its cost "
            f"{money(costs[p])}, each paying at most {money(F(mpq(*_pq(r['max_payment']))))}{per_point}; {evc} "
            f"{plain(r['effective_vote_count'])} (rho {r['rho_float']:.6g}), the best at that point.{tied}",
        )
        log.append(
            {
                "step": "buy",
                **{k: (ids[v] if k == "project" else v) for k, v in r.items() if k != "contenders"},
                "tied_with": [ids[q] for q in r["tied_with"]],
                "contenders": [
                    {"project": ids[c["project"]], "rho_float": c["rho_float"]} for c in r["contenders"]
                ],
            }
        )
    for p, d in sorted(final.dropped.items(), key=lambda t: (t[1]["round"], t[0])):
        nums = {
            "round": d["round"],
            "money": exact_(F(d["money"])),
            "cost": exact_(costs[p]),
            "supporters": votes[p],
        }
        when = "from the start" if d["round"] == 1 else f"after round {d['round'] - 1}"
        expl[p] = Explanation(
            ids[p],
            False,
            "unaffordable",
            nums,
            f"Not funded: {when} its {votes[p]} supporters had only {money(F(d['money']))} left, less than its cost "
            f"{money(costs[p])}.",
        )
        log.append({"step": "unaffordable", "project": ids[p], **nums})
    for p in range(len(ids)):
        if p not in expl:
            if votes[p] == 0 or p not in core.candidates + core.free:
                expl[p] = Explanation(
                    ids[p],
                    False,
                    "no_supporters",
                    {"cost": exact_(costs[p])},
                    "Not funded: nobody voted for it.",
                )
    if completion in ("utilitarian", "add1-utilitarian"):
        left = F(B) - F(spent)
        order = sorted(range(len(ids)), key=lambda p: (-votes[p], rank[p]))
        chosen = set(sel)
        for p in order:
            if p in chosen:
                continue
            if costs[p] <= left:
                left -= costs[p]
                sel.append(p)
                chosen.add(p)
                nums = {"votes": votes[p], "cost": exact_(costs[p]), "left_after": exact_(left)}
                expl[p] = Explanation(
                    ids[p],
                    True,
                    "added_by_completion",
                    nums,
                    f"Funded by the completion step: Equal Shares left money unspent and this project, with {votes[p]} "
                    f"votes, was the most voted one that still fitted (cost {money(costs[p])}).",
                )
                log.append({"step": "completion_add", "project": ids[p], **nums})
        spent = B - mpq(left.numerator, left.denominator)
        name += "+utilitarian"
    outcome = Outcome(
        rule=name,
        selected=[ids[p] for p in sel],
        spent=F(spent),
        budget=election.budget,
        explanations=[expl[p] for p in range(len(ids))],
        log=log,
        details={
            "utility": utility,
            "weights": weights,
            "per_voter_budget": approx(F(per_voter)),
            "per_voter_budget_exact": exact_(F(per_voter)),
        },
    )
    if comparison:
        outcome = _comparison_step(election, outcome, support, votes, tie_break)
    outcome.log.append({"step": "end", "spent": exact_(outcome.spent), "tie_break_rule": describe(tie_break)})
    return outcome


def _comparison_step(election: Election, mes_out: Outcome, support, votes, tie_break) -> Outcome:
    """equalshares.net comparison step: voters count approved winners under each outcome; if more
    voters prefer the greedy outcome (by votes) than prefer the MES outcome, take the greedy one."""
    import numpy as np

    g = greedy(election, "greedy", score="votes", tie_break=tie_break)
    idx = election.project_index
    P = election.n_projects

    def sat(selected: list[str]) -> np.ndarray:
        mask = np.zeros(P, dtype=np.int64)
        mask[[idx[s] for s in selected]] = 1
        per_entry = mask[support.gidx]
        owner = np.repeat(np.arange(support.n_groups), np.diff(support.gptr))
        return np.bincount(owner, weights=per_entry, minlength=support.n_groups)

    s_mes, s_gr = sat(mes_out.selected), sat(g.selected)
    m = support.m
    prefer_mes = int(m[s_mes > s_gr].sum())
    prefer_greedy = int(m[s_gr > s_mes].sum())
    step = {
        "step": "comparison",
        "prefer_mes": prefer_mes,
        "prefer_greedy": prefer_greedy,
        "greedy_selected": g.selected,
    }
    mes_out.log.append(step)
    mes_out.details["comparison"] = {"prefer_mes": prefer_mes, "prefer_greedy": prefer_greedy}
    if prefer_greedy <= prefer_mes:
        mes_out.rule += "+comparison(kept)"
        return mes_out
    new = []
    chosen = set(g.selected)
    for e in g.explanations:
        e.numbers["comparison"] = {"prefer_mes": prefer_mes, "prefer_greedy": prefer_greedy}
        if e.project_id in chosen:
            e.code = "selected_by_greedy_comparison"
        e.sentence += (
            f" (The comparison step replaced the Equal Shares outcome by the greedy one: {prefer_greedy} voters "
            f"prefer it, {prefer_mes} prefer Equal Shares.)"
        )
        new.append(e)
    return Outcome(
        rule=mes_out.rule + "+comparison(greedy)",
        selected=g.selected,
        spent=g.spent,
        budget=election.budget,
        explanations=new,
        log=mes_out.log + g.log,
        details={**mes_out.details, "switched_to_greedy": True},
    )


def exact_(x) -> int | str:
    return _exact_num(x)


def _pq(s) -> tuple[int, int]:
    if isinstance(s, int):
        return s, 1
    a, b = s.split("/")
    return int(a), int(b)
