from django import template

from coproduce.budgeting import wording

register = template.Library()


@register.filter
def money(minor, currency=""):
    """Integer minor units as localised money: {{ proposal.cost|money:process.currency }}."""
    return wording.money(minor, currency)


@register.filter
def hours(minutes):
    if not minutes:
        return "0"
    h, m = divmod(int(minutes), 60)
    return f"{h}:{m:02d}"
