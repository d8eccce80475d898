"""A bank's list of skills and categories: add its own, switch categories off and on again.

The shared defaults (`categories.py`) belong to every bank; a bank switches one off by adding it to
`Timebank.hidden_categories`, and its own categories are switched off with `active`. Nothing is ever
deleted: offers and requests already made keep their category. Only the bank's administrators
(`timebank.change_timebank`) change the list; each change is audited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.permissions import require
from coproduce.core.validation import full_clean

from .models import Category, Timebank


def groups_for(timebank: Timebank) -> list[tuple[str, str]]:
    """The groups a new category can join: the shared ones and the bank's own, as (slug, label)."""
    seen: dict[str, str] = {}
    for category in Category.objects.filter(timebank__isnull=True).order_by("position", "id"):
        seen.setdefault(category.group, category.group_label)
    for category in Category.objects.filter(timebank=timebank).order_by("position", "id"):
        seen.setdefault(category.group, category.group_label)
    return list(seen.items())


def listing(timebank: Timebank) -> list[Category]:
    """Every category the bank can use or switch back on, each with `in_use` (shown to members)."""
    hidden = set(timebank.hidden_categories.values_list("pk", flat=True))
    rows = list(Category.objects.filter(timebank__isnull=True)) + list(Category.objects.filter(timebank=timebank))
    for category in rows:
        category.in_use = category.pk not in hidden if category.timebank_id is None else category.active
    return rows


@transaction.atomic
def add_category(actor, timebank: Timebank, *, name: str, group: str, sensitive: bool = False,
                 channel=Channel.WEB) -> Category:
    """Add one of the bank's own categories, in an existing group (related for matching)."""
    require(actor, "timebank.change_timebank", timebank)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Please give a name.")]})
    groups = dict(groups_for(timebank))
    if group not in groups:
        raise ValidationError({"group": [_("Choose a group from the list.")]})
    if not isinstance(sensitive, bool):
        raise ValidationError({"sensitive": [_("Give true or false.")]})
    slug = slugify(name)[:80]
    if not slug:
        raise ValidationError({"name": [_("The name needs at least one letter or digit.")]})
    if Category.objects.filter(slug=slug, timebank__isnull=True).exists() or \
            Category.objects.filter(slug=slug, timebank=timebank).exists():
        raise ValidationError({"name": [_("The list already has a category with this name.")]})
    last = Category.objects.filter(timebank__isnull=True).aggregate(m=Max("position"))["m"] or 0
    own_last = Category.objects.filter(timebank=timebank).aggregate(m=Max("position"))["m"] or 0
    shared_group = Category.objects.filter(group=group, timebank__isnull=True).first()
    group_name = shared_group.group_name if shared_group else \
        Category.objects.filter(group=group, timebank=timebank).values_list("group_name", flat=True).first()
    category = Category(timebank=timebank, group=group, group_name=group_name, slug=slug, name=name,
                        sensitive=sensitive, position=max(last, own_last) + 1)
    full_clean(category, exclude=["timebank"])
    category.save()
    audit.record(actor, "timebank.category.add", category, organisation=timebank.organisation, channel=channel,
                 details={"slug": slug, "group": group, "sensitive": sensitive})
    return category


def _own_or_shared(timebank: Timebank, category) -> Category:
    found = None
    if isinstance(category, Category):
        category = category.pk
    if isinstance(category, int) and not isinstance(category, bool):
        found = Category.objects.filter(pk=category).first()
    if found is None or found.timebank_id not in (None, timebank.pk):
        raise ValidationError({"category": [_("Choose a category from the bank's list.")]})
    return found


def _switch(actor, timebank: Timebank, category, *, on: bool, channel) -> Category:
    require(actor, "timebank.change_timebank", timebank)
    category = _own_or_shared(timebank, category)
    if category.timebank_id is None:
        (timebank.hidden_categories.remove if on else timebank.hidden_categories.add)(category)
    else:
        category.active = on
        category.save(update_fields=["active"])
    audit.record(actor, "timebank.category.show" if on else "timebank.category.hide", category,
                 organisation=timebank.organisation, channel=channel, details={"slug": category.slug})
    return category


@transaction.atomic
def hide_category(actor, timebank: Timebank, category, *, channel=Channel.WEB) -> Category:
    """Switch a category off for the bank: no new offers or requests in it (old ones keep it)."""
    return _switch(actor, timebank, category, on=False, channel=channel)


@transaction.atomic
def show_category(actor, timebank: Timebank, category, *, channel=Channel.WEB) -> Category:
    """Switch a category the bank had switched off back on."""
    return _switch(actor, timebank, category, on=True, channel=channel)
