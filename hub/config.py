"""The one settings class. Only composition roots (app factory, wiring, manage.py) read it."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SANDBOX_FAKES_PORT = 8001
MIN_SECRET_KEY_LENGTH = 32
SANDBOX_SECRET = "sandbox-only-secret-never-use-in-production"  # noqa: S105 - sandbox default

# Provider credentials: when none is set the hub starts in sandbox mode.
_CREDENTIAL_FIELDS = ("google_client_id", "microsoft_client_id", "slack_signing_secret")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = "sqlite:///./var/inbox-hub.db"
    redis_url: str = ""
    celery_broker_url: str = ""
    secret_key: str = ""
    token_encryption_keys: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    sandbox: bool | None = None
    sandbox_fakes_port: int = SANDBOX_FAKES_PORT
    log_json: bool = False
    log_level: str = "INFO"
    jwt_ttl_minutes: int = 60 * 12

    gmail_api_url: str = "https://gmail.googleapis.com"
    google_oauth_url: str = "https://oauth2.googleapis.com"
    google_authorize_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_certs_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    graph_api_url: str = "https://graph.microsoft.com/v1.0"
    microsoft_login_url: str = "https://login.microsoftonline.com"
    slack_api_url: str = "https://slack.com/api/"
    clickup_api_url: str = "https://api.clickup.com/api/v2"
    notion_api_url: str = "https://api.notion.com/v1"
    openai_base_url: str = "https://api.openai.com/v1"

    google_client_id: str = ""
    google_client_secret: str = ""
    microsoft_client_id: str = ""
    microsoft_client_secret: str = ""
    microsoft_tenant: str = "common"
    # Requested Graph subscription lifetime; Graph's maximum for mail is 10,080 minutes,
    # older documentation says 4,230, which every version accepts.
    graph_subscription_minutes: int = Field(default=4230, ge=45, le=10080)
    notion_version: str = "2022-06-28"
    # The Notion database's property names tasks are written to.
    notion_title_property: str = "Name"
    notion_due_property: str = "Due"
    slack_signing_secret: str = ""
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_authorize_url: str = "https://slack.com/oauth/v2/authorize"
    gmail_push_audience: str = ""
    gmail_push_service_account: str = ""
    gmail_pubsub_topic: str = "projects/inbox-hub/topics/gmail-push"

    ai_provider: str = "local"  # local (offline) or openai (any OpenAI-compatible server)
    ai_redact: bool = False  # mask addresses, phones and card numbers sent to a remote model
    ai_token_budget: int = 6000  # input tokens per AI call; older messages are dropped first
    openai_api_key: str = ""
    openai_model: str = "gpt-4o-mini"
    openai_model_triage: str = ""
    openai_model_summary: str = ""
    openai_model_reply: str = ""
    openai_timeout: float = 30.0
    openai_max_retries: int = 2
    openai_structured_outputs: bool | None = None  # None: try strict schemas, fall back

    # Raw messages and attachments: S3-compatible storage when S3_BUCKET is set, else a
    # local directory. RETENTION_DAYS > 0 purges them after that many days (derived data
    # such as text, summaries and tasks stays).
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_region: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    storage_dir: str = "./var/objects"
    retention_days: int = 0

    inbound_sweep_after_seconds: int = 120
    sync_lock_timeout_seconds: int = 60
    resync_message_limit: int = 50
    # Messages fetched, stored and committed together: a sync holds at most this many
    # in memory, and a crash midway keeps the groups already committed.
    sync_group_size: int = Field(default=10, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _fill_sandbox_defaults(cls, values: Any) -> Any:
        """Sandbox mode fills in only what was left unset, so explicit settings win."""
        if not isinstance(values, dict):
            return values
        given = {key.lower(): value for key, value in values.items() if value not in (None, "")}
        sandbox = given.get("sandbox")
        if sandbox is None:
            sandbox = not any(given.get(name) for name in _CREDENTIAL_FIELDS)
        elif isinstance(sandbox, str):
            sandbox = sandbox.strip().lower() in {"1", "true", "yes", "on"}
        if not sandbox:
            return {**values, "sandbox": False}
        defaults = sandbox_defaults(int(given.get("sandbox_fakes_port", SANDBOX_FAKES_PORT)))
        public = str(given.get("public_base_url", "http://127.0.0.1:8000")).rstrip("/")
        defaults["gmail_push_audience"] = f"{public}/webhooks/gmail"
        return {**defaults, **given, "sandbox": True}

    @model_validator(mode="after")
    def _require_secrets(self) -> Settings:
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters (it signs tokens)"
            )
        if not self.token_encryption_keys:
            raise ValueError("TOKEN_ENCRYPTION_KEYS is required outside sandbox mode")
        return self

    @property
    def broker_url(self) -> str:
        return self.celery_broker_url or self.redis_url

    @property
    def encryption_keys(self) -> list[str]:
        return [key.strip() for key in self.token_encryption_keys.split(",") if key.strip()]

    @property
    def openai_models(self) -> dict[str, str]:
        per_step = {
            "triage": self.openai_model_triage,
            "summary": self.openai_model_summary,
            "reply": self.openai_model_reply,
        }
        return {"default": self.openai_model} | {k: v for k, v in per_step.items() if v}

    @property
    def embedded(self) -> bool:
        """No broker configured: jobs run on in-process worker threads."""
        return not self.broker_url


def sandbox_defaults(port: int) -> dict[str, Any]:
    fakes = f"http://127.0.0.1:{port}"
    # Derived, not random, so a restarted sandbox can still decrypt what it stored.
    sandbox_key = base64.urlsafe_b64encode(hashlib.sha256(SANDBOX_SECRET.encode()).digest())
    return {
        "secret_key": SANDBOX_SECRET,
        "token_encryption_keys": sandbox_key.decode(),
        "gmail_api_url": fakes,
        "google_oauth_url": fakes,
        "google_authorize_url": f"{fakes}/o/oauth2/v2/auth",
        "google_certs_url": f"{fakes}/oauth2/v3/certs",
        "slack_api_url": f"{fakes}/api/",
        "openai_base_url": f"{fakes}/v1",
        "graph_api_url": f"{fakes}/v1.0",
        "microsoft_login_url": fakes,
        "clickup_api_url": f"{fakes}/clickup/api/v2",
        "notion_api_url": f"{fakes}/notion/v1",
        "microsoft_client_id": "sandbox-microsoft-client",
        "microsoft_client_secret": "sandbox-microsoft-secret",  # the Graph fake checks them
        "google_client_id": "sandbox-client.apps.googleusercontent.com",
        "google_client_secret": "sandbox-client-secret",
        "slack_signing_secret": "sandbox-signing-secret",
        "slack_authorize_url": f"{fakes}/oauth/v2/authorize",
        "slack_client_id": "sandbox-slack-client",
        "slack_client_secret": "sandbox-slack-secret",
        "gmail_push_service_account": "gmail-push@inbox-hub-sandbox.iam.gserviceaccount.com",
    }


@lru_cache
def get_settings() -> Settings:
    return Settings()
