"""Validation helpers every app's services share."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify


def full_clean(instance, exclude=()) -> None:
    """Run model validation and re-raise as a field-keyed ValidationError."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def unique_slug(model, base: str, *, field: str = "slug", fallback: str = "item") -> str:
    """A slug made from `base` that no row of `model` has yet ("name", "name-2", "name-3", ...)."""
    base = slugify(base)[:100] or fallback
    slug, n = base, 2
    while model.objects.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def validate_fields(items, given: dict, *, prefix: str, clean, empty, unknown: str, required: str) -> dict:
    """Check `given` values against `items` (survey questions, monitoring measures: each with `pk`,
    `field` — "<prefix><pk>" — and `required`) and return {item id: clean(item, value)} for the ones
    given. `given` may be keyed by field, id or str(id). Every error is raised at once, keyed by field:
    `unknown` for keys naming no item, `required` for required items left `empty`, and whatever
    `clean` raises."""
    by_key = {}
    for item in items:
        by_key.update({item.field: item, str(item.pk): item, item.pk: item})
    errors, cleaned = {}, {}
    for key in given:
        if key not in by_key:
            errors[str(key) if str(key).startswith(prefix) else f"{prefix}{key}"] = [unknown]
    values = {by_key[k].pk: v for k, v in given.items() if k in by_key}
    for item in items:
        value = values.get(item.pk)
        if empty(value):
            if item.required:
                errors[item.field] = [required]
            continue
        try:
            cleaned[item.pk] = clean(item, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned
