"""The composition root for everything outside HTTP: builds the process's runtime.

Connectors and the AI provider get their HTTP clients, secrets and base URLs here
and nowhere else. API, workers, manage.py and tests all go through init_runtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from redis import Redis
from sqlalchemy import Engine

from ai.base import AIProvider
from ai.factory import build_provider
from connectors.clickup.connector import ClickUpConnector
from connectors.gmail.connector import GmailConnector
from connectors.gmail.push import PushVerifier
from connectors.notion.connector import NotionConnector
from connectors.outlook.connector import OutlookConnector
from connectors.registry import Registry, registry_from
from connectors.slack.connector import SlackConnector
from db import encryption
from db.session import SessionFactory, make_engine, make_session_factory
from hub.celery_app import CeleryPublisher, configure_broker
from hub.config import Settings, get_settings
from hub.events.bus import EventBus, LocalEventBus, RedisEventBus
from hub.events.service import set_bus
from hub.inprocess import InProcessRunner
from hub.locks import LocalLocks, Locks, RedisLocks
from hub.logging import configure_logging
from hub.queue import JobName, Publisher, set_publisher
from hub.storage import LocalStore, ObjectStore, build_s3_store

USER_AGENT = "inbox-hub/0.1"
SWEEP_EVERY_SECONDS = 60.0
RENEW_EVERY_SECONDS = 6 * 3600.0


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    registry: Registry
    ai: AIProvider
    locks: Locks
    publisher: Publisher
    redis: Redis | None
    http: httpx.Client
    events: EventBus
    storage: ObjectStore

    def close(self) -> None:
        if isinstance(self.publisher, InProcessRunner):
            self.publisher.shutdown(wait=False)
        self.http.close()
        if self.redis is not None:
            self.redis.close()
        self.engine.dispose()


_runtime: Runtime | None = None


def build_registry(settings: Settings, http: httpx.Client) -> Registry:
    verifier = PushVerifier(
        certs_url=settings.google_certs_url,
        audience=settings.gmail_push_audience,
        service_account=settings.gmail_push_service_account,
        http=http,
    )
    gmail = GmailConnector(
        http=http,
        api_url=settings.gmail_api_url,
        oauth_url=settings.google_oauth_url,
        authorize_url_base=settings.google_authorize_url,
        client_id=settings.google_client_id,
        client_secret=settings.google_client_secret,
        push_verifier=verifier,
    )
    outlook = OutlookConnector(
        http=http,
        api_url=settings.graph_api_url,
        login_url=settings.microsoft_login_url,
        client_id=settings.microsoft_client_id,
        client_secret=settings.microsoft_client_secret,
        tenant=settings.microsoft_tenant,
        notification_url=f"{settings.public_base_url.rstrip('/')}/webhooks/outlook",
        subscription_minutes=settings.graph_subscription_minutes,
    )
    slack = SlackConnector(
        api_url=settings.slack_api_url,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        authorize_url_base=settings.slack_authorize_url,
    )
    clickup = ClickUpConnector(http=http, api_url=settings.clickup_api_url)
    notion = NotionConnector(
        http=http,
        api_url=settings.notion_api_url,
        notion_version=settings.notion_version,
        title_property=settings.notion_title_property,
        due_property=settings.notion_due_property or None,
    )
    return registry_from([gmail, outlook, slack, clickup, notion])


def build_ai(settings: Settings) -> AIProvider:
    return build_provider(
        settings.ai_provider,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or None,
        models=settings.openai_models,
        timeout=settings.openai_timeout,
        redact=settings.ai_redact,
        max_retries=settings.openai_max_retries,
        structured_outputs=settings.openai_structured_outputs,
    )


def build_storage(settings: Settings) -> ObjectStore:
    if not settings.s3_bucket:
        return LocalStore(Path(settings.storage_dir))
    return build_s3_store(
        settings.s3_endpoint_url,
        settings.s3_bucket,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key,
    )


def init_runtime(settings: Settings, *, publisher: Publisher | None = None) -> Runtime:
    """Build (or rebuild) this process's runtime and install its job publisher."""
    global _runtime  # one runtime per process
    if _runtime is not None:
        _runtime.close()
    configure_logging(json=settings.log_json, level=settings.log_level)
    encryption.configure(settings.encryption_keys)
    engine = make_engine(settings.database_url)
    http = httpx.Client(
        timeout=httpx.Timeout(20.0, connect=5.0), headers={"User-Agent": USER_AGENT}
    )
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    if publisher is None:
        publisher = _default_publisher(settings)
    set_publisher(publisher)
    events: EventBus = (
        RedisEventBus(redis, settings.redis_url) if redis is not None else LocalEventBus()
    )
    set_bus(events)
    _runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        registry=build_registry(settings, http),
        ai=build_ai(settings),
        locks=RedisLocks(redis) if redis is not None else LocalLocks(),
        publisher=publisher,
        redis=redis,
        http=http,
        events=events,
        storage=build_storage(settings),
    )
    return _runtime


def _default_publisher(settings: Settings) -> Publisher:
    if not settings.embedded:
        configure_broker(settings.broker_url)
        return CeleryPublisher()
    runner = InProcessRunner()
    runner.start_beat(
        [JobName.SWEEP_INBOUND_EVENTS, JobName.SWEEP_ANALYSES, JobName.SWEEP_OUTBOX],
        every_seconds=SWEEP_EVERY_SECONDS,
    )
    runner.start_beat(
        [JobName.RENEW_WATCHES, JobName.PURGE_EXPIRED_OBJECTS], every_seconds=RENEW_EVERY_SECONDS
    )
    return runner


def runtime() -> Runtime:
    """The process's runtime, built from the environment on first use (Celery workers)."""
    return _runtime if _runtime is not None else init_runtime(get_settings())


def close_runtime() -> None:
    global _runtime
    if _runtime is not None:
        _runtime.close()
        _runtime = None
