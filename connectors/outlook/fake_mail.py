"""The Graph fake's answers for reading mail: /me, a message, its $value and attachments."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from connectors.outlook.fake_resources import (
    Mailbox,
    StoredMessage,
    attachment_bytes,
    render_attachments,
    render_message,
)
from connectors.outlook.fake_wire import graph_error, parse_select, wants_text_body


def base_url(request: Request) -> str:
    """This server as the client reached it: links must lead back here."""
    return str(request.base_url).rstrip("/")


def display_name(box: Mailbox) -> str:
    return box.address.split("@")[0].replace(".", " ").title()


def profile_response(request: Request, box: Mailbox) -> Response:
    return JSONResponse(
        {
            "@odata.context": f"{base_url(request)}/v1.0/$metadata#users/$entity",
            "id": box.user_id,
            "displayName": display_name(box),
            "mail": box.address,
            "userPrincipalName": box.address,
        }
    )


def message_response(request: Request, box: Mailbox, stored: StoredMessage | None) -> Response:
    if stored is None:
        return graph_error(404)
    text = wants_text_body(request.headers.get("prefer"))
    select = parse_select(request.query_params.get("$select"))
    rendered = render_message(stored, select=select, body_type="text" if text else "html")
    context = f"{base_url(request)}/v1.0/$metadata#users('{box.user_id}')/messages/$entity"
    headers = {"Preference-Applied": 'outlook.body-content-type="text"'} if text else {}
    return JSONResponse({"@odata.context": context} | rendered, headers=headers)


def value_response(stored: StoredMessage | None) -> Response:
    if stored is None:
        return graph_error(404)
    # Graph serves the whole RFC 822 message as text/plain, without a charset.
    return Response(stored.raw, headers={"Content-Type": "text/plain"})


def attachments_response(request: Request, box: Mailbox, stored: StoredMessage | None) -> Response:
    if stored is None:
        return graph_error(404)
    context = (
        f"{base_url(request)}/v1.0/$metadata#users('{box.user_id}')"
        f"/messages('{stored.id}')/attachments"
    )
    return JSONResponse({"@odata.context": context, "value": render_attachments(stored)})


def attachment_value_response(request: Request, stored: StoredMessage | None) -> Response:
    data = attachment_bytes(stored, request.path_params["attachment_id"]) if stored else None
    if data is None:
        return graph_error(404)
    return Response(data, media_type="application/octet-stream")
