"""The three parsers agree on the same message; nasty input never raises.

Fixtures in tests/fixtures/mail/ are copied unchanged from the corpus (see its
README.md there for sources and licenses).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.mail.convert import eml_to_gmail, eml_to_graph
from connectors.mail.formats import detect_format, parse_any, to_json_dict
from connectors.mail.gmail import parse_gmail
from connectors.mail.graph import parse_graph
from connectors.mail.mime import parse_mime
from connectors.mail.types import ParsedMessage

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mail"
SHARED = Path(__file__).resolve().parents[3] / "fixtures"
ALL = sorted(FIXTURES.glob("*.eml"))
AGREEING = [
    "ruby-mail_attachment_emails_attachment_with_base64_encoded_name.eml",
    "ruby-mail_multi_charset_japanese.eml",
    "flanker_from-encoding.eml",
    "mail-parser_mail_test_9.eml",
    "ruby-mail_rfc6532_utf8_headers.eml",
]


def _key(parsed: ParsedMessage) -> dict[str, object]:
    return {
        "subject": parsed.subject,
        "sender": parsed.sender,
        "to": parsed.to,
        "cc": parsed.cc,
        "date": parsed.date,
        "message_id": parsed.message_id,
        "text": parsed.text,
        "visible_text": parsed.visible_text,
        "attachments": [(a.filename, a.content_type, a.size, a.sha256) for a in parsed.attachments],
    }


@pytest.mark.parametrize("name", AGREEING)
def test_mime_gmail_and_graph_agree(name: str) -> None:
    data = (FIXTURES / name).read_bytes()

    mime = parse_mime(data)
    gmail = parse_gmail(json.loads(json.dumps(eml_to_gmail(data, attachment_data=True))))
    graph = parse_graph(eml_to_graph(data, body_type="text"))

    assert _key(gmail) == _key(mime)
    assert _key(graph) == _key(mime)
    assert (gmail.source, graph.source) == ("gmail", "graph")


def test_graph_mime_wins_and_keeps_graph_ids() -> None:
    data = (FIXTURES / AGREEING[0]).read_bytes()
    resource = eml_to_graph(data)

    parsed = parse_graph(resource, mime=data)

    assert parsed.provider_id == resource["id"]
    assert parsed.provider_thread_id == resource["conversationId"]
    assert parsed.text == parse_mime(data).text


def test_graph_fixture_json_and_expanded_attachments() -> None:
    message = json.loads((SHARED / "graph" / "message.json").read_text())
    message["attachments"] = json.loads((SHARED / "graph" / "attachments_list.json").read_text())[
        "value"
    ]

    parsed = parse_graph(message)

    assert parsed.subject == "Vendor contract - signature needed"
    assert parsed.sender is not None
    assert parsed.sender.email == "morgan.patel@contoso.example.com"
    assert parsed.cc[0].name == "Legal Team"
    assert parsed.labels == ("Legal",)
    assert parsed.text.startswith("Hi Alex,\n\nPlease sign the attached vendor contract")
    assert "<style" not in parsed.html
    [attachment] = parsed.attachments
    assert attachment.filename == "contract-v3.pdf"
    assert attachment.sha256 is not None
    content = attachment.read_bytes()
    assert content is not None
    assert content.startswith(b"%PDF")


def test_graph_unique_body_is_a_second_opinion() -> None:
    message = {
        "id": "m1",
        "conversationId": "c1",
        "subject": "Re: plan",
        "body": {"contentType": "text", "content": "Fine by me.\n\nEarlier text we sent\nmore"},
    }

    parsed = parse_graph(message, unique_body="Fine by me.")

    assert parsed.visible_text == "Fine by me."
    assert parsed.quoted_text == "Earlier text we sent\nmore"


def test_graph_delta_stubs_do_not_raise() -> None:
    for page in ("delta_page1.json", "delta_page2.json"):
        for item in json.loads((SHARED / "graph" / page).read_text())["value"]:
            parsed = parse_graph(item)
            assert parsed.provider_id == item["id"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_nasty_messages_never_raise(path: Path) -> None:
    parsed = parse_mime(path.read_bytes())

    assert isinstance(parsed.text, str)
    json.dumps(to_json_dict(parsed))


def test_defects_are_recorded_for_broken_input() -> None:
    broken = parse_mime((FIXTURES / "flanker_mailformed-headers.eml").read_bytes())
    bad_base64 = parse_mime(
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8*gd29y!bGQ"
    )
    sloppy = parse_mime(b"Content-Transfer-Encoding: quoted printable\r\n\r\nGr=C3=BC=C3=9Fe")

    assert broken.defects != ()
    assert "broken base64" in bad_base64.defects
    assert bad_base64.text.startswith("Hello wor")
    assert sloppy.text == "Grüße"
    assert any("sloppy transfer encoding" in d for d in sloppy.defects)


def test_eight_bit_headers_and_charset_aliases() -> None:
    raw = (
        "From: Jürgen <j@example.de>\r\nSubject: =?ks_c_5601-1987?B?x9GxuQ==?= "
        "=?gb2312?B?1tDOxA==?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
    ).encode() + "Caf\xe9 \x93quoted\x94".encode("latin-1")

    parsed = parse_mime(raw)

    assert parsed.sender is not None
    assert parsed.sender.name == "Jürgen"
    assert parsed.subject == "한국中文"
    assert parsed.text == "Café \u201cquoted\u201d"


def test_bounce_tnef_and_forward() -> None:
    bounce = parse_mime((FIXTURES / "nodemailer_delivery-status.eml").read_bytes())
    forward = parse_mime(
        (FIXTURES / "ruby-mail_attachment_emails_attachment_message_rfc822.eml").read_bytes()
    )

    assert "bounce" in bounce.auto_signals
    [eml] = forward.attachments
    assert eml.content_type == "message/rfc822"
    assert eml.sha256 is not None
    content = eml.read_bytes()
    assert content is not None
    assert len(content) == eml.size


def test_detect_format_and_parse_any() -> None:
    gmail = (SHARED / "gmail" / "message_full_plain.json").read_bytes()
    graph = json.dumps({"id": "x", "conversationId": "c", "subject": "s"}).encode()

    assert detect_format(gmail) == "gmail"
    assert detect_format(graph) == "graph"
    assert detect_format(b"From: a@example.com\r\n\r\nhi") == "mime"
    assert parse_any(graph).subject == "s"
    assert parse_any(b'{"payload": "nonsense", "id": 3}').source == "gmail"
