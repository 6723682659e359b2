"""The one error family every connector raises; hub flows translate each kind."""

from __future__ import annotations


class ConnectorError(Exception):
    """A provider call failed in a way that is not one of the kinds below."""


class WebhookRejected(ConnectorError):
    """An inbound webhook failed verification (signature, token, audience, age)."""


class AuthExpired(ConnectorError):
    """The access or refresh token is no longer accepted: the account needs re-consent."""


class CursorExpired(ConnectorError):
    """The provider no longer knows the stored sync cursor: a bounded resync is needed."""


class RateLimited(ConnectorError):
    """The provider asked us to slow down."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProviderUnavailable(ConnectorError):
    """5xx, timeout or connection failure: retry later."""
