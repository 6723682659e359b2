"""Small capability protocols a connector implements (rather than one fat base class)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from connectors.mail.types import ParsedMessage
from connectors.types import (
    ChangeBatch,
    ChatChange,
    ChatMention,
    ConnectedAccount,
    Credentials,
    MailDraft,
    MessageRef,
    Notification,
    Provider,
    RemoteTask,
    SlackMessage,
    TaskDraft,
    TokenGrant,
    Watch,
    WebhookRequest,
)


@runtime_checkable
class WebhookSource(Protocol):
    provider: Provider

    def verify(self, request: WebhookRequest) -> None:
        """Raise WebhookRejected unless the request provably comes from the provider."""

    def parse(self, request: WebhookRequest) -> list[Notification]:
        """Turn a verified request into notifications; raise WebhookRejected on a bad body."""

    def challenge(self, request: WebhookRequest) -> str | None:
        """The text to answer when the request is a subscription handshake, else None.

        Graph validates a notification URL by posting ?validationToken=... and expecting
        the token back as text/plain; nothing is recorded for such a request.
        """


@runtime_checkable
class MessageSource(Protocol):
    provider: Provider

    def watch(
        self, credentials: Credentials, *, account: str, current: Watch | None = None
    ) -> Watch:
        """Start or renew the push subscription; current is the one we hold, if any.

        A provider whose watch call is idempotent (Gmail) ignores current; Graph renews
        current and creates a new subscription when there is none or it is gone.
        """

    def unwatch(self, credentials: Credentials, *, account: str, current: Watch) -> None:
        """Stop the push subscription; one the provider already dropped is not an error."""

    def changes_since(self, credentials: Credentials, *, account: str, cursor: str) -> ChangeBatch:
        """Messages added after cursor; raise CursorExpired when the provider forgot it."""

    def recent(self, credentials: Credentials, *, account: str, limit: int) -> ChangeBatch:
        """The newest messages and the current cursor: a bounded resync."""

    def fetch(
        self, credentials: Credentials, *, account: str, refs: Sequence[MessageRef]
    ) -> list[ParsedMessage]:
        """Fetch and parse messages; ones deleted meanwhile are skipped."""


@runtime_checkable
class ChatSource(Protocol):
    """A source whose deliveries carry the message itself (Slack's Events API)."""

    provider: Provider

    def read_event(self, token: str, event: Mapping[str, Any]) -> ChatChange | None:
        """The change an event makes, people and channel named; None for ones not kept.

        Raises RateLimited / ProviderUnavailable when naming them may succeed later.
        """

    def read_mention(self, event: Mapping[str, Any]) -> ChatMention | None:
        """The request an app mention event makes; None when it names no message."""

    def conversation(
        self, token: str, *, channel: str, thread_ts: str, limit: int
    ) -> list[ParsedMessage]:
        """A chat thread's messages by people (no bots), oldest first, at most limit."""


@runtime_checkable
class DraftSink(Protocol):
    """A mailbox that keeps reply drafts (Gmail drafts, Outlook's Drafts folder)."""

    provider: Provider

    def save_draft(self, credentials: Credentials, *, account: str, draft: MailDraft) -> str:
        """Save draft as a reply in its thread; return the provider's id of the draft.

        Raises AuthExpired when the token is refused, RateLimited / ProviderUnavailable
        when a retry may succeed, ConnectorError when the message it answers is gone.
        """


@runtime_checkable
class TokenRefresher(Protocol):
    provider: Provider

    def refresh(self, refresh_token: str) -> TokenGrant:
        """Exchange a refresh token; raise AuthExpired when it is dead (invalid_grant)."""


@runtime_checkable
class ChatSink(Protocol):
    provider: Provider

    def post_message(
        self,
        token: str,
        *,
        channel: str,
        message: SlackMessage,
        thread_ts: str | None = None,
        marker: str | None = None,
    ) -> str:
        """Post (in thread_ts's thread, if given); return the message's id (Slack's ts).

        marker, unique per request, is stored with the message (Slack message metadata).
        """

    def find_message(
        self,
        token: str,
        *,
        channel: str,
        marker: str,
        since: datetime,
        thread_ts: str | None = None,
    ) -> str | None:
        """The id of a message posted with marker at or after since, else None.

        Asked before retrying a post whose outcome is unknown (timeout, 5xx).
        """


@runtime_checkable
class TaskSink(Protocol):
    provider: Provider

    def create_task(self, token: str, *, target: str, task: TaskDraft) -> RemoteTask:
        """Create task in target (a ClickUp list id, a Notion database id).

        Raises AuthExpired when the token is refused, RateLimited / ProviderUnavailable
        when a retry may succeed, and ConnectorError when the target rejects the task.
        """

    def find_task(
        self, token: str, *, target: str, task: TaskDraft, since: datetime
    ) -> RemoteTask | None:
        """The task created in target for task.marker at or after since, else None.

        Asked before retrying a create whose outcome is unknown (timeout, 5xx).
        """


@runtime_checkable
class OAuthConnector(Protocol):
    """Connecting an account: the authorization code flow with PKCE (S256), offline access."""

    provider: Provider

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        """Where to send the user to consent; the provider redirects back with a code."""

    def connect(self, *, code: str, redirect_uri: str, code_verifier: str) -> ConnectedAccount:
        """Trade the code for tokens (with a refresh token) and name the account.

        Raises AuthExpired when the code is refused (used, expired, wrong verifier).
        """
