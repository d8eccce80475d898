"""Recognising an uploaded image by its first bytes, not by the name or type the browser sends
(used by inspection finding photos and budgeting delivery photos)."""


def sniff_image(head: bytes) -> str | None:
    """'jpeg', 'png' or 'webp' from a file's first bytes (its magic number), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None
