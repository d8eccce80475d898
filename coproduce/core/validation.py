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
