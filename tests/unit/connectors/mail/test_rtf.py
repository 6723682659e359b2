"""RTF bodies: Outlook TNEF with only a compressed RTF body, and text/rtf parts."""

from __future__ import annotations

import base64
import struct

from compressed_rtf import compress

from connectors.mail.mime import parse_mime
from connectors.mail.rtf import rtf_to_plain

RTF = (
    rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0 Arial;}}"
    rb"\pard Hello Ivan,\par "
    rb"\'cf\'f0\'e8\'e2\'e5\'f2 and caf\u233?\par "
    rb"Can you send the signed contract by Friday?\par }"
)


def _tnef_with_rtf_body(rtf: bytes) -> bytes:
    """A minimal TNEF (MS-OXTNEF): one attMAPIProps holding PR_RTF_COMPRESSED."""
    value = bytes(compress(rtf))
    padded = value + b"\0" * (-len(value) % 4)
    props = struct.pack("<IHHII", 1, 0x0102, 0x1009, 1, len(value)) + padded
    checksum = sum(props) & 0xFFFF
    attribute = struct.pack("<BII", 1, 0x00069003, len(props)) + props
    return struct.pack("<IH", 0x223E9F78, 1) + attribute + struct.pack("<H", checksum)


def test_code_page_and_unicode_escapes_are_decoded() -> None:
    text, defect = rtf_to_plain(RTF)
    assert defect is None
    assert text.splitlines() == [
        "Hello Ivan,",
        "Привет and café",
        "Can you send the signed contract by Friday?",
    ]


def test_a_tnef_whose_only_body_is_rtf_gives_its_text() -> None:
    winmail = base64.encodebytes(_tnef_with_rtf_body(RTF))
    data = (
        b"From: ivan@example.com\r\nSubject: contract\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
        b'Content-Type: application/ms-tnef; name="winmail.dat"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + winmail + b"--x--\r\n"
    )
    parsed = parse_mime(data)
    assert "Can you send the signed contract by Friday?" in parsed.visible_text
    assert not [defect for defect in parsed.defects if "tnef" in defect]


def test_a_text_rtf_part_is_read_when_there_is_no_plain_text() -> None:
    data = b"Subject: rtf\r\nContent-Type: text/rtf\r\n\r\n" + RTF
    assert "signed contract" in parse_mime(data).text


def test_broken_rtf_still_gives_its_words() -> None:
    text, defect = rtf_to_plain(b"{\\rtf1 Hello \\'zz unbalanced {{{ {\\b world")
    assert defect is None
    assert text.split() == ["Hello", "zz", "unbalanced", "world"]
