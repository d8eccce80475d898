"""Display helpers: money held in minor units, time held in minutes (both localised)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


@register.filter
def money(minor, currency="GBP"):
    """1234567 minor units of GBP -> "£12,345.67"."""
    if minor is None or minor == "":
        return "–"
    amount = Decimal(int(minor)) / 100
    sign = "−" if amount < 0 else ""
    shown = number_format(abs(amount), 2, force_grouping=True)
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{shown}" if symbol else f"{sign}{shown} {currency}"


@register.filter
def hours(minutes):
    """750 minutes -> "12.5" (hours, one decimal place, localised)."""
    if minutes is None:
        return "–"
    value = (Decimal(int(minutes)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return number_format(value, 1, force_grouping=True)
