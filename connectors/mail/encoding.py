"""Lenient decoders for the byte-level encodings mail arrives in."""

from __future__ import annotations

import base64
import binascii
import codecs

# Tried in order once the declared charset fails: UTF-8 is by far the most common
# mislabel, cp1252 covers legacy Windows senders, latin-1 decodes any byte.
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")


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


def decode_text(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode body bytes with the declared charset, falling back when it lies.

    Returns the text and a defect description when a fallback was needed.
    """
    declared = (charset or "").strip().strip('"').lower()
    defect: str | None = None
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            defect = f"unknown charset {declared[:40]}"
        else:
            try:
                return data.decode(declared), None
            except UnicodeDecodeError:
                defect = f"body not valid {declared[:40]}"
    for fallback in _FALLBACK_CHARSETS:
        try:
            return data.decode(fallback), defect
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), defect  # pragma: no cover - latin-1 maps every byte
