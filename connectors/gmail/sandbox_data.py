"""The sandbox story: Jordan Lee's "Quarterly report draft" thread in alex@example.com.

Same ids, history ids and content as the shared Gmail fixtures, kept here as data so
the repository needs nothing outside itself.
"""

from __future__ import annotations

import quopri
from dataclasses import dataclass

SANDBOX_ADDRESS = "alex@example.com"
WATCH_HISTORY_ID = 4812377  # where the story's watch started
STARRED_HISTORY_ID = 4812405  # message 1 gets starred
CURRENT_HISTORY_ID = 4812410  # the mailbox position the story's push announces

_MESSAGE_1 = (
    b"Delivered-To: alex@example.com\r\n"
    b"Received: by 2002:a05:7010:1b2c:b0:3f1:aa01:7c2d with SMTP id x12csp884211mab;\r\n"
    b"        Thu, 20 Jun 2024 01:59:59 -0700 (PDT)\r\n"
    b"Return-Path: <jordan.lee@example.org>\r\n"
    b"Received: from mail.example.org (mail.example.org. [192.0.2.25])\r\n"
    b"        by mx.google.com with ESMTPS id 5a2b9c1d0e3fsi112233.2024.06.20.01.59.59\r\n"
    b"        for <alex@example.com>\r\n"
    b"        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\r\n"
    b"        Thu, 20 Jun 2024 01:59:59 -0700 (PDT)\r\n"
    b"MIME-Version: 1.0\r\n"
    b"From: Jordan Lee <jordan.lee@example.org>\r\n"
    b"Date: Thu, 20 Jun 2024 08:59:58 +0000\r\n"
    b"Message-ID: <CAB1x2y3z4Qm5n6o7p8q9r0s1t2u3v4w5x6y7z8A9B0C1D2E3F@mail.example.org>\r\n"
    b"Subject: Quarterly report draft\r\n"
    b"To: Alex Morgan <alex@example.com>\r\n"
    b'Content-Type: text/plain; charset="UTF-8"\r\n'
    b"\r\n"
    b"Hi Alex,\r\n"
    b"\r\n"
    b"The draft of the Q2 report is ready. Could you review sections 2 and 3\r\n"
    b"before Friday? It's mostly numbers at this point.\r\n"
    b"\r\n"
    b"Thanks,\r\n"
    b"Jordan\r\n"
)

_REPLY_TEXT = (
    "Jordan, Alex -\r\n"
    "\r\n"
    "Section 3 still uses the May exchange rates; I have pushed updated\r\n"
    "figures to the shared sheet.\r\n"
    "\r\n"
    "Sam\r\n"
    "\r\n"
    "On Thu, Jun 20, 2024 at 8:59 AM Jordan Lee <jordan.lee@example.org> wrote:\r\n"
    "> Hi Alex,\r\n"
    "> The draft of the Q2 report is ready.\r\n"
)

_REPLY_HTML = (
    '<div dir="ltr"><div>Jordan, Alex -</div><div><br></div><div>Section 3 still uses the May'
    " exchange rates; I have pushed updated figures to the"
    ' <a href="https://docs.example.com/sheet/q2">shared sheet</a>.</div><div><br></div>'
    '<div>Sam</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
    "On Thu, Jun 20, 2024 at 8:59&#8239;AM Jordan Lee &lt;"
    '<a href="mailto:jordan.lee@example.org">jordan.lee@example.org</a>&gt; wrote:<br></div>'
    '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid'
    ' rgb(204,204,204);padding-left:1ex">Hi Alex,<br>The draft of the Q2 report is ready.'
    "</blockquote></div>\r\n"
)

_BOUNDARY = "000000000000a1b2c3061b5e7f42"

_MESSAGE_2 = (
    (
        "Delivered-To: alex@example.com\r\n"
        "Received: by 2002:a05:7010:1b2c:b0:3f1:aa01:7c2d with SMTP id x12csp891377mab;\r\n"
        "        Thu, 20 Jun 2024 02:41:13 -0700 (PDT)\r\n"
        "Return-Path: <sam.rivera@example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        "References: <CAB1x2y3z4Qm5n6o7p8q9r0s1t2u3v4w5x6y7z8A9B0C1D2E3F@mail.example.org>\r\n"
        "In-Reply-To: <CAB1x2y3z4Qm5n6o7p8q9r0s1t2u3v4w5x6y7z8A9B0C1D2E3F@mail.example.org>\r\n"
        "From: Sam Rivera <sam.rivera@example.net>\r\n"
        "Date: Thu, 20 Jun 2024 09:41:12 +0000\r\n"
        "Message-ID: <CAC9w8v7u6T5s4r3q2p1o0n9m8l7k6j5i4h3g2f1e0D9c8B7a6@mail.example.net>\r\n"
        "Subject: Re: Quarterly report draft\r\n"
        "To: Jordan Lee <jordan.lee@example.org>\r\n"
        "Cc: Alex Morgan <alex@example.com>\r\n"
        f'Content-Type: multipart/alternative; boundary="{_BOUNDARY}"\r\n'
        "\r\n"
        f"--{_BOUNDARY}\r\n"
        'Content-Type: text/plain; charset="UTF-8"\r\n'
        "\r\n"
        f"{_REPLY_TEXT}"
        "\r\n"
        f"--{_BOUNDARY}\r\n"
        'Content-Type: text/html; charset="UTF-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
    ).encode()
    + quopri.encodestring(_REPLY_HTML.encode()).replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
    + f"\r\n--{_BOUNDARY}--\r\n".encode()
)


@dataclass(frozen=True)
class SeedMessage:
    id: str
    thread_id: str
    raw: bytes
    added_labels: tuple[str, ...]  # labels when it arrived
    history_id: int
    internal_date_ms: int


THREAD_ID = "18f2a7c4e9b1d305"

SEED_MESSAGES = (
    SeedMessage(
        id="18f2a7c4e9b1d305",
        thread_id=THREAD_ID,
        raw=_MESSAGE_1,
        added_labels=("UNREAD", "IMPORTANT", "CATEGORY_PERSONAL", "INBOX"),
        history_id=4812390,
        internal_date_ms=1718873998000,
    ),
    SeedMessage(
        id="18f2a8e0c7a4b912",
        thread_id=THREAD_ID,
        raw=_MESSAGE_2,
        added_labels=("UNREAD", "CATEGORY_PERSONAL", "INBOX"),
        history_id=4812398,
        internal_date_ms=1718876472000,
    ),
)
STARRED_MESSAGE_ID = "18f2a7c4e9b1d305"
