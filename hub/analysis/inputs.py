"""What the AI steps read, built from a parsed message (for `manage.py analyze FILE.eml`)."""

from __future__ import annotations

from ai.types import MessageInput, ThreadInput
from connectors.mail.types import ParsedMessage


def thread_from_parsed(parsed: ParsedMessage) -> ThreadInput:
    """A one-message thread; its first recipient is taken as the mailbox owner."""
    sender = parsed.sender
    author = ""
    if sender is not None:
        author = f"{sender.name} <{sender.email}>" if sender.name else sender.email
    message = MessageInput(
        author=author,
        sent_at=parsed.date,
        text=parsed.visible_text or parsed.text,
        auto_signals=parsed.auto_signals,
    )
    people = [a.email for a in (*parsed.to, *parsed.cc) if a.email]
    if sender is not None and sender.email:
        people.append(sender.email)
    return ThreadInput(
        subject=parsed.subject,
        messages=(message,),
        owner=parsed.to[0].email if parsed.to else "",
        participants=tuple(sorted(set(people))),
    )
