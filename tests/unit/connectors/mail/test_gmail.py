from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.mail.gmail import parse_gmail
from connectors.mail.types import Address, AttachmentInfo

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gmail"
JORDAN_ID = "CAB1x2y3z4Qm5n6o7p8q9r0s1t2u3v4w5x6y7z8A9B0C1D2E3F@mail.example.org"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def test_plain_message_fields() -> None:
    parsed = parse_gmail(load("message_full_plain"))

    assert parsed.provider_id == "18f2a7c4e9b1d305"
    assert parsed.provider_thread_id == "18f2a7c4e9b1d305"
    assert parsed.message_id == JORDAN_ID
    assert parsed.subject == "Quarterly report draft"
    assert parsed.sender == Address(name="Jordan Lee", email="jordan.lee@example.org")
    assert parsed.to == (Address(name="Alex Morgan", email="alex@example.com"),)
    assert parsed.date == datetime(2024, 6, 20, 8, 59, 58, tzinfo=UTC)
    assert parsed.text.startswith("Hi Alex,\n\nThe draft of the Q2 report is ready.")
    assert parsed.text.endswith("Thanks,\nJordan")
    assert "\r" not in parsed.text
    assert parsed.labels == ("UNREAD", "IMPORTANT", "CATEGORY_PERSONAL", "INBOX")
    assert parsed.quoted_text == ""
    assert parsed.defects == ()


def test_alternative_prefers_plain_and_splits_the_quote() -> None:
    parsed = parse_gmail(load("message_full_html_multipart_alternative"))

    assert parsed.in_reply_to == JORDAN_ID
    assert parsed.references == (JORDAN_ID,)
    assert parsed.cc == (Address(name="Alex Morgan", email="alex@example.com"),)
    # The plain part has no link markup; the HTML conversion would.
    assert "](https://" not in parsed.text
    assert parsed.visible_text.endswith("figures to the shared sheet.\n\nSam")
    assert parsed.quoted_text.startswith("On Thu, Jun 20, 2024 at 8:59 AM Jordan Lee")
    assert "> The draft of the Q2 report is ready." in parsed.quoted_text


def test_alternative_without_plain_falls_back_to_html() -> None:
    message = load("message_full_html_multipart_alternative")
    message["payload"]["parts"] = message["payload"]["parts"][1:]

    parsed = parse_gmail(message)

    assert "[shared sheet](https://docs.example.com/sheet/q2)" in parsed.text
    assert "<div" not in parsed.text
    assert "shared sheet" in parsed.visible_text
    assert parsed.html.startswith("<div")


def test_attachment_metadata_and_nested_body() -> None:
    parsed = parse_gmail(load("message_full_with_attachment"))

    assert parsed.attachments == (
        AttachmentInfo(
            filename="invoice-2024-06.pdf",
            content_type="application/pdf",
            size=589,
            content_id="f_lxnq0a2b0",
            inline=False,
            provider_attachment_id=parsed.attachments[0].provider_attachment_id,
        ),
    )
    assert parsed.text.startswith("Hello Alex,\n\nYour invoice for June 2024 is attached")
    assert "<b>" not in parsed.text
    assert parsed.to == (Address(name="", email="alex@example.com"),)


def test_raw_format_matches_full_and_keeps_gmail_ids() -> None:
    raw = parse_gmail(load("message_raw"))
    full = parse_gmail(load("message_full_plain"))

    assert raw.provider_id == full.provider_id
    assert raw.provider_thread_id == full.provider_thread_id
    assert raw.labels == full.labels
    assert (raw.message_id, raw.subject, raw.sender, raw.date, raw.text) == (
        full.message_id,
        full.subject,
        full.sender,
        full.date,
        full.text,
    )


def test_body_data_without_padding_decodes_the_same() -> None:
    message = load("message_full_plain")
    stripped = copy.deepcopy(message)
    stripped["payload"]["body"]["data"] = message["payload"]["body"]["data"].rstrip("=")
    assert stripped["payload"]["body"]["data"] != message["payload"]["body"]["data"]

    assert parse_gmail(stripped).text == parse_gmail(message).text


def test_headers_are_found_whatever_their_case() -> None:
    message = load("message_full_plain")
    for header in message["payload"]["headers"]:
        header["name"] = header["name"].upper() if header["name"] != "Subject" else "sUbJeCt"

    parsed = parse_gmail(message)

    assert parsed.message_id == JORDAN_ID
    assert parsed.subject == "Quarterly report draft"


def test_date_falls_back_to_internal_date() -> None:
    message = load("message_full_plain")
    message["payload"]["headers"] = [
        h for h in message["payload"]["headers"] if h["name"] != "Date"
    ] + [{"name": "Date", "value": "not a date"}]

    parsed = parse_gmail(message)

    assert parsed.date == datetime(2024, 6, 20, 8, 59, 58, tzinfo=UTC)  # internalDate
    assert parsed.date is not None
    assert parsed.date.tzinfo is UTC


def test_minimal_format_has_no_body_but_keeps_ids() -> None:
    message = load("message_full_plain")
    del message["payload"]

    parsed = parse_gmail(message)

    assert parsed.provider_id == "18f2a7c4e9b1d305"
    assert parsed.text == ""
    assert parsed.subject == ""
    assert parsed.date == datetime(2024, 6, 20, 8, 59, 58, tzinfo=UTC)


def test_malformed_input_is_recorded_not_raised() -> None:
    message: dict[str, Any] = {
        "id": "x1",
        "payload": {
            "mimeType": "multipart/mixed",
            "headers": "not a list",
            "parts": [
                {"partId": "0", "mimeType": "text/plain", "body": {"data": "!!!not base64!!!"}},
                "garbage",
                {"mimeType": "text/plain", "body": {"size": "big"}},
            ],
        },
        "internalDate": "soon",
        "labelIds": "INBOX",
    }

    parsed = parse_gmail(message)

    assert parsed.provider_id == "x1"
    assert parsed.date is None
    assert parsed.labels == ()
    assert any("not base64" in defect for defect in parsed.defects)


def test_broken_raw_is_recorded() -> None:
    parsed = parse_gmail({"id": "r1", "threadId": "t1", "raw": "%%%"})

    assert parsed.provider_id == "r1"
    assert "raw not base64" in parsed.defects
