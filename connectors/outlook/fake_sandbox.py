"""The Outlook sandbox story: Alex Morgan's inbox at contoso (as in fixtures/graph).

Morgan Patel sends a vendor contract (a PDF attached) and Legal answers in the same
conversation; Riley Chen asks about lunch. Received times are relative to now, so a
resync window (the last N days) always finds them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

SANDBOX_ADDRESS = "alex.morgan@contoso.example.com"
SANDBOX_REFRESH_TOKEN = "1.AXkA-sandbox-outlook-refresh-token"  # noqa: S105 - a fake's token
CONTRACT_ID = "AAMkADQ3MGNmNzA0LWFkNjMtNGJjZS05ZmE0LTg5YmQ3NGI1YWY0ZQBGAAAAAADx7Kq9Xw3lRbHd1o2uPz9RBwBs3c_f0LgEQ6f5fMU0T1uEAAAAAAEMAABs3c_f0LgEQ6f5fMU0T1uEAAMlu4FBdj6HiPAAA="  # noqa: E501
CONTRACT_CONVERSATION = (
    "AAQkADQ3MGNmNzA0LWFkNjMtNGJjZS05ZmE0LTg5YmQ3NGI1YWY0ZQAQAF8xWj5Ue1lEm3Hx0Z8c4xM="
)
_CONTRACT_RFC_ID = (
    "SA1PR12MB5678A1B2C3D4E5F6A7B8C9D0E1F2A3B@SA1PR12MB5678.namprd12.prod.outlook.com"
)
_PDF = base64.b64decode(
    "JVBERi0xLjQKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyAvUGFnZXMgMiAwIFIgPj4KZW5kb2JqCjIgMCBvYmoKPDwg"
    "L1R5cGUgL1BhZ2VzIC9LaWRzIFszIDAgUl0gL0NvdW50IDEgPj4KZW5kb2JqCjMgMCBvYmoKPDwgL1R5cGUgL1BhZ2Ug"
    "L1BhcmVudCAyIDAgUiAvTWVkaWFCb3ggWzAgMCAyMDAgMTAwXSAvQ29udGVudHMgNCAwIFIgL1Jlc291cmNlcyA8PCAv"
    "Rm9udCA8PCAvRjEgNSAwIFIgPj4gPj4gPj4KZW5kb2JqCjQgMCBvYmoKPDwgL0xlbmd0aCA0NSA+PgpzdHJlYW0KQlQg"
    "L0YxIDEyIFRmIDIwIDUwIFRkIChJbnZvaWNlIDIwMjQtMDYpIFRqIEVUCmVuZHN0cmVhbQplbmRvYmoKNSAwIG9iago8"
    "PCAvVHlwZSAvRm9udCAvU3VidHlwZSAvVHlwZTEgL0Jhc2VGb250IC9IZWx2ZXRpY2EgPj4KZW5kb2JqCnhyZWYKMCA2"
    "CjAwMDAwMDAwMDAgNjU1MzUgZiAKMDAwMDAwMDAwOSAwMDAwMCBuIAowMDAwMDAwMDU4IDAwMDAwIG4gCjAwMDAwMDAx"
    "MTUgMDAwMDAgbiAKMDAwMDAwMDI0MSAwMDAwMCBuIAowMDAwMDAwMzM2IDAwMDAwIG4gCnRyYWlsZXIKPDwgL1NpemUg"
    "NiAvUm9vdCAxIDAgUiA+PgpzdGFydHhyZWYKNDA2CiUlRU9GCg=="
)


@dataclass(frozen=True)
class SeedMessage:
    raw: bytes
    received: datetime
    message_id: str | None = None
    conversation_id: str | None = None
    categories: tuple[str, ...] = ()


def _message(
    sender: str, subject: str, sent: datetime, rfc_id: str, text: str, **headers: str
) -> EmailMessage:
    # Exchange's long message ids must not be RFC 2047-encoded by the 78-column default.
    message = EmailMessage(policy=policy.SMTP.clone(max_line_length=120))
    message["From"] = sender
    message["To"] = f"Alex Morgan <{SANDBOX_ADDRESS}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<{rfc_id}>"
    message.set_content(text)
    return message


def sandbox_messages(now: datetime) -> list[SeedMessage]:
    contract_at, reply_at, lunch_at = (now - timedelta(hours=h) for h in (3, 1, 2))
    contract = _message(
        "Morgan Patel <morgan.patel@contoso.example.com>",
        "Vendor contract - signature needed",
        contract_at - timedelta(seconds=5),
        _CONTRACT_RFC_ID,
        "Hi Alex,\n\nPlease sign the attached vendor contract (contract-v3.pdf) before Monday."
        "\n\nThanks,\nMorgan\n",
        Cc="Legal Team <legal@contoso.example.com>",
    )
    contract.add_attachment(_PDF, maintype="application", subtype="pdf", filename="contract-v3.pdf")
    reply = _message(
        "Legal Team <legal@contoso.example.com>",
        "RE: Vendor contract - signature needed",
        reply_at - timedelta(seconds=3),
        "BY5PR12MB4321F0E1D2C3B4A5@BY5PR12MB4321.namprd12.prod.outlook.com",
        "Alex, clause 7 (liability cap) is fine now; you can sign.\n\nLegal\n\n"
        "From: Morgan Patel <morgan.patel@contoso.example.com>\n"
        "Sent: Thursday, June 20, 2024 8:59 AM\n"
        "Subject: Vendor contract - signature needed\n\n"
        "Hi Alex,\n\nPlease sign the attached vendor contract (contract-v3.pdf) before Monday.\n",
        In_Reply_To=f"<{_CONTRACT_RFC_ID}>",
        References=f"<{_CONTRACT_RFC_ID}>",
    )
    lunch = _message(
        "Riley Chen <riley.chen@example.org>",
        "Lunch on Friday?",
        lunch_at - timedelta(seconds=4),
        "CAF4aB7cD8eF9gH0iJ1kL2mN3oP4qR5sT6uV7wX8yZ9@mail.example.org",
        "Hey Alex, are you free for lunch on Friday? The new place on 5th opened.\n\nRiley\n",
    )
    return [
        SeedMessage(
            contract.as_bytes(), contract_at, CONTRACT_ID, CONTRACT_CONVERSATION, ("Legal",)
        ),
        SeedMessage(lunch.as_bytes(), lunch_at),
        SeedMessage(reply.as_bytes(), reply_at),  # joins the contract's conversation
    ]
