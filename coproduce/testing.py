"""Scaffolding shared by tests: real tiny photos for uploads (`tiny_jpeg`, `tiny_png`, `tiny_webp`) and,
for the persona permission-matrix page tests (`tests/test_persona_permission_matrix_*`), the personas in
the matrix's column order, a matrix row, and the check of one persona's answer; and `at_once`, which
releases several threads together for the concurrency tests.

A row's expected answer is a status code, or LOGIN: a redirect to the login page (some matrices write 302)."""

import threading

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


def phone_exif(orientation: int | None = None):
    """EXIF as a phone writes it: camera maker, the owner's name (Artist) and the GPS position where the
    photo was taken, and optionally an Orientation tag (6: the camera was turned a quarter clockwise)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x013B] = "Jane Citizen"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.5), 3: "E", 4: (13.0, 24.0, 3.25)}
    if orientation is not None:
        exif[0x0112] = orientation
    return exif


def assert_no_metadata(data: bytes) -> None:
    """A stored photo carries no EXIF (no GPS, no owner's name), XMP or ICC profile."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        assert not dict(image.getexif()), dict(image.getexif())
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(image.info), image.info
    for marker in (b"Exif", b"EXIF", b"Jane Citizen", b"PhoneMaker", b"http://ns.adobe.com/xap"):
        assert marker not in data, marker


def damaged_photos() -> list[bytes]:
    """Files that start like a photo but do not decode: JPEG magic bytes then garbage, a real JPEG cut off
    half-way, PNG magic bytes then garbage."""
    jpeg = tiny_jpeg(size=(64, 48), color="orange")
    return [b"\xff\xd8\xff\xe0" + b"\x13\x37" * 200, jpeg[: len(jpeg) // 2], b"\x89PNG\r\n\x1a\n" + b"\x00" * 64]


def decompression_bombs() -> list[bytes]:
    """Small files that decode to huge images: a one-colour PNG of 20000x20000 (400 megapixels, about
    50 KB) and one of 8000x6000 (48 megapixels, under Pillow's own limit but over ours)."""
    return [tiny_png(size=(20000, 20000), mode="1", color=0), tiny_png(size=(8000, 6000), mode="1", color=1)]


def at_once(work, times: int) -> list:
    """Run `work(i)` for i in range(`times`), each in its own thread and database connection, all
    released together (for concurrency tests with `transaction=True`). Returns the results in order;
    an unexpected error in any thread fails the test, listing them all."""
    from django.db import connections

    start, results, errors = threading.Barrier(times), [None] * times, []

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
