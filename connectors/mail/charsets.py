"""Charset names as mail declares them, mapped to codecs that decode what senders meant.

Mail charset labels are often wrong in known ways: Korean Outlook says ks_c_5601-1987
for what is cp949, Chinese clients say gb2312 and send gb18030 characters, and
"iso-8859-1" text nearly always carries cp1252 punctuation. Unknown or lying labels
fall back to detection with charset-normalizer.
"""

from __future__ import annotations

import codecs
import functools

from charset_normalizer import from_bytes

# Supersets first: decoding with the superset never loses what the label promised.
_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "chinese": "gb18030",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "big5": "big5hkscs",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
}
# Below this a statistical guess is noise.
_DETECTION_MIN_BYTES = 8


@functools.lru_cache(maxsize=256)
def lookup_charset(name: str | None) -> str | None:
    """Codec name for a declared charset, None when it is missing or unknown."""
    label = (name or "").strip().strip("\"'").lower()
    if not label:
        return None
    label = _ALIASES.get(label, label)
    if not label:
        return None
    try:
        codec = codecs.lookup(label)
    except LookupError:
        return None
    # Python knows some names mail never means (e.g. "mbcs" is Windows-only, "rot13").
    if codec.name in {"rot-13", "mbcs", "oem", "base64", "hex", "zlib", "bz2", "uu", "quopri"}:
        return None
    return codec.name


def detect_charset(data: bytes) -> str | None:
    """Best guess for undeclared bytes; None when the bytes are too few to tell."""
    if len(data) < _DETECTION_MIN_BYTES:
        return None
    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else None


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, then UTF-8, detection and cp1252; never raises.

    Returns the text and a defect description when the declared charset was not used.
    """
    if data.isascii():
        return data.decode("ascii"), None
    label = (declared or "").strip().strip("\"'").lower()
    codec = lookup_charset(label)
    defect: str | None = None
    if codec:
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            if codec == "cp1252":
                # The five bytes cp1252 leaves undefined are C1 controls in real latin-1.
                return data.decode("latin-1"), None
            defect = f"body not valid {label[:40]}"
    elif label and _ALIASES.get(label) != "":
        defect = f"unknown charset {label[:40]}"
    else:
        defect = f"charset {label[:40]} guessed" if label else None
    try:
        # UTF-8 is the most common truth behind a wrong label and is self-validating.
        return data.decode("utf-8"), defect
    except UnicodeDecodeError:
        pass
    guessed = detect_charset(data)
    if guessed:
        try:
            return data.decode(guessed), defect or f"charset guessed {guessed}"
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", "replace"), defect or "undecodable bytes replaced"


def decode_header_bytes(data: bytes) -> str:
    """Raw 8-bit header bytes (no charset label anywhere): UTF-8, else a detected guess."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guessed = detect_charset(data)
    if guessed:
        try:
            return data.decode(guessed)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", "replace")
