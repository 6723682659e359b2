"""Wire models for Pub/Sub push bodies and the Gmail/OAuth responses we read.

Every model ignores unknown fields: Google adds fields freely. Gmail sends int64
values (historyId, expiration) as JSON strings, except inside the Pub/Sub
notification, where historyId is a number; both are accepted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from connectors.mail.encoding import b64decode_lenient


def _int_as_str(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


IdStr = Annotated[str, BeforeValidator(_int_as_str)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True)


class PubSubMessage(_Wire):
    data: str = ""
    message_id: str = Field(min_length=1, validation_alias=AliasChoices("messageId", "message_id"))
    publish_time: str | None = Field(
        default=None, validation_alias=AliasChoices("publishTime", "publish_time")
    )
    attributes: dict[str, str] = Field(default_factory=dict)


class PushEnvelope(_Wire):
    message: PubSubMessage
    subscription: str | None = None


class GmailPushData(_Wire):
    email_address: str = Field(min_length=3)
    history_id: int = Field(ge=0)


def decode_push_data(message: PubSubMessage) -> GmailPushData:
    """Decode message.data (base64 in either alphabet); raises ValueError when malformed."""
    decoded: Any = json.loads(b64decode_lenient(message.data))
    return GmailPushData.model_validate(decoded)


class WatchResponse(_Wire):
    history_id: IdStr
    expiration: IdStr

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(int(self.expiration) / 1000, tz=UTC)


class MessageStub(_Wire):
    id: str
    thread_id: str = ""
    label_ids: list[str] = Field(default_factory=list)


class MessageAdded(_Wire):
    message: MessageStub


class HistoryRecord(_Wire):
    id: IdStr
    messages_added: list[MessageAdded] = Field(default_factory=list)


class HistoryListResponse(_Wire):
    history: list[HistoryRecord] = Field(default_factory=list)
    next_page_token: str | None = None
    history_id: IdStr


class MessageListResponse(_Wire):
    messages: list[MessageStub] = Field(default_factory=list)
    next_page_token: str | None = None
    result_size_estimate: int = 0


class DraftResponse(_Wire):
    id: str = Field(min_length=1)
    message: MessageStub


class ProfileResponse(_Wire):
    email_address: str
    history_id: IdStr
    messages_total: int = 0
    threads_total: int = 0


class TokenResponse(BaseModel):
    # The OAuth token endpoint speaks snake_case, unlike the Gmail API.
    model_config = ConfigDict(extra="ignore")

    access_token: str = Field(min_length=1)
    expires_in: int = 3599
    refresh_token: str | None = None
    scope: str = ""
    token_type: str = "Bearer"  # noqa: S105 - a scheme name, not a secret
