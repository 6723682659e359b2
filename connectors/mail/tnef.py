"""Outlook TNEF (winmail.dat) parts expanded into the files and body they carry."""

from __future__ import annotations

import hashlib
import mimetypes

from tnefparse import TNEF

from connectors.mail.body import Part
from connectors.mail.charsets import decode_bytes
from connectors.mail.rtf import rtf_to_plain

_TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")


def is_tnef(content_type: str, filename: str) -> bool:
    return content_type in _TNEF_TYPES or filename.lower() == "winmail.dat"


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return decode_bytes(value.rstrip(b"\x00"), None)[0] if value.strip(b"\x00") else None
    return value if isinstance(value, str) and value.strip() else None


def _rtf(tnef: TNEF) -> bytes:
    """The decompressed RTF body; compressed bytes (no compressed_rtf) are not RTF."""
    data = tnef.rtfbody
    return data if isinstance(data, bytes) and data.lstrip().startswith(b"{\\rtf") else b""


def _file_part(name: str, data: bytes) -> Part:
    return Part(
        mimetypes.guess_type(name)[0] or "application/octet-stream",
        name,
        "attachment",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        loader=lambda: iter((data,)),
    )


def expand_tnef(data: bytes, defects: list[str]) -> Part:
    """A container of the TNEF's files; its body is kept as fallback text only.

    The TNEF body usually repeats the message's own text part, so it is used only when
    nothing else is readable. A TNEF that does not parse stays one opaque attachment.
    """
    try:
        tnef = TNEF(data, do_checksum=False)
        files = [
            _file_part(_text(att.long_filename()) or _text(att.name) or "unnamed", bytes(att.data))
            for att in tnef.attachments
        ]
        html, plain = _text(tnef.htmlbody), _text(tnef.body)
        rtf = _rtf(tnef) if not (html or plain) else b""
    except Exception as exc:  # noqa: BLE001 - tnefparse raises assorted errors on bad input
        defects.append(f"tnef not parsed: {type(exc).__name__}")
        return _file_part("winmail.dat", data)
    body: Part | None = None
    if html:
        body = Part("text/html", text=html)
    elif plain:
        body = Part("text/plain", text=plain)
    elif rtf:
        text, defect = rtf_to_plain(rtf)
        if defect:
            defects.append(f"tnef {defect}")
        body = Part("text/plain", text=text) if text else None
    return Part("multipart/x-tnef", children=tuple(files), embedded=body)
