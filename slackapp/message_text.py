"""Turn Slack-formatted message text back into what its author typed.

Message text in events and shortcut payloads arrives escaped (`&amp;`, `&lt;`, `&gt;`)
and with markup (`<@U1>`, `<!channel>`, `<#C1|ops>`, `<https://x|label>`). The AI
steps read plain text; whatever they return is escaped again before it goes back to
Slack (slackapp.blocks).
"""

from __future__ import annotations

import re

_ANGLE = re.compile(r"<([^<>]*)>")
_SPECIAL = {"channel": "@channel", "here": "@here", "everyone": "@everyone"}


def _markup(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        name = target[1:].split("^", 1)[0]
        return label or _SPECIAL.get(name, "@" + name)
    return label or target


def slack_to_plain(text: str) -> str:
    """Mentions and links become readable words; entities become characters."""
    replaced = _ANGLE.sub(_markup, text)
    return replaced.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
