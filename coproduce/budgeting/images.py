"""Checking and storing uploaded images (delivery photos, proposal images): one path for both.

The photo is checked and cleaned by `core.images` (a JPEG, PNG or WebP that decodes, never judged by its
name or the type the browser sent; re-encoded without EXIF/GPS or other metadata, the right way up); the
size is checked against `photo_limit()`; the file is stored under MEDIA_ROOT with a name of our own
(`core.images.store_photo`) and served only through a permission-checked view (`serve`).
"""

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from coproduce.core.images import read_photo


def photo_limit() -> int:
    """The largest image accepted, in bytes (setting BUDGETING_PHOTO_MAX_BYTES, default 5 MB)."""
    return getattr(settings, "BUDGETING_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


def read_image(upload, field: str = "photo") -> tuple[bytes, str]:
    """The upload's photo without metadata (`core.images.read_photo`) and its kind ('jpeg', 'png',
    'webp'), or a ValidationError on `field`."""
    return read_photo(upload, photo_limit(), field)


def serve(image) -> FileResponse:
    """The stored file of an image row (after the caller's permission check), never a direct URL."""
    try:
        handle = image.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This photo is no longer stored.")) from None
    response = FileResponse(handle, content_type=image.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response
