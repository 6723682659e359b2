"""The Graph fake's rules for subscription bodies: what POST and PATCH accept, in Graph's words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from connectors.outlook.fake_resources import FakeSubscription
from connectors.outlook.payloads import parse_graph_datetime

MAX_CLIENT_STATE = 128  # the subscription resource's limit (the notification doc says 255)
_CHANGE_TYPES = frozenset({"created", "updated", "deleted"})
_TLS_VERSIONS = frozenset({"v1_0", "v1_1", "v1_2", "v1_3"})
_RESOURCE = re.compile(
    r"^(me|users/[^/]+)/(mailfolders(\('[^']+'\)|/[^/]+)/)?messages$", re.IGNORECASE
)


class InvalidRequest(ValueError):
    """A body Graph refuses with 400; the message is Graph's wording."""

    def __init__(self, message: str, code: str = "InvalidRequest") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SubscriptionRules:
    max_minutes: int
    require_https: bool
    application_id: str
    clock: Callable[[], datetime]

    def expiration(self, value: Any, *, operation: str = "Create") -> datetime:
        if not isinstance(value, str):
            raise InvalidRequest("expirationDateTime is required.")
        try:
            when = parse_graph_datetime(value)
        except ValueError:
            raise InvalidRequest("Invalid expirationDateTime.") from None
        now = self.clock()
        if when <= now:
            raise InvalidRequest("Subscription expiration must be in the future.", "ExtensionError")
        if when > now + timedelta(minutes=self.max_minutes):
            raise InvalidRequest(
                f"Operation: {operation}; Exception: [Status Code: BadRequest; Reason:"
                f" Subscription expiration can only be {self.max_minutes} minutes in the future.]",
                "ExtensionError",
            )
        return when

    def create(
        self, body: Any, *, subscription_id: str, address: str, creator_id: str
    ) -> FakeSubscription:
        """The subscription a POST body asks for (not yet validated against its URLs)."""
        if not isinstance(body, dict):
            raise InvalidRequest("Empty Payload. JSON content expected.")
        change_type = body.get("changeType")
        if not isinstance(change_type, str) or not set(change_type.split(",")) <= _CHANGE_TYPES:
            raise InvalidRequest("Invalid changeType.")
        resource = body.get("resource")
        if not isinstance(resource, str) or not _RESOURCE.match(resource.strip("/")):
            raise InvalidRequest("Resource is not supported for change notifications.")
        client_state = body.get("clientState")
        if client_state is not None and (
            not isinstance(client_state, str) or len(client_state) > MAX_CLIENT_STATE
        ):
            raise InvalidRequest(f"clientState must be at most {MAX_CLIENT_STATE} characters.")
        tls = body.get("latestSupportedTlsVersion", "v1_2")
        if tls not in _TLS_VERSIONS:
            raise InvalidRequest("Invalid latestSupportedTlsVersion.")
        if body.get("includeResourceData"):
            raise InvalidRequest("encryptionCertificate is required with includeResourceData.")
        return FakeSubscription(
            id=subscription_id,
            address=address,
            resource=resource,
            change_type=change_type,
            notification_url=self._url(body.get("notificationUrl"), "notificationUrl"),
            lifecycle_url=(
                self._url(body["lifecycleNotificationUrl"], "lifecycleNotificationUrl")
                if body.get("lifecycleNotificationUrl") is not None
                else None
            ),
            client_state=client_state,
            expires_at=self.expiration(body.get("expirationDateTime")),
            tls_version=str(tls),
            application_id=self.application_id,
            creator_id=creator_id,
        )

    def _url(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise InvalidRequest(f"{key} must be an absolute URL.")
        if self.require_https and not value.startswith("https://"):
            raise InvalidRequest("Subscription Notification Endpoint must be https.")
        return value
