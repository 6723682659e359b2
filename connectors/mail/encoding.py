"""Lenient decoders for the byte-level encodings mail arrives in."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from connectors.mail.charsets import decode_bytes

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_UU_BEGIN = re.compile(rb"^begin [0-7]{3,4} ", re.MULTILINE)

# Transfer-encoding labels seen in the wild, mapped to what the sender meant.
_TRANSFER_ALIASES = {
    "base64": "base64",
    "base-64": "base64",
    "quoted-printable": "quoted-printable",
    "quoted printable": "quoted-printable",
    "quotedprintable": "quoted-printable",
    "qp": "quoted-printable",
    "x-uuencode": "uuencode",
    "x-uue": "uuencode",
    "uuencode": "uuencode",
    "uue": "uuencode",
}
BASE64_PIECE = 1 << 20  # decoded pieces stay near 750 KB whatever the attachment's size
_IDENTITY = {"", "7bit", "8bit", "binary", "7-bit", "8-bit", "8bits", "7bits", "plain", "none"}


def b64decode_lenient(data: str | bytes) -> bytes:
    """Decode base64 in either alphabet (standard or url-safe), padded or not.

    Gmail bodies are base64url and keep their padding; Pub/Sub data is documented as
    base64 but seen as base64url. Raises ValueError on input that is not base64.
    """
    text = data.decode("ascii", "replace") if isinstance(data, bytes) else data
    text = "".join(text.split()).replace("-", "+").replace("_", "/").rstrip("=")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def b64decode_forgiving(data: bytes) -> tuple[bytes, bool]:
    """Decode a base64 body whatever is wrong with it; the flag says something was."""
    try:
        return base64.b64decode(data, validate=False), False
    except (binascii.Error, ValueError):
        pass
    # Junk characters, stray padding or a cut-off last quantum: keep what decodes.
    cleaned = _NOT_BASE64.sub(b"", data)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned), True
    except (binascii.Error, ValueError):
        return b"", True


def iter_base64(source: bytes, start: int, end: int, defects: list[str]) -> Iterator[bytes]:
    """Decode the base64 body in source[start:end] piece by piece, never raising.

    Pieces end at line ends, so with the usual 76-character lines each holds whole
    quanta and decodes on its own; from a piece that does not (odd line lengths, junk,
    inner padding) the forgiving decoder takes over the rest of the body.
    """
    view = memoryview(source)
    position = start
    while position < end:
        line_end = source.find(b"\n", min(position + BASE64_PIECE, end), end)
        stop = end if line_end < 0 else line_end + 1
        try:
            piece = binascii.a2b_base64(view[position:stop])
        except (binascii.Error, ValueError):
            rest, broken = b64decode_forgiving(bytes(view[position:end]))
            if broken:
                defects.append("broken base64")
            yield rest
            return
        yield piece
        position = stop


def _uudecode(data: bytes) -> tuple[bytes, bool]:
    out: list[bytes] = []
    broken = False
    match = _UU_BEGIN.search(data)
    lines = data[match.end() :].split(b"\n")[1:] if match else data.split(b"\n")
    for line in lines:
        line = line.rstrip(b"\r")
        if line in {b"end", b"`", b""}:
            if line == b"end":
                break
            continue
        try:
            out.append(binascii.a2b_uu(line))
        except binascii.Error:
            broken = True
    return b"".join(out), broken


def transfer_decode(payload: bytes, encoding: str | None) -> tuple[bytes, str | None]:
    """Undo a Content-Transfer-Encoding, never raising; returns a defect when sloppy."""
    label = (encoding or "").strip().strip("\"'").lower()
    kind = _TRANSFER_ALIASES.get(label)
    defect = f"sloppy transfer encoding {label[:30]!r}" if kind and kind != label else None
    if kind == "base64":
        data, broken = b64decode_forgiving(payload)
        return data, "broken base64" if broken else defect
    if kind == "quoted-printable":
        try:
            return binascii.a2b_qp(payload), defect
        except (binascii.Error, ValueError):
            return payload, "broken quoted-printable"
    if kind == "uuencode":
        data, broken = _uudecode(payload)
        return data, "broken uuencode" if broken else None
    if label not in _IDENTITY:
        return payload, f"unknown transfer encoding {label[:30]!r}"
    return payload, None


def decode_text(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode body bytes with the declared charset, falling back when it lies.

    Returns the text and a defect description when a fallback was needed.
    """
    return decode_bytes(data, charset)
