"""save_draft's request and error mapping, and the reply MIME it builds."""

from __future__ import annotations

import base64
import email
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from connectors.base import DraftSink
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.gmail.connector import GmailConnector
from connectors.gmail.drafts import mailbox, message_id, one_line, reply_message, reply_subject
from connectors.gmail.push import PushVerifier
from connectors.mail.types import Address
from connectors.types import Credentials, MailDraft

API = "https://gmail.test"
NOW = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
CREDS = Credentials(access_token="ya29.test-token", refresh_token=None, expires_at=None)
ALEX = "alex@example.com"
THREAD = "18f2a7c4e9b1d305"
# drafts.create's answer, as in the shared fixture draft_create_response.json.
CREATED = {
    "id": "r-5830417279946581837",
    "message": {"id": "18f2ab03d4e8f9a1", "threadId": THREAD, "labelIds": ["DRAFT"]},
}
DRAFT = MailDraft(
    answers="18f2a8e0c7a4b912",
    thread_id=THREAD,
    rfc_message_id="<parent@mail.example.net>",
    references=("root@mail.example.org",),
    subject="Quarterly report draft",
    to=(Address("Sam Rivera", "sam.rivera@example.net"),),
    cc=(Address("", "jordan.lee@example.org"),),
    body="Grüße, Zoë\n",
)

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def make() -> Iterator[Callable[[Handler], tuple[GmailConnector, list[httpx.Request]]]]:
    clients: list[httpx.Client] = []

    def build(handler: Handler) -> tuple[GmailConnector, list[httpx.Request]]:
        seen: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return handler(request)

        http = httpx.Client(transport=httpx.MockTransport(record))
        clients.append(http)
        connector = GmailConnector(
            http=http,
            api_url=API,
            oauth_url="https://oauth.test",
            client_id="id",
            client_secret="secret",
            push_verifier=PushVerifier("https://certs.test", "aud", "sa@example.com", http),
            clock=lambda: NOW,
        )
        return connector, seen

    yield build
    for client in clients:
        client.close()


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Handler:
    return lambda request: httpx.Response(status, json=body, headers=headers)


def parse(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_posts_raw_and_thread_to_the_accounts_drafts(make: Any) -> None:
    connector, seen = make(answer(200, CREATED))

    draft_id = connector.save_draft(CREDS, account=ALEX, draft=DRAFT)

    assert draft_id == "r-5830417279946581837"
    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == f"{API}/gmail/v1/users/{ALEX}/drafts"
    assert request.headers["authorization"] == "Bearer ya29.test-token"
    body = json.loads(request.content)
    assert set(body) == {"message"}
    assert set(body["message"]) == {"raw", "threadId"}
    assert body["message"]["threadId"] == THREAD
    raw = base64.urlsafe_b64decode(body["message"]["raw"])
    parsed = parse(raw)
    assert parsed["From"] == ALEX
    assert parsed["Subject"] == "Re: Quarterly report draft"
    assert parsed["In-Reply-To"] == "<parent@mail.example.net>"
    assert parsed["References"] == "<root@mail.example.org> <parent@mail.example.net>"
    assert parsed["Date"] == "Thu, 20 Jun 2024 10:00:00 +0000"
    assert parsed.get_content() == "Grüße, Zoë\r\n"
    assert parsed["Content-Transfer-Encoding"] in ("quoted-printable", "base64")


def test_no_thread_id_is_sent_without_one(make: Any) -> None:
    connector, seen = make(answer(200, CREATED))

    connector.save_draft(
        CREDS,
        account=ALEX,
        draft=MailDraft(
            answers="x", thread_id=None, rfc_message_id=None, references=(), subject="s", to=()
        ),
    )

    body = json.loads(seen[0].content)
    assert set(body["message"]) == {"raw"}
    parsed = parse(base64.urlsafe_b64decode(body["message"]["raw"]))
    assert "In-Reply-To" not in parsed
    assert "References" not in parsed
    assert "To" not in parsed


def test_the_account_is_quoted_into_the_path(make: Any) -> None:
    connector, seen = make(answer(200, CREATED))

    connector.save_draft(CREDS, account="a+b/c@example.com", draft=DRAFT)

    assert seen[0].url.raw_path == b"/gmail/v1/users/a%2Bb%2Fc@example.com/drafts"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"error": {"code": 401}}, AuthExpired),
        (429, {"error": {"code": 429}}, RateLimited),
        (
            403,
            {"error": {"code": 403, "errors": [{"reason": "userRateLimitExceeded"}]}},
            RateLimited,
        ),
        (
            403,
            {"error": {"code": 403, "errors": [{"reason": "insufficientPermissions"}]}},
            AuthExpired,
        ),
        (500, {"error": {"code": 500}}, ProviderUnavailable),
        (503, None, ProviderUnavailable),
        (404, {"error": {"code": 404, "status": "NOT_FOUND"}}, ConnectorError),
        (400, {"error": {"code": 400}}, ConnectorError),
    ],
)
def test_errors_map_onto_the_connector_family(
    make: Any, status: int, body: Any, error: type[ConnectorError]
) -> None:
    connector, _ = make(answer(status, body))

    with pytest.raises(ConnectorError) as caught:
        connector.save_draft(CREDS, account=ALEX, draft=DRAFT)

    assert type(caught.value) is error


def test_a_timeout_is_provider_unavailable(make: Any) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    connector, _ = make(timeout)

    with pytest.raises(ProviderUnavailable):
        connector.save_draft(CREDS, account=ALEX, draft=DRAFT)


@pytest.mark.parametrize("body", [{}, {"id": ""}, {"id": "r1"}, ["r1"]])
def test_an_unexpected_answer_is_a_connector_error(make: Any, body: Any) -> None:
    connector, _ = make(answer(200, body))

    with pytest.raises(ConnectorError):
        connector.save_draft(CREDS, account=ALEX, draft=DRAFT)


def test_no_token_or_a_bad_account_calls_nobody(make: Any) -> None:
    connector, seen = make(answer(200, CREATED))

    with pytest.raises(AuthExpired):
        connector.save_draft(Credentials(None, None, None), account=ALEX, draft=DRAFT)
    with pytest.raises(ConnectorError):
        connector.save_draft(CREDS, account="not an address", draft=DRAFT)
    assert seen == []


def test_is_a_draft_sink(make: Any) -> None:
    connector, _ = make(answer(200, CREATED))

    assert isinstance(connector, DraftSink)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Quarterly report", "Re: Quarterly report"),
        ("Re: Quarterly report", "Re: Quarterly report"),
        ("RE: Quarterly report", "RE: Quarterly report"),
        ("re:Quarterly report", "re:Quarterly report"),
        ("Aw: Bericht", "Aw: Bericht"),
        ("SV: Rapport", "SV: Rapport"),
        ("Antw: Rapport", "Antw: Rapport"),
        ("RE : Rapport", "RE : Rapport"),
        ("Re[2]: Report", "Re[2]: Report"),
        ("回复\uff1a报告", "回复\uff1a报告"),  # a full-width colon
        ("Fwd: Report", "Re: Fwd: Report"),
        ("Reports due", "Re: Reports due"),  # a word starting with "re" is no prefix
        ("Regarding: x", "Re: Regarding: x"),
        ("  folded\r\n subject\t", "Re: folded subject"),
        ("", "Re:"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_one_line_and_message_id() -> None:
    assert one_line("a\r\nBcc: b\x00c\u2028d") == "a Bcc: b c d"
    assert message_id("<id@x>") == "id@x"
    assert message_id(" id@x ") == "id@x"
    assert message_id("id@x>\r\nBcc: y") is None
    assert message_id("a b@x") is None
    assert message_id("") is None
    assert message_id(None) is None


def test_mailbox_keeps_only_single_addresses() -> None:
    good = mailbox(Address("Zoë, PhD", "zoe@bücher.example"))
    assert good is not None
    assert (good.display_name, good.addr_spec) == ("Zoë, PhD", "zoe@xn--bcher-kva.example")
    for bad in ("", "no-at-sign", "a@b.com, c@d.com", "a@b.com\nBcc: c@d.com", "a b@c.com", "@x"):
        assert mailbox(Address("x", bad)) is None


def test_recipients_are_deduplicated_across_to_and_cc() -> None:
    draft = MailDraft(
        answers="x",
        thread_id=None,
        rfc_message_id="p@x",
        references=("p@x", "r@x", "<r@x>"),
        subject="s",
        to=(Address("Sam", "sam@example.net"), Address("Sam again", "SAM@example.net")),
        cc=(Address("Sam", "sam@example.net"), Address("Jo", "jo@example.org")),
    )

    parsed = parse(reply_message(draft, sender=ALEX, date=NOW))

    assert [a.addr_spec for a in parsed["To"].addresses] == ["sam@example.net"]
    assert [a.addr_spec for a in parsed["Cc"].addresses] == ["jo@example.org"]
    assert parsed["References"] == "<r@x> <p@x>"  # the parent last, each id once
