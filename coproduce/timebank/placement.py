"""Where help promised elsewhere on the platform lands in a timebank (read-only helpers).

Other apps turn people's promises of time into timebank offers: a complainant who accepts to help
(`assessment.help_services`), a citizen who pledged hours to a funded budgeting proposal
(`budgeting.pledge_handover_services`). They choose the bank and the category the same way:

- `nearest` – among rows tied to organisations, the one of the given organisation or of the
  nearest organisation it is part of;
- `suggest_category` – the bank's category whose name shares most words (4+ letters) with a text,
  else the first of the bank's list.

The offer itself is then made through `postings.create_offer`.
"""

import re

from .models import Category, Timebank

WORD = re.compile(r"[^\W\d_]{4,}")


def nearest(organisation, rows, organisation_id=lambda row: row.organisation_id):
    """The row whose organisation is `organisation` or the nearest one it is part of (of several rows
    of one organisation, the last), or None."""
    by_org = {organisation_id(row): row for row in rows}
    for org_id in organisation.lineage_ids():
        if org_id in by_org:
            return by_org[org_id]
    return None


def suggest_category(bank: Timebank, text: str) -> Category | None:
    words = set(WORD.findall((text or "").lower()))
    best, best_score = None, 0
    categories = list(Category.objects.for_bank(bank))
    for category in categories:
        score = len(words & set(WORD.findall(f"{category.name} {category.group_name}".lower())))
        if score > best_score:
            best, best_score = category, score
    return best or (categories[0] if categories else None)
