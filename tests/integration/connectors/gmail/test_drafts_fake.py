"""Reply drafts: GmailConnector.save_draft against GmailFake over HTTP."""

from __future__ import annotations

import base64
import email
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from connectors.base import DraftSink
from connectors.errors import (
    AuthExpired,
    ConnectorError,
    ProviderUnavailable,
    RateLimited,
)
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.gmail.connector import GmailConnector
from connectors.gmail.fake import SANDBOX_REFRESH_TOKEN, GmailFake
from connectors.gmail.push import PushVerifier
from connectors.mail.types import Address
from connectors.types import Credentials, MailDraft

ALEX = "alex@example.com"
JORDAN_THREAD = "18f2a7c4e9b1d305"
SAM_REPLY = "18f2a8e0c7a4b912"
JORDAN_ID = "CAB1x2y3z4Qm5n6o7p8q9r0s1t2u3v4w5x6y7z8A9B0C1D2E3F@mail.example.org"
SAM_ID = "CAC9w8v7u6T5s4r3q2p1o0n9m8l7k6j5i4h3g2f1e0D9c8B7a6@mail.example.net"
BODY = (
    "Thanks both, I'll go through section 3 this afternoon.\n"
    "\n"
    "Grüße, Zoë\n"
    "来週の会議で詳しく説明します。\n"
)
DRAFTS_PATH = f"/gmail/v1/users/{ALEX}/drafts"
READONLY = "https://www.googleapis.com/auth/gmail.readonly"


@dataclass
class Env:
    fake: GmailFake
    server: RunningServer
    http: httpx.Client
    connector: GmailConnector

    def credentials(self) -> Credentials:
        grant = self.connector.refresh(SANDBOX_REFRESH_TOKEN)
        return Credentials(grant.access_token, SANDBOX_REFRESH_TOKEN, grant.expires_at)

    def get(self, path: str, **params: str) -> httpx.Response:
        token = self.fake.issue_access_token(ALEX)
        return self.http.get(
            f"{self.server.base_url}/gmail/v1/users/me{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )

    def post_draft(self, body: Any) -> httpx.Response:
        token = self.fake.issue_access_token(ALEX)
        return self.http.post(
            f"{self.server.base_url}/gmail/v1/users/me/drafts",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )

    def raw_draft(self, draft_id: str) -> tuple[bytes, EmailMessage]:
        """The draft as Gmail serves it (drafts.get format=raw), and parsed."""
        response = self.get(f"/drafts/{draft_id}", format="raw")
        assert response.status_code == 200
        raw = base64.urlsafe_b64decode(response.json()["message"]["raw"])
        parsed = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return raw, parsed


@pytest.fixture
def env() -> Iterator[Env]:
    fake = GmailFake()
    fake.seed_sandbox()
    with serve_in_thread(fake.asgi_app()) as server, httpx.Client(timeout=10) as http:
        verifier = PushVerifier(f"{server.base_url}/oauth2/v3/certs", "aud", "sa@x", http)
        connector = GmailConnector(
            http=http,
            api_url=server.base_url,
            oauth_url=server.base_url,
            client_id="client",
            client_secret="secret",
            push_verifier=verifier,
        )
        yield Env(fake, server, http, connector)


def reply(**changes: Any) -> MailDraft:
    draft = MailDraft(
        answers=SAM_REPLY,
        thread_id=JORDAN_THREAD,
        rfc_message_id=SAM_ID,
        references=(JORDAN_ID,),
        subject="Re: Quarterly report draft",
        to=(Address("Sam Rivera", "sam.rivera@example.net"),),
        cc=(Address("Jördan Lée, PhD", "jordan.lee@example.org"),),
        body=BODY,
    )
    return replace(draft, **changes)


def header_block(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def test_the_connector_is_a_draft_sink(env: Env) -> None:
    assert isinstance(env.connector, DraftSink)


def test_save_draft_keeps_a_reply_in_the_thread(env: Env) -> None:
    draft_id = env.connector.save_draft(env.credentials(), account=ALEX, draft=reply())

    [stored] = env.fake.drafts_of(ALEX)
    assert stored.id == draft_id
    assert re.fullmatch(r"r-?\d+", draft_id)
    assert stored.message.thread_id == JORDAN_THREAD  # Gmail's threading rule was met
    assert stored.message.label_ids == ["DRAFT"]
    assert env.fake.calls["drafts.create"] == 1

    raw, parsed = env.raw_draft(draft_id)
    assert parsed["From"] == ALEX
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == [
        ("Sam Rivera", "sam.rivera@example.net")
    ]
    assert [(a.display_name, a.addr_spec) for a in parsed["Cc"].addresses] == [
        ("Jördan Lée, PhD", "jordan.lee@example.org")
    ]
    assert parsed["Subject"] == "Re: Quarterly report draft"
    assert parsed["In-Reply-To"] == f"<{SAM_ID}>"
    assert parsed["References"] == f"<{JORDAN_ID}> <{SAM_ID}>"
    assert parsed["Date"].datetime is not None
    assert "Bcc" not in parsed
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content().replace("\r\n", "\n") == BODY
    assert raw.isascii()  # non-ASCII travels encoded (RFC 2047 words, a transfer encoding)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_drafts_list_and_get_have_gmails_shape(env: Env) -> None:
    first = env.connector.save_draft(env.credentials(), account=ALEX, draft=reply())
    second = env.connector.save_draft(env.credentials(), account=ALEX, draft=reply(body="Ok."))

    listing = env.get("/drafts").json()
    full = env.get(f"/drafts/{first}", format="full").json()

    stored = {d.id: d.message for d in env.fake.drafts_of(ALEX)}
    assert listing == {
        "drafts": [
            {"id": second, "message": {"id": stored[second].id, "threadId": JORDAN_THREAD}},
            {"id": first, "message": {"id": stored[first].id, "threadId": JORDAN_THREAD}},
        ],
        "resultSizeEstimate": 2,
    }
    assert full["id"] == first
    assert full["message"]["labelIds"] == ["DRAFT"]
    assert full["message"]["payload"]["mimeType"] == "text/plain"
    assert env.get("/drafts/r-404").status_code == 404


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Quarterly report draft", "Re: Quarterly report draft"),
        ("RE: Quarterly report draft", "RE: Quarterly report draft"),
        ("Aw: Quarterly report draft", "Aw: Quarterly report draft"),
        ("Fwd: Quarterly report draft", "Re: Fwd: Quarterly report draft"),
    ],
)
def test_re_is_added_once(env: Env, subject: str, expected: str) -> None:
    draft_id = env.connector.save_draft(
        env.credentials(), account=ALEX, draft=reply(subject=subject)
    )

    _, parsed = env.raw_draft(draft_id)
    assert parsed["Subject"] == expected
    assert env.fake.drafts_of(ALEX)[0].message.thread_id == JORDAN_THREAD


def test_a_saved_draft_is_not_synced_as_received_mail(env: Env) -> None:
    creds = env.credentials()
    cursor = env.connector.watch(creds, account=ALEX).cursor

    draft_id = env.connector.save_draft(creds, account=ALEX, draft=reply())
    delivered = env.fake.deliver(ALEX, "ops@example.net", "New topic", "Hello")
    draft_message = env.fake.drafts_of(ALEX)[0].message.id

    # Gmail records the draft as messagesAdded, labelled DRAFT ...
    history = env.get("/history", startHistoryId=cursor).json()["history"]
    added = [a["message"] for record in history for a in record.get("messagesAdded", [])]
    assert {"id": draft_message, "threadId": JORDAN_THREAD, "labelIds": ["DRAFT"]} in added
    # ... and the connector leaves it out, from history and from a resync alike.
    batch = env.connector.changes_since(creds, account=ALEX, cursor=cursor)
    assert [ref.message_id for ref in batch.added] == [delivered["message_id"]]
    recent = env.connector.recent(creds, account=ALEX, limit=10)
    assert draft_message in {ref.message_id for ref in recent.added}  # messages.list names it
    fetched = env.connector.fetch(creds, account=ALEX, refs=recent.added)
    assert draft_message not in {m.provider_id for m in fetched}
    assert all("DRAFT" not in m.labels for m in fetched)
    assert len(fetched) == 3  # the two seeded messages and the delivered one
    assert draft_id


def test_401_is_auth_expired(env: Env) -> None:
    creds = env.credentials()
    env.fake.expire_access_tokens()

    with pytest.raises(AuthExpired):
        env.connector.save_draft(creds, account=ALEX, draft=reply())
    assert env.fake.drafts_of(ALEX) == []


def test_a_token_without_the_compose_scope_is_auth_expired(env: Env) -> None:
    token = env.fake.issue_access_token(ALEX, scopes=[READONLY])

    with pytest.raises(AuthExpired, match="scope"):
        env.connector.save_draft(Credentials(token, None, None), account=ALEX, draft=reply())
    assert env.fake.drafts_of(ALEX) == []


def test_a_grant_without_compose_refreshes_into_tokens_without_it(env: Env) -> None:
    env.fake.add_account(ALEX, "readonly-refresh", scopes=[READONLY])
    grant = env.connector.refresh("readonly-refresh")
    creds = Credentials(grant.access_token, "readonly-refresh", grant.expires_at)

    assert env.connector.recent(creds, account=ALEX, limit=1).added  # reading still works
    with pytest.raises(AuthExpired, match="scope"):
        env.connector.save_draft(creds, account=ALEX, draft=reply())
    assert env.fake.drafts_of(ALEX) == []


def test_429_is_rate_limited(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next(DRAFTS_PATH, 429, retry_after=3)

    with pytest.raises(RateLimited) as caught:
        env.connector.save_draft(creds, account=ALEX, draft=reply())
    assert caught.value.retry_after == 3.0
    assert env.fake.drafts_of(ALEX) == []

    env.connector.save_draft(creds, account=ALEX, draft=reply())
    assert len(env.fake.drafts_of(ALEX)) == 1


def test_500_is_provider_unavailable(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next(DRAFTS_PATH, 500)

    with pytest.raises(ProviderUnavailable):
        env.connector.save_draft(creds, account=ALEX, draft=reply())


def test_an_unknown_thread_is_a_connector_error(env: Env) -> None:
    with pytest.raises(ConnectorError, match="404") as caught:
        env.connector.save_draft(
            env.credentials(), account=ALEX, draft=reply(thread_id="18f2ffffffffffff")
        )

    assert type(caught.value) is ConnectorError  # not retryable, not a reauthorization
    assert env.fake.drafts_of(ALEX) == []


def test_credentials_of_another_mailbox_are_refused(env: Env) -> None:
    with pytest.raises(ConnectorError) as caught:
        env.connector.save_draft(
            env.credentials(), account="someone@example.com", draft=reply(thread_id=None)
        )

    assert type(caught.value) is ConnectorError
    assert env.fake.drafts_of(ALEX) == []


def test_without_a_thread_the_draft_starts_its_own(env: Env) -> None:
    draft = reply(thread_id=None, rfc_message_id=None, references=(), subject="Hello")

    env.connector.save_draft(env.credentials(), account=ALEX, draft=draft)

    [stored] = env.fake.drafts_of(ALEX)
    assert stored.message.thread_id == stored.message.id
    parsed = stored.message.parsed()
    assert parsed["Subject"] == "Re: Hello"
    assert "In-Reply-To" not in parsed
    assert "References" not in parsed


def test_hostile_values_cannot_add_headers(env: Env) -> None:
    draft = reply(
        subject="x\r\nBcc: evil1@example.com",
        to=(
            Address("Evil\r\nBcc: evil2@example.com", "sam.rivera@example.net"),
            Address("Mallory", "mallory@example.com\r\nBcc: evil3@example.com"),
            Address("Eve", "eve@example.com>, evil4@example.com"),
        ),
        cc=(Address("Newline\nBcc: evil5@example.com\n", "zoe@example.de"),),
        references=("x>\r\nBcc: evil6@example.com <y", JORDAN_ID),
        rfc_message_id=f"{SAM_ID}>\nBcc: evil7@example.com",
        body="Line one\r\nBcc: evil8@example.com\r\n",
    )

    draft_id = env.connector.save_draft(env.credentials(), account=ALEX, draft=draft)

    raw, parsed = env.raw_draft(draft_id)
    names = [line.split(b":", 1)[0].lower() for line in header_block(raw) if line[:1] != b" "]
    assert b"bcc" not in names
    assert "Bcc" not in parsed
    assert sorted(set(names)) == sorted(names)  # each header once
    assert set(names) == {
        b"message-id",  # added by Gmail
        b"from",
        b"to",
        b"cc",
        b"subject",
        b"date",
        b"references",
        b"content-type",
        b"content-transfer-encoding",
        b"mime-version",
    }
    assert parsed["Subject"] == "Re: x Bcc: evil1@example.com"
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == [
        ("Evil Bcc: evil2@example.com", "sam.rivera@example.net")
    ]
    assert [(a.display_name, a.addr_spec) for a in parsed["Cc"].addresses] == [
        ("Newline Bcc: evil5@example.com", "zoe@example.de")
    ]
    assert parsed["References"] == f"<{JORDAN_ID}>"  # the broken ids are left out
    assert "evil8@example.com" in parsed.get_content()  # body text stays body text


def test_long_lines_and_international_domains(env: Env) -> None:
    long_line = "word " * 400
    draft = reply(
        to=(Address("Zoë", "zoe@bücher.example"),),
        references=tuple(f"{'a' * 120}.{i}@mail.example.org" for i in range(12)),
        body=f"{long_line}\n{'x' * 1500}\n",
    )

    draft_id = env.connector.save_draft(env.credentials(), account=ALEX, draft=draft)

    raw, parsed = env.raw_draft(draft_id)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert [a.addr_spec for a in parsed["To"].addresses] == ["zoe@xn--bcher-kva.example"]
    references = str(parsed["References"]).split()
    assert references[-1] == f"<{SAM_ID}>"
    assert references[0] == f"<{'a' * 120}.0@mail.example.org>"  # not RFC 2047-encoded
    assert parsed.get_content().replace("\r\n", "\n") == f"{long_line}\n{'x' * 1500}\n"


# The fake's own checks, spoken to directly.


def test_fake_refuses_a_raw_that_is_not_base64url_or_not_a_message(env: Env) -> None:
    not_base64 = env.post_draft({"message": {"raw": "a+b/c==="}})
    no_headers = env.post_draft(
        {"message": {"raw": base64.urlsafe_b64encode(b"just text\r\n").decode()}}
    )
    missing = env.post_draft({"message": {}})

    assert [r.status_code for r in (not_base64, no_headers, missing)] == [400, 400, 400]
    assert not_base64.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert env.fake.drafts_of(ALEX) == []


def test_fake_threads_a_draft_only_when_gmails_rule_is_met(env: Env) -> None:
    unrelated = b"From: alex@example.com\r\nSubject: Lunch?\r\n\r\nNoon?\r\n"
    raw = base64.urlsafe_b64encode(unrelated).decode()
    answer = env.post_draft({"message": {"raw": raw, "threadId": JORDAN_THREAD}})
    unknown = env.post_draft({"message": {"raw": raw, "threadId": "nope"}})

    assert answer.status_code == 200
    body = answer.json()
    assert body["message"]["threadId"] == body["message"]["id"] != JORDAN_THREAD
    assert body["message"]["labelIds"] == ["DRAFT"]
    assert unknown.status_code == 404
    assert unknown.json()["error"]["status"] == "NOT_FOUND"
