"""Connectors sorted by capability, with typed lookups. Built by hub.wiring."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

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


# Each Registry table and the capability protocol a connector joins it by implementing.
_TABLES: dict[str, type] = {
    "webhook_sources": WebhookSource,
    "message_sources": MessageSource,
    "token_refreshers": TokenRefresher,
    "chat_sinks": ChatSink,
    "task_sinks": TaskSink,
    "oauth": OAuthConnector,
    "chat_sources": ChatSource,
    "draft_sinks": DraftSink,
}


def registry_from(connectors: Iterable[Any]) -> Registry:
    """Sort each connector into the capability tables it implements."""
    tables: dict[str, dict[Provider, Any]] = {name: {} for name in _TABLES}
    for connector in connectors:
        provider: Provider = connector.provider
        for name, capability in _TABLES.items():
            if isinstance(connector, capability):
                tables[name][provider] = connector
    return Registry(**tables)
