"""Answering a mention of the app in chat (Slack app_mention), in the mention's thread.

"@hub task: renew the TLS cert by Friday" writes that task into the organization's task
tool; any other mention ("@hub summarize", "@hub what's open here?") is answered with
the thread's summary and its action items. The thread is read from the chat provider
(it may predate the app), the AI steps run with no transaction open, and the answer
leaves through the outbox, so a failed post is retried and never doubled.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

import structlog

from ai.base import AIError, AIUnavailable
from ai.steps import summary as summary_step
from ai.steps import triage as triage_step
from ai.types import MessageInput, ThreadInput
from connectors.errors import ProviderUnavailable, RateLimited
from connectors.mail.types import ParsedMessage
from connectors.types import MentionAnswer, Provider
from hub.connections import service as accounts
from hub.errors import Conflict, RetryLater
from hub.outbox.service import SLACK_THREAD_REPLY, add_to_outbox
from hub.tasks.service import NewTask, tool_name, write_task
from hub.threads.service import chat_thread_id
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

CONVERSATION_LIMIT = 200
_TASK_REQUEST = re.compile(r"^\s*(?:task|todo|to-do)\b\s*[:\-\u2013]?\s*(?P<rest>.*)$", re.I | re.S)


def task_request(text: str) -> str | None:
    """What to do when the request asks for a task ("task: ..."), else None."""
    match = _TASK_REQUEST.match(text)
    if match is None:
        return None
    return match.group("rest").strip() or None


def answer_mention(account_id: uuid.UUID, event: Mapping[str, Any], *, rt: Runtime) -> None:
    with rt.sessions.begin() as session:
        account = accounts.get_account(session, account_id)
        org_id, provider = account.org_id, Provider(account.provider)
        token = accounts.credentials_of(account).access_token or ""
    chat = rt.registry.chat_source(provider)
    mention = chat.read_mention(event)
    if mention is None:
        return
    request = task_request(mention.text)
    try:
        if request is not None:
            where = f"{mention.channel}:{mention.thread_ts}"
            answer = _write_task(rt, org_id, request, where, asked_at=mention.asked_at)
        else:
            messages = chat.conversation(
                token,
                channel=mention.channel,
                thread_ts=mention.thread_ts,
                limit=CONVERSATION_LIMIT,
            )
            # The request to the app is no part of what the thread says.
            asked = f"{mention.channel}:{mention.ts}"
            answer = _summarize(rt, [m for m in messages if m.provider_id != asked])
    except (RateLimited, ProviderUnavailable, AIUnavailable) as exc:
        raise RetryLater(f"{type(exc).__name__}: {exc}") from exc
    except AIError as exc:
        # Bad output even after the step's repair retry: asking again would not help.
        log.error("mention.ai_failed", error_type=type(exc).__name__)
        answer = MentionAnswer(note="Sorry, I could not read this thread just now.")
    with rt.sessions.begin() as session:
        add_to_outbox(
            session,
            org_id=org_id,
            kind=SLACK_THREAD_REPLY,
            idempotency_key=f"{SLACK_THREAD_REPLY}:{account_id}:{mention.channel}:{mention.ts}",
            payload={
                "channel": mention.channel,
                "thread_ts": mention.thread_ts,
                "answer": asdict(answer),
            },
        )
    log.info("mention.answered", account_id=str(account_id), task=request is not None)


def _write_task(
    rt: Runtime, org_id: uuid.UUID, request: str, chat_thread: str, *, asked_at: datetime | None
) -> MentionAnswer:
    """The task the request names, its title and due date read by the triage step.

    asked_at anchors relative dates ("by Friday") to when the request was made.
    """
    message = MessageInput(author="", sent_at=asked_at, text=request)
    asked = ThreadInput(subject="", messages=(message,))
    found = triage_step.run(rt.ai, asked, token_budget=rt.settings.ai_token_budget).output.tasks
    title = found[0].title if found else request
    due = found[0].due if found else None
    try:
        with rt.sessions.begin() as session:
            new = NewTask(
                title=title[:500],
                notes=request,
                due=due,
                thread_id=chat_thread_id(session, org_id, chat_thread),
            )
            task = write_task(session, org_id, new, None)
            tool = str(task.destination)
    except Conflict as exc:
        return MentionAnswer(note=f"No task created: {exc}.")
    return MentionAnswer(tasks=[(title, due.isoformat() if due else "")], created=tool_name(tool))


def _summarize(rt: Runtime, messages: list[ParsedMessage]) -> MentionAnswer:
    thread = ThreadInput(
        subject=messages[0].subject if messages else "",
        messages=tuple(
            MessageInput(author=_author(m), sent_at=m.date, text=m.visible_text)
            for m in messages
            if m.visible_text
        ),
    )
    if not thread.messages:
        return MentionAnswer(note="There is nothing in this thread to summarize yet.")
    budget = rt.settings.ai_token_budget
    summary = summary_step.run(rt.ai, thread, previous=None, token_budget=budget).output
    tasks = triage_step.run(rt.ai, thread, token_budget=budget).output.tasks
    return MentionAnswer(
        summary=summary.text,
        tasks=[(task.title, task.due.isoformat() if task.due else "") for task in tasks],
    )


def _author(message: ParsedMessage) -> str:
    sender = message.sender
    if sender is None:
        return ""
    return f"{sender.name} <{sender.email}>" if sender.email else sender.name
