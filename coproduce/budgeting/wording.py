"""Amounts and per-project explanations in the reader's language.

The engine explains each project with a stable code and the numbers behind it (in major units,
exact values as ints or "p/q" strings). Here those become translated sentences; the engine's own
English sentence is the fallback for codes not listed.
"""

from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _fraction(value) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value).limit_denominator(10**6)
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None


def money(minor: int | None, currency: str = "") -> str:
    """Minor units → "£1,234.50"-like text, localised."""
    if minor is None:
        return "–"
    whole, cents = divmod(abs(int(minor)), 100)
    sign = "-" if minor < 0 else ""
    text = number_format(whole, force_grouping=True)
    if cents:
        text = number_format(f"{whole}.{cents:02d}", decimal_pos=2, force_grouping=True)
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency, "")
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}".strip()


def money_major(value, currency: str = "") -> str:
    """An engine amount (major units, exact) as text."""
    f = _fraction(value)
    if f is None:
        return "–"
    return money(int(round(f * 100)), currency)


def number(value) -> str:
    f = _fraction(value)
    if f is None:
        return "–"
    if f.denominator == 1:
        return number_format(int(f), force_grouping=True)
    return number_format(float(f), decimal_pos=2, force_grouping=True)


def explain(code: str, numbers: dict, sentence: str, currency: str = "", score_name: str = "") -> str:
    text = _explain(code, numbers or {}, sentence, currency)
    comparison = (numbers or {}).get("comparison")
    if comparison and text is not sentence:  # the engine's own sentence already carries the note
        text += " " + _("(The comparison step replaced the Equal Shares outcome by the greedy one: %(greedy)s voters "
                        "prefer it, %(mes)s prefer Equal Shares.)") % {
            "greedy": number(comparison.get("prefer_greedy")), "mes": number(comparison.get("prefer_mes"))}
    return text


def _explain(code: str, n: dict, sentence: str, currency: str) -> str:
    m = lambda key: money_major(n.get(key), currency)  # noqa: E731
    score = number(n.get("score"))
    if code in ("selected", "selected_by_greedy_comparison") and "rank" in n:
        return _("Funded: ranked %(rank)s with a score of %(score)s; its cost %(cost)s fitted in the %(left)s still "
                 "available.") % {"rank": n["rank"], "score": score, "cost": m("cost"), "left": m("left_before")}
    if code == "did_not_fit" and "rank" in n:
        return _("Not funded: ranked %(rank)s with a score of %(score)s, but it did not fit: it costs %(cost)s and "
                 "only %(left)s was left.") % {"rank": n["rank"], "score": score, "cost": m("cost"),
                                               "left": m("left_before")}
    if code == "did_not_fit" and "budget" in n:
        return _("Not funded: its cost %(cost)s is more than the whole budget %(budget)s.") % {
            "cost": m("cost"), "budget": m("budget")}
    if code == "below_threshold":
        return _("Not funded: its score of %(score)s is below the minimum of %(min)s.") % {
            "score": score, "min": number(n.get("threshold"))}
    if code == "did_not_fit" and "stopped_at" in n:  # Phragmén: the project the rule stopped at
        return _("Not funded: it was next in line (round %(round)s) but its cost %(cost)s did not fit in what was "
                 "left, so the count stopped.") % {"round": n.get("rounds"), "cost": m("cost")}
    if code == "not_reached" and "stopped_at" in n and "rounds" in n:  # Phragmén
        return _("Not funded: the count stopped in round %(round)s when project %(id)s did not fit, before this "
                 "project's supporters had earned enough.") % {"round": n["rounds"], "id": n["stopped_at"]}
    if code == "not_reached" and "stopped_at" in n:
        return _("Not funded: the count stopped at project %(id)s, the first one that did not fit.") % {
            "id": n["stopped_at"]}
    if code == "not_reached":
        return _("Not funded.")
    if code == "selected" and "max_payment" in n:
        supporters = int(n.get("supporters", 0))
        return ngettext(
            "Funded in round %(round)s of Equal Shares: its %(n)s supporter paid its cost %(cost)s.",
            "Funded in round %(round)s of Equal Shares: its %(n)s supporters shared its cost %(cost)s, each paying "
            "at most %(pay)s.", supporters) % {"round": n.get("round"), "n": supporters, "cost": m("cost"),
                                               "pay": m("max_payment")}
    if code == "unaffordable":
        supporters = int(n.get("supporters", 0))
        when = (_("from the start") if n.get("round") == 1
                else _("after round %(round)s") % {"round": int(n.get("round", 1)) - 1})
        return ngettext(
            "Not funded: %(when)s its %(n)s supporter had only %(money)s left, less than its cost %(cost)s.",
            "Not funded: %(when)s its %(n)s supporters' remaining money was only %(money)s, less than its cost "
            "%(cost)s.", supporters) % {"when": when, "n": supporters, "money": m("money"), "cost": m("cost")}
    if code == "no_supporters":
        return _("Not funded: nobody voted for it.")
    if code == "selected_free":
        return _("Funded: it costs nothing and has supporters.")
    if code == "added_by_completion":
        return _("Funded by the completion step: money was left and it was the most voted project that still "
                 "fitted (cost %(cost)s).") % {"cost": m("cost")}
    if code == "selected" and n.get("load") is None and "round" in n and "supporters" in n and "max_payment" not in n:
        return _("Funded in round %(round)s of Phragmén's method: nobody voted for it, but money was left and the "
                 "count had not stopped.") % {"round": n["round"]}
    if code == "selected" and "load" in n:
        return _("Funded in round %(round)s of Phragmén's method: its supporters could share its cost %(cost)s with "
                 "the lowest load at that point.") % {"round": n.get("round"), "cost": m("cost")}
    return sentence
