"""POST /webhooks/{provider}: answer a handshake, or verify, record and answer.

No provider call and no AI here: the work happens in process_inbound_event.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse

from connectors.errors import ProviderUnavailable, WebhookRejected
from connectors.registry import UnsupportedProvider
from connectors.types import Provider, WebhookRequest
from hub.deps import RawBody, RequestDep, RuntimeDep, SessionDep
from hub.errors import BadRequest, NotFound, Unauthorized, Unavailable
from hub.metrics import WEBHOOKS
from hub.webhooks.service import authenticate_notifications, record_notifications

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks/{provider}", status_code=204, response_class=Response)
def receive_webhook(
    provider: str, request: RequestDep, body: RawBody, session: SessionDep, rt: RuntimeDep
) -> Response:
    try:
        source = rt.registry.webhook_source(Provider(provider))
    except (ValueError, UnsupportedProvider):
        raise NotFound(f"no webhook endpoint for {provider!r}") from None
    inbound = WebhookRequest(
        method=request.method,
        path=request.url.path,
        headers={key.lower(): value for key, value in request.headers.items()},
        query=dict(request.query_params),
        body=body,
    )
    challenge = source.challenge(inbound)
    if challenge is not None:
        # Echoed as plain text only, never interpreted: the token is the sender's.
        return PlainTextResponse(challenge, headers={"X-Content-Type-Options": "nosniff"})
    try:
        source.verify(inbound)
    except WebhookRejected as exc:
        WEBHOOKS.labels(provider=provider, outcome="rejected").inc()
        raise Unauthorized(f"webhook rejected: {exc}") from None
    except ProviderUnavailable:
        # We could not fetch the provider's keys: our outage, and the sender will retry.
        WEBHOOKS.labels(provider=provider, outcome="unverifiable").inc()
        raise Unavailable("cannot verify the webhook right now") from None
    try:
        notifications = source.parse(inbound)
    except WebhookRejected as exc:
        WEBHOOKS.labels(provider=provider, outcome="malformed").inc()
        raise BadRequest(f"malformed notification: {exc}") from None
    authentic = authenticate_notifications(session, source.provider, notifications)
    if len(authentic) < len(notifications):
        # Still a 2xx: a forger learns nothing from the answer.
        WEBHOOKS.labels(provider=provider, outcome="forged").inc(
            len(notifications) - len(authentic)
        )
    recorded = record_notifications(session, source.provider, authentic)
    duplicates = len(authentic) - len(recorded)
    WEBHOOKS.labels(provider=provider, outcome="accepted").inc(len(recorded))
    WEBHOOKS.labels(provider=provider, outcome="duplicate").inc(duplicates)
    return Response(status_code=204)
