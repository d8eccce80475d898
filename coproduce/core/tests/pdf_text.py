"""The text of a PDF made by WeasyPrint, for tests, without a PDF library.

WeasyPrint writes text as glyph numbers in embedded subset fonts (Identity-H), each font with a
ToUnicode map; a font's resource name is its subset tag (`/ABCDEF 12 Tf` uses `/BaseFont /ABCDEF+…`).
This reads the streams, the fonts' maps and the text-showing operators, and returns the text with runs
separated by single spaces. It handles what WeasyPrint writes, not every PDF.
"""

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
_TYPE0 = re.compile(rb"<<[^<>]*/Subtype\s*/Type0[^<>]*>>")
_SHOW = re.compile(rb"/([A-Z]{6})\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", re.S)


def _streams(pdf: bytes) -> dict[int, bytes]:
    streams = {}
    for match in _OBJECT.finditer(pdf):
        length = re.search(rb"/Length (\d+)(?! \d+ R)", match.group(2))
        if not length:
            continue
        data = pdf[match.end():match.end() + int(length.group(1))]
        streams[int(match.group(1))] = zlib.decompress(data) if b"/FlateDecode" in match.group(2) else data
    return streams


def _cmap(data: bytes) -> dict[str, str]:
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[f"{code:0{len(low)}x}"] = chr(start + offset)
    return table


def unpacked(pdf: bytes) -> bytes:
    """The file with every compressed stream appended uncompressed (dictionaries sit in object streams)."""
    return pdf + b"".join(_streams(pdf).values())


def pdf_text(pdf: bytes) -> str:
    streams = _streams(pdf)
    everything = pdf + b"".join(streams.values())
    fonts = {}
    for font in _TYPE0.findall(everything):
        tag, to_unicode = re.search(rb"/BaseFont\s*/([A-Z]{6})\+", font), re.search(rb"/ToUnicode (\d+) 0 R", font)
        if tag and to_unicode:
            fonts[tag.group(1).decode()] = _cmap(streams[int(to_unicode.group(1))])
    runs, cmap = [], {}
    for data in streams.values():
        if b"BT" not in data:
            continue
        for name, array, single in _SHOW.findall(data):
            if name:
                cmap = fonts.get(name.decode(), {})
                continue
            glyphs = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", array)) if array else single
            hexes = glyphs.decode().lower()
            runs.append("".join(cmap.get(hexes[i:i + 4], "\ufffd") for i in range(0, len(hexes), 4)))
    return re.sub(r"\s+", " ", " ".join(runs)).strip()
