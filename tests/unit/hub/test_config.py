from __future__ import annotations

import pytest
from pydantic import ValidationError

from hub.config import Settings

FERNET_KEY = "x" * 43 + "="


def test_sandbox_is_on_without_credentials_and_points_at_the_fakes() -> None:
    settings = Settings(sandbox_fakes_port=9100, public_base_url="http://hub.test:8000")
    assert settings.sandbox is True
    assert settings.gmail_api_url == "http://127.0.0.1:9100"
    assert settings.google_certs_url == "http://127.0.0.1:9100/oauth2/v3/certs"
    assert settings.slack_api_url == "http://127.0.0.1:9100/api/"
    assert settings.gmail_push_audience == "http://hub.test:8000/webhooks/gmail"
    assert settings.embedded is True


def test_sandbox_fills_only_what_was_left_unset() -> None:
    settings = Settings(sandbox=True, gmail_api_url="http://gmail.test", secret_key="s" * 40)
    assert settings.gmail_api_url == "http://gmail.test"
    assert settings.secret_key == "s" * 40
    assert settings.slack_api_url.startswith("http://127.0.0.1:")


def test_a_provider_credential_turns_sandbox_off() -> None:
    settings = Settings(
        google_client_id="real-client", secret_key="k" * 32, token_encryption_keys=FERNET_KEY
    )
    assert settings.sandbox is False
    assert settings.gmail_api_url == "https://gmail.googleapis.com"


def test_outside_sandbox_secrets_are_required() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(sandbox=False, token_encryption_keys=FERNET_KEY)
    with pytest.raises(ValidationError, match="TOKEN_ENCRYPTION_KEYS"):
        Settings(sandbox=False, secret_key="k" * 32)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(sandbox=False, secret_key="short", token_encryption_keys=FERNET_KEY)


def test_broker_defaults_to_redis_and_keys_split() -> None:
    settings = Settings(
        sandbox=True, redis_url="redis://r:6379/0", token_encryption_keys=" a= , b= ,"
    )
    assert settings.broker_url == "redis://r:6379/0"
    assert settings.embedded is False
    assert settings.encryption_keys == ["a=", "b="]
    explicit = Settings(sandbox=True, redis_url="redis://r", celery_broker_url="amqp://mq")
    assert explicit.broker_url == "amqp://mq"
