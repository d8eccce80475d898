"""Uploaded photos, for every app (inspection finding photos, budgeting proposal images and delivery photos).

`sniff_image` recognises the type from the first bytes (a cheap first check, never the name or the type the
browser sent). `clean_image` then decodes the whole photo with Pillow and re-encodes it in the same format
with no metadata at all: no EXIF (the phone's GPS position, the camera owner's name), no XMP, no ICC
profile, no comments. The EXIF orientation is applied first, so the photo still shows the right way up.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PIXELS = 40_000_000  # a photo larger than 40 megapixels is refused (decompression bombs)
JPEG_QUALITY = 88
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
PHOTO_TYPES = {"jpeg": ("image/jpeg", "jpg"), "png": ("image/png", "png"), "webp": ("image/webp", "webp")}


def sniff_image(head: bytes) -> str | None:
    """'jpeg', 'png' or 'webp' from a file's first bytes (its magic number), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def clean_image(data: bytes, field: str = "photo") -> tuple[bytes, str]:
    """The photo decoded and re-encoded without metadata, and its kind ('jpeg', 'png', 'webp').

    A file that is not a JPEG, PNG or WebP that decodes completely, or one larger than MAX_PIXELS, is
    refused with a ValidationError on `field`."""
    from PIL import Image, ImageOps

    not_a_photo = ValidationError({field: [_("This is not a JPEG, PNG or WebP photo, or it is damaged.")]})
    kind = sniff_image(data[:16])
    if kind is None:
        raise not_a_photo
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{width}x{height}")
                image.load()
                image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({field: [_("The photo is too large: at most %(mp)s megapixels.") % {
            "mp": MAX_PIXELS // 1_000_000}]}) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise not_a_photo from None
    return _encode(image, kind), kind


def _encode(image, kind: str) -> bytes:
    """`image` saved in `kind`'s format with nothing but its pixels (and a PNG's transparency)."""
    keeps = {"jpeg": ("RGB", "L", "CMYK"), "png": ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"),
             "webp": ("RGB", "RGBA")}[kind]
    if image.mode not in keeps:
        transparent = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if transparent and kind != "jpeg" else "RGB")
    transparency = image.info.get("transparency") if kind == "png" else None
    image.info.clear()
    options = {"jpeg": {"quality": JPEG_QUALITY, "optimize": True}, "png": {"optimize": True},
               "webp": {"quality": JPEG_QUALITY}}[kind]
    if transparency is not None:
        options["transparency"] = transparency
    out = io.BytesIO()
    image.save(out, PIL_FORMATS[kind], **options)
    return out.getvalue()


def read_photo(upload, limit: int, field: str = "photo") -> tuple[bytes, str]:
    """An uploaded file's photo, cleaned by `clean_image`, if it is at most `limit` bytes; else a
    ValidationError on `field`."""
    size = getattr(upload, "size", None)
    if upload is None or size is None:
        raise ValidationError({field: [_("Choose a photo.")]})
    too_large = ValidationError({field: [_("The photo is too large: at most %(mb)s MB.") % {
        "mb": limit // (1024 * 1024)}]})
    if size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return clean_image(data, field)


def store_photo(data: bytes, kind: str, folder: str) -> tuple[str, str]:
    """Save a cleaned photo under MEDIA_ROOT/`folder` with a random name of our own (never the
    uploader's); returns (stored name, content type)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    content_type, extension = PHOTO_TYPES[kind]
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(data)), content_type
