"""Apps add sections to a person's page (badges, memberships of a timebank…) without core importing them.

An app registers, in its AppConfig.ready(), a template and a function
`context(request, person) -> dict | None`; None means "nothing to show here". The person page is
already permission-checked (`core.view_person`), so a section only decides what is worth showing.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: dict


_sections: dict[str, tuple[str, Callable]] = {}


def register(key: str, *, template: str, context: Callable) -> None:
    _sections[key] = (template, context)


def sections_for(request, person) -> list[Section]:
    shown = []
    for key, (template, context) in _sections.items():
        data = context(request, person)
        if data is not None:
            shown.append(Section(key, template, data))
    return shown
