"""Scaffolding shared by tests: real tiny photos for uploads (`tiny_jpeg`, `tiny_png`, `tiny_webp`) and,
for the persona permission-matrix page tests (`tests/test_persona_permission_matrix_*`), the personas in
the matrix's column order, a matrix row, and the check of one persona's answer.

A row's expected answer is a status code, or LOGIN: a redirect to the login page (some matrices write 302)."""

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
LOGIN = "login"


def row(url, *codes):
    """A matrix row: the URL and each persona's expected answer, in the order of PERSONAS."""
    return url, dict(zip(PERSONAS, codes, strict=True))


def assert_answer(response, want, persona: str, url: str) -> None:
    """`want` is the status code expected; LOGIN (or 302) asks for a redirect to the login page."""
    if want in (LOGIN, 302):
        assert response.status_code == 302, (persona, url, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    else:
        assert response.status_code == want, (persona, url, response.status_code)


def tiny_image(kind: str = "png", size=(4, 3), *, mode: str = "RGB", color="teal", exif=None) -> bytes:
    """A real, decodable photo made with Pillow ('jpeg', 'png' or 'webp'), optionally with `exif`
    (a `PIL.Image.Exif`), for tests that upload photos."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, color).save(out, {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind],
                                      **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def tiny_jpeg(**options) -> bytes:
    """A real 4x3 JPEG (see `tiny_image`)."""
    return tiny_image("jpeg", **options)


def tiny_png(**options) -> bytes:
    """A real 4x3 PNG (see `tiny_image`)."""
    return tiny_image("png", **options)


def tiny_webp(**options) -> bytes:
    """A real 4x3 WebP (see `tiny_image`)."""
    return tiny_image("webp", **options)


def cleaned(data: bytes) -> bytes:
    """What is stored and served for an uploaded photo: `data` without metadata (`core.images.clean_image`)."""
    from coproduce.core.images import clean_image

    return clean_image(data)[0]
