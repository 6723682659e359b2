"""Set quoted history and signatures apart from the new text of a reply."""

from __future__ import annotations

import re

# Attribution lines in the languages we see most; Gmail may wrap them over two lines,
# so they are matched against a line joined with the next one too.
_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"On\s.+\swrote:"
    r"|Am\s.+\sschrieb.*:"
    r"|Le\s.+\sa\s+écrit\s*:"
    r"|El\s.+\sescribió\s*:"
    r")\s*$",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine"
    r"|Mensaje original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_MOBILE_FOOTER = re.compile(r"^\s*(?:Sent from my \S.*|Get Outlook for \S.*)$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s?$")


def _is_cut(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _ORIGINAL_MESSAGE.match(line) or _MOBILE_FOOTER.match(line) or _SIGNATURE.match(line):
        return True
    if _ATTRIBUTION.match(line):
        return True
    if index + 1 < len(lines) and line.strip():
        return bool(_ATTRIBUTION.match(f"{line} {lines[index + 1]}"))
    return False


def split_reply(text: str) -> tuple[str, str]:
    """Return (visible, quoted): the new content, and what was set aside.

    Everything from the first attribution line, "Original Message" separator, mobile
    footer or "-- " signature delimiter on is set aside, and so are ">"-quoted lines
    above it (interleaved quotes leave only the replier's lines visible).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = next((i for i in range(len(lines)) if _is_cut(lines, i)), len(lines))
    visible: list[str] = []
    quoted: list[str] = []
    for line in lines[:cut]:
        (quoted if line.lstrip().startswith(">") else visible).append(line)
    quoted.extend(lines[cut:])
    return "\n".join(visible).strip(), "\n".join(quoted).strip()
