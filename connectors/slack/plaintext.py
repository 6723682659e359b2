"""Slack's message format (mrkdwn with `<...>` entities) read back as plain text, and
message links.

Incoming `text` arrives escaped (`&amp;`, `&lt;`, `&gt;`) with mentions, channels,
broadcasts, dates and links as `<...>` sequences. The hub stores and analyzes plain
text, so each sequence becomes what a reader sees: `<@U1>` is `@Priya Shah` (names
resolved by the caller), `<#C1|general>` is `#general`, `<!here>` is `@here`,
`<https://x|docs>` is `docs (https://x)`, and only then are the three entities undone.
The reverse direction, escaping untrusted text for Slack, lives in mrkdwn.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ENTITY = re.compile(r"<([^<>\n]*)>")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>\n]*)?>")
_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def mentioned_users(text: str) -> list[str]:
    """The user ids `<@U...>` mentions name, in order of first appearance."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


def to_plain_text(text: str, names: Mapping[str, str] | None = None) -> str:
    """Plain text of a Slack message; names maps user ids to display names."""
    known = names or {}
    return _unescape(_ENTITY.sub(lambda match: _entity_text(match.group(1), known), text))


def _entity_text(inner: str, names: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        return "@" + (names.get(user) or label or user)
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return _special(target[1:], label)
    address = target.removeprefix("mailto:")
    if not label or label in (target, address):
        return address
    return f"{label} ({address})"


def _special(command: str, label: str) -> str:
    """`<!here>`, `<!subteam^S1|@team>`, `<!date^1700000000^{date}|Nov 14>` and kin."""
    if command in ("here", "channel", "everyone"):
        return "@" + command
    return label or "@" + command.split("^", 1)[0]


def _unescape(text: str) -> str:
    for escaped, plain in _ESCAPES:
        text = text.replace(escaped, plain)
    return text


def message_link(team_domain: str, channel: str, ts: str, thread_ts: str | None = None) -> str:
    """A message's permalink, in the form chat.getPermalink returns, built without a call.

    Slack's form is https://<domain>.slack.com/archives/<channel>/p<ts without the dot>,
    plus thread_ts and cid for a reply, so the link opens it inside its thread.
    """
    link = f"https://{team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link
