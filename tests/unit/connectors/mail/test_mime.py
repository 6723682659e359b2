from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.mail.mime import parse_mime
from connectors.mail.types import Address


def mime(headers: str, body: str = "Hello\r\n") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body).encode()


BASIC = """
From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <Juergen@Example.DE>
To: "Lee, Jordan" <jordan.lee@example.org>, =?ISO-8859-1?Q?Fran=E7ois?= <f@example.fr>
Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?=
Date: Thu, 20 Jun 2024 10:59:58 +0200
Message-ID: <abc@example.de>
In-Reply-To: <parent@example.org>
References: <root@example.org>
 <parent@example.org>
Content-Type: text/plain; charset=utf-8
"""


def test_encoded_words_addresses_ids_and_date() -> None:
    parsed = parse_mime(mime(BASIC))

    assert parsed.subject == "Grüße aus München"
    assert parsed.sender == Address(name="Jürgen Müller", email="juergen@example.de")
    assert parsed.to == (
        Address(name="Lee, Jordan", email="jordan.lee@example.org"),
        Address(name="François", email="f@example.fr"),
    )
    assert parsed.message_id == "abc@example.de"
    assert parsed.provider_id == "abc@example.de"
    assert parsed.in_reply_to == "parent@example.org"
    assert parsed.references == ("root@example.org", "parent@example.org")
    assert parsed.date == datetime(2024, 6, 20, 8, 59, 58, tzinfo=UTC)
    assert parsed.text == "Hello"


def test_missing_date_is_none() -> None:
    parsed = parse_mime(mime("From: a@example.com\nSubject: x"))

    assert parsed.date is None


@pytest.mark.parametrize(
    ("charset", "body", "expected"),
    [
        ("x-unknown-charset", "Grüße".encode(), "Grüße"),
        ("utf-8", "Grüße".encode("cp1252"), "Grüße"),
    ],
)
def test_charset_fallbacks_record_a_defect(charset: str, body: bytes, expected: str) -> None:
    data = mime(f"From: a@example.com\nContent-Type: text/plain; charset={charset}", "") + body

    parsed = parse_mime(data)

    assert parsed.text == expected
    assert parsed.defects != ()


ALTERNATIVE = """
From: News <no-reply@news.example.com>
Subject: Weekly
List-Unsubscribe: <mailto:unsub@news.example.com>
List-Id: Weekly news <weekly.news.example.com>
Precedence: bulk
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"
"""

ALTERNATIVE_BODY = """--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

Plain version
--inner
Content-Type: text/html; charset=utf-8

<p>HTML <a href="https://example.com/x">version</a></p>
--inner
Content-Type: text/calendar; method=REQUEST

BEGIN:VCALENDAR
END:VCALENDAR
--inner--
--outer
Content-Type: image/png
Content-Disposition: inline; filename="logo.png"
Content-ID: <logo@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--outer
Content-Type: application/pdf; name="=?UTF-8?Q?R=C3=A9sum=C3=A9.pdf?="
Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--outer--
""".replace("\n", "\r\n")


def test_multipart_body_attachments_and_signals() -> None:
    parsed = parse_mime(mime(ALTERNATIVE, ALTERNATIVE_BODY))

    assert parsed.text == "Plain version"
    assert [(a.filename, a.content_type, a.size, a.inline) for a in parsed.attachments] == [
        ("logo.png", "image/png", 8, True),
        ("Résumé.pdf", "application/pdf", 9, False),
    ]
    assert parsed.attachments[0].content_id == "logo@example.com"
    assert set(parsed.auto_signals) == {
        "list-unsubscribe",
        "list-id",
        "precedence:bulk",
        "auto-submitted",
        "calendar",
        "noreply-sender",
    }


def test_html_only_is_converted() -> None:
    data = mime(
        "From: a@example.com\nContent-Type: text/html; charset=utf-8",
        "<p>Hi <b>there</b>,</p><p>see <a href='https://example.com/doc'>the doc</a></p>",
    )

    parsed = parse_mime(data)

    assert parsed.text == "Hi there,\n\nsee [the doc](https://example.com/doc)"


def test_auto_submitted_no_and_personal_sender_are_not_signals() -> None:
    parsed = parse_mime(mime("From: Ann <ann@example.com>\nAuto-Submitted: no\nPrecedence: high"))

    assert parsed.auto_signals == ()


BROKEN_MULTIPART = (
    b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi"
)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe garbage without headers",
        BROKEN_MULTIPART,
        b"From: <<<@@@>>>\r\nDate: 99 Foo 2024\r\nSubject: =?bogus?Q?x?=\r\n\r\nbody",
    ],
)
def test_malformed_input_never_raises(data: bytes) -> None:
    parsed = parse_mime(data)

    assert parsed.date is None
    assert isinstance(parsed.text, str)


def test_broken_multipart_records_defects() -> None:
    parsed = parse_mime(BROKEN_MULTIPART)

    assert parsed.text == "hi"
    assert parsed.defects != ()
