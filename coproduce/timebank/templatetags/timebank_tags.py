"""Template filters for timebank pages: `{{ minutes|hours }}` -> "2 h 05 min"."""

from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    from coproduce.timebank.views import hours as format_hours

    return format_hours(int(minutes or 0))
