"""Threading keys and JWZ threading over Message-ID, In-Reply-To and References.

No maintained Python library does this (see the reference study), and the algorithm
is small: https://www.jwz.org/doc/threading.html, without its subject-merging step,
which the hub replaces with a stricter fallback (same subject AND shared participants
AND close in time; see subject_fallback_matches).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from connectors.mail.types import ParsedMessage

# Reply and forward prefixes in many languages, repeated or counted ("Re[2]:").
_REPLY_WORDS = "re|aw|sv|vs|antw|odp|ynt|res|rif|r|ref|réf|rép|на|отв|回复|回覆|答复|返信|رد"
_FORWARD_WORDS = "fw|fwd|wg|vb|tr|i|enc|rv|pd|трд|转发|轉寄|転送"
_COUNTED = r"\s*(?:\[\d{1,3}\]|\(\d{1,3}\))?\s*[:\uff1a]"
_PREFIX = re.compile(rf"^\s*(?:(?:{_REPLY_WORDS}|{_FORWARD_WORDS}){_COUNTED}\s*)+", re.IGNORECASE)
_REPLY_PREFIX = re.compile(rf"^\s*(?:{_REPLY_WORDS}){_COUNTED}", re.IGNORECASE)
_LIST_TAG = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_SPACES = re.compile(r"\s+")

SUBJECT_WINDOW = timedelta(days=14)


def is_reply_subject(subject: str) -> bool:
    """Whether the subject already starts with a reply prefix (a forward's does not)."""
    return _REPLY_PREFIX.match(subject) is not None


def normalize_subject(subject: str) -> str:
    """The subject without reply/forward prefixes and list tags, case-folded."""
    text = subject
    for _ in range(5):  # "[list] Re: [list] Fwd: x" needs a few rounds
        stripped = _LIST_TAG.sub("", _PREFIX.sub("", text))
        if stripped == text:
            break
        text = stripped
    return _SPACES.sub(" ", text).strip().casefold()


def ancestors(parsed: ParsedMessage) -> tuple[str, ...]:
    """References then In-Reply-To, oldest first, without duplicates or the message itself."""
    chain = [*parsed.references]
    if parsed.in_reply_to:
        chain.append(parsed.in_reply_to)
    own = parsed.message_id
    return tuple(ref for ref in dict.fromkeys(chain) if ref and ref != own)


def participants(parsed: ParsedMessage) -> frozenset[str]:
    people = [a.email for a in (*parsed.to, *parsed.cc, *parsed.reply_to) if a.email]
    if parsed.sender is not None and parsed.sender.email:
        people.append(parsed.sender.email)
    return frozenset(people)


def subject_fallback_matches(
    parsed: ParsedMessage,
    *,
    other_subject: str,
    other_participants: Iterable[str],
    other_time: datetime | None,
) -> bool:
    """Join by subject only when the people overlap and the times are close."""
    subject = normalize_subject(parsed.subject)
    if not subject or subject != normalize_subject(other_subject):
        return False
    if not participants(parsed) & set(other_participants):
        return False
    if parsed.date is None or other_time is None:
        return False
    return abs(parsed.date - other_time) <= SUBJECT_WINDOW


@dataclass
class Container:
    """A node of the JWZ tree: a message id, the message if we have it, its children."""

    message_id: str
    message: ParsedMessage | None = None
    parent: Container | None = None
    children: list[Container] = field(default_factory=list)

    def is_ancestor_of(self, other: Container) -> bool:
        node: Container | None = other
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False

    def messages(self) -> list[ParsedMessage]:
        found: list[ParsedMessage] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.message is not None:
                found.append(node.message)
            stack.extend(reversed(node.children))
        return found


def _link(parent: Container, child: Container) -> None:
    if child.parent is not None or parent is child or child.is_ancestor_of(parent):
        return  # JWZ: never re-parent, never create a loop
    child.parent = parent
    parent.children.append(child)


def thread_messages(messages: Sequence[ParsedMessage]) -> list[list[ParsedMessage]]:
    """Group messages into conversations by their reference chains (JWZ steps 1-4)."""
    table: dict[str, Container] = {}

    def container(message_id: str) -> Container:
        return table.setdefault(message_id, Container(message_id))

    for index, parsed in enumerate(messages):
        own_id = parsed.message_id or f"<no-id-{index}>"
        node = container(own_id)
        if node.message is not None:  # a duplicate Message-ID: keep both, apart
            node = container(f"{own_id}#dup-{index}")
        node.message = parsed
        chain = [container(ref) for ref in ancestors(parsed)]
        for parent, child in itertools.pairwise(chain):
            _link(parent, child)
        if chain:
            if node.parent is not None and node.parent is not chain[-1]:
                node.parent.children.remove(node)
                node.parent = None
            _link(chain[-1], node)
    roots = [c for c in table.values() if c.parent is None]
    return [group for root in roots if (group := root.messages())]
