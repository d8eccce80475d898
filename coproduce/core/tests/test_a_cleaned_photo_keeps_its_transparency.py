"""Cleaning a photo's metadata keeps what the picture needs: a PNG's alpha channel or palette transparency
and a WebP's alpha stay transparent after `clean_image` re-encodes them."""

import io

from PIL import Image

from coproduce.core.images import clean_image
from coproduce.testing import tiny_png, tiny_webp


def reopened(data: bytes, kind: str) -> Image.Image:
    cleaned, got = clean_image(data)
    assert got == kind
    image = Image.open(io.BytesIO(cleaned))
    image.load()
    return image


def test_an_rgba_png_keeps_its_alpha_channel():
    image = reopened(tiny_png(mode="RGBA", color=(10, 200, 30, 0)), "png")
    assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_a_palette_png_keeps_its_transparent_colour():
    out = io.BytesIO()
    Image.new("P", (4, 3), 0).save(out, "PNG", transparency=0)
    image = reopened(out.getvalue(), "png")
    assert image.convert("RGBA").getpixel((1, 1))[3] == 0


def test_a_webp_keeps_its_alpha_channel():
    image = reopened(tiny_webp(mode="RGBA", color=(10, 200, 30, 0)), "webp")
    assert image.convert("RGBA").getpixel((0, 0))[3] == 0
