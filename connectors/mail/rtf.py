"""RTF bodies (Outlook TNEF, text/rtf parts) to plain text."""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

# The ANSI code page \'xx escapes are in; RTF writers declare it in the header.
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def _encoding(data: bytes) -> str:
    found = _CODE_PAGE.search(data[:4096])
    name = f"cp{int(found.group(1))}" if found else "cp1252"
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


def rtf_to_plain(data: bytes | str) -> tuple[str, str | None]:
    """The text of an RTF document, and a defect when it could not be read.

    RTF is 7-bit: other characters come as \\'xx escapes in the declared code page or
    as \\u escapes, which striprtf resolves; bytes outside ASCII are taken as Latin-1.
    """
    if isinstance(data, str):
        data = data.encode("latin-1", "replace")
    try:
        text: str = rtf_to_text(  # type: ignore[no-untyped-call]
            data.decode("latin-1"), encoding=_encoding(data), errors="replace"
        )
    except Exception as exc:  # noqa: BLE001 - striprtf has no closed error set
        return "", f"rtf not converted: {type(exc).__name__}"
    return text.replace("\r\n", "\n").strip(), None
