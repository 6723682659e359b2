"""Connectors sorted by capability, with typed lookups. Built by hub.wiring."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from connectors.base import (
    ChatSink,
    ChatSource,
    DraftSink,
    MessageSource,
    OAuthConnector,
    TaskSink,
    TokenRefresher,
    WebhookSource,
)
from connectors.types import Provider

T = TypeVar("T")


class UnsupportedProvider(LookupError):
    """No connector offers this capability for the provider."""


@dataclass(frozen=True)
class Registry:
    webhook_sources: Mapping[Provider, WebhookSource]
    message_sources: Mapping[Provider, MessageSource]
    token_refreshers: Mapping[Provider, TokenRefresher]
    chat_sinks: Mapping[Provider, ChatSink]
    task_sinks: Mapping[Provider, TaskSink]
    oauth: Mapping[Provider, OAuthConnector]
    chat_sources: Mapping[Provider, ChatSource]
    draft_sinks: Mapping[Provider, DraftSink]

    def webhook_source(self, provider: Provider) -> WebhookSource:
        return _lookup(self.webhook_sources, provider, "webhooks")

    def message_source(self, provider: Provider) -> MessageSource:
        return _lookup(self.message_sources, provider, "messages")

    def token_refresher(self, provider: Provider) -> TokenRefresher:
        return _lookup(self.token_refreshers, provider, "token refresh")

    def chat_sink(self, provider: Provider) -> ChatSink:
        return _lookup(self.chat_sinks, provider, "chat messages")

    def task_sink(self, provider: Provider) -> TaskSink:
        return _lookup(self.task_sinks, provider, "tasks")

    def oauth_connector(self, provider: Provider) -> OAuthConnector:
        return _lookup(self.oauth, provider, "connecting accounts")

    def chat_source(self, provider: Provider) -> ChatSource:
        return _lookup(self.chat_sources, provider, "chat events")

    def draft_sink(self, provider: Provider) -> DraftSink:
        return _lookup(self.draft_sinks, provider, "reply drafts")


def _lookup(table: Mapping[Provider, T], provider: Provider, capability: str) -> T:
    try:
        return table[provider]
    except KeyError:
        raise UnsupportedProvider(f"{provider} does not support {capability}") from None


def registry_from(connectors: Iterable[object]) -> Registry:
    """Sort each connector into the capability tables it implements."""
    webhook: dict[Provider, WebhookSource] = {}
    messages: dict[Provider, MessageSource] = {}
    refreshers: dict[Provider, TokenRefresher] = {}
    chat: dict[Provider, ChatSink] = {}
    tasks: dict[Provider, TaskSink] = {}
    oauth: dict[Provider, OAuthConnector] = {}
    chat_sources: dict[Provider, ChatSource] = {}
    draft_sinks: dict[Provider, DraftSink] = {}
    for connector in connectors:
        if isinstance(connector, WebhookSource):
            webhook[connector.provider] = connector
        if isinstance(connector, MessageSource):
            messages[connector.provider] = connector
        if isinstance(connector, TokenRefresher):
            refreshers[connector.provider] = connector
        if isinstance(connector, ChatSink):
            chat[connector.provider] = connector
        if isinstance(connector, TaskSink):
            tasks[connector.provider] = connector
        if isinstance(connector, OAuthConnector):
            oauth[connector.provider] = connector
        if isinstance(connector, ChatSource):
            chat_sources[connector.provider] = connector
        if isinstance(connector, DraftSink):
            draft_sinks[connector.provider] = connector
    return Registry(webhook, messages, refreshers, chat, tasks, oauth, chat_sources, draft_sinks)
