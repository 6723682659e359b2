"""The MIME splitter keeps compat32's structure rules while leaving bodies in place."""

from __future__ import annotations

import email
from email.message import Message
from pathlib import Path

import pytest

from connectors.mail.mime import parse_mime
from connectors.mail.structure import Entity, read_entity, split_parts

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mail"


def _parts(data: bytes) -> tuple[list[Entity] | None, list[str]]:
    defects: list[str] = []
    root = read_entity(data)
    return split_parts(root, root.headers.get_boundary(), defects), defects


def _bodies(parts: list[Entity] | None) -> list[bytes]:
    assert parts is not None
    return [bytes(part.body) for part in parts]


def test_headers_unfold_like_compat32_and_the_body_is_a_slice() -> None:
    data = b"Subject: one\r\n two\r\nX-Empty:\r\n\r\nbody\r\n"
    entity = read_entity(data)
    assert list(entity.headers.raw_items()) == [("Subject", "one\r\n two"), ("X-Empty", "")]
    assert bytes(entity.body) == b"body\r\n"
    assert entity.body.obj is data  # no copy of the body
    assert entity.defects == []


def test_a_line_that_is_not_a_header_starts_the_body() -> None:
    entity = read_entity(b"Subject: x\nthis is body text\nmore\n")
    assert entity.headers["subject"] == "x"
    assert bytes(entity.body) == b"this is body text\nmore\n"
    assert entity.defects == ["MissingHeaderBodySeparatorDefect"]


def test_header_oddities_are_defects_not_errors() -> None:
    entity = read_entity(b" leading continuation\nFrom someone\n: no name\nTo: a@b\n\n")
    assert list(entity.headers.raw_items()) == [("To", "a@b")]
    assert entity.headers.get_unixfrom() is None
    assert entity.defects == [
        "FirstHeaderLineIsContinuationDefect",
        "MisplacedEnvelopeHeaderDefect",
        "InvalidHeaderDefect",
    ]


def test_mbox_from_line_is_the_envelope() -> None:
    entity = read_entity(b"From alice@example.com Thu Jan  1 00:00:00 2024\nTo: b@c\n\nhi")
    assert entity.headers.get_unixfrom() == "From alice@example.com Thu Jan  1 00:00:00 2024"
    assert entity.defects == []


def test_the_line_break_before_a_boundary_belongs_to_the_boundary() -> None:
    data = (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\npreamble\r\n"
        b"--b\r\n\r\nfirst\r\n\r\n--b  \r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n"
        b"--b--\r\nepilogue\r\n"
    )
    parts, defects = _parts(data)
    assert _bodies(parts) == [b"first\r\n", b"<p>second</p>"]
    assert parts is not None
    assert parts[1].headers.get_content_type() == "text/html"
    assert defects == []


def test_boundary_text_inside_a_line_is_not_a_delimiter() -> None:
    data = (
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsee --b here\n--bx\n--b-- trailing\n"
        b"--b--\n"
    )
    parts, _ = _parts(data)
    assert _bodies(parts) == [b"see --b here\n--bx\n--b-- trailing"]


def test_an_enclosing_boundary_ends_an_unclosed_inner_multipart() -> None:
    data = (
        b"Content-Type: multipart/mixed; boundary=outer\n\n--outer\n"
        b"Content-Type: multipart/alternative; boundary=inner\n\n--inner\n\nplain\n"
        b"--outer\nContent-Type: text/plain\n\nafter\n--outer--\n"
    )
    parts, defects = _parts(data)
    assert parts is not None
    assert len(parts) == 2
    inner_defects: list[str] = []
    inner = split_parts(parts[0], "inner", inner_defects)
    assert _bodies(inner) == [b"plain"]
    assert bytes(parts[1].body) == b"after"
    assert defects == []
    assert inner_defects == ["CloseBoundaryNotFoundDefect"]


def test_consecutive_delimiters_make_no_empty_part() -> None:
    parts, _ = _parts(b"Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\nonly\n--b--\n")
    assert _bodies(parts) == [b"only"]


@pytest.mark.parametrize(
    ("body", "defect", "text_end"),
    [
        (b"no delimiters at all\n", "StartBoundaryNotFoundDefect", b"at all\n"),
        (b"text\n--b--\nafter the close\n", "StartBoundaryNotFoundDefect", b"text"),
        (b"--b\n\npart never closed\n", "CloseBoundaryNotFoundDefect", None),
    ],
)
def test_broken_multiparts(body: bytes, defect: str, text_end: bytes | None) -> None:
    data = b"Content-Type: multipart/mixed; boundary=b\n\n" + body
    root = read_entity(data)
    defects: list[str] = []
    parts = split_parts(root, "b", defects)
    assert defects == [defect]
    if text_end is None:
        assert _bodies(parts) == [b"part never closed"]
    else:
        assert parts is None
        assert bytes(root.body).endswith(text_end)


def test_no_boundary_parameter() -> None:
    root = read_entity(b"Content-Type: multipart/mixed\n\nbody\n")
    defects: list[str] = []
    assert split_parts(root, None, defects) is None
    assert defects == ["NoBoundaryInMultipartDefect"]


def test_digest_parts_default_to_messages() -> None:
    data = b"Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nhi\n--d--\n"
    parts, _ = _parts(data)
    assert parts is not None
    assert parts[0].headers.get_content_type() == "message/rfc822"


def test_deep_nesting_stops_with_a_defect() -> None:
    depth = 60
    head = b"".join(
        b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (n, n + 1) for n in range(depth)
    )
    data = b"Content-Type: multipart/mixed; boundary=b0\n\n" + head + b"--b60\n\ndeep\n"
    parsed = parse_mime(data)
    assert "MimeNestingTooDeep" in parsed.defects


def _compat32_leaves(message: Message) -> list[tuple[str, bytes]]:
    if message.is_multipart() and not message.get_content_type().startswith("message/"):
        children = [part for part in message.get_payload() if isinstance(part, Message)]
        return [leaf for part in children for leaf in _compat32_leaves(part)]
    # The stored payload, as compat32 kept the input bytes (get_payload would decode).
    payload = vars(message)["_payload"]
    data = payload.encode("ascii", "surrogateescape") if isinstance(payload, str) else b""
    return [(message.get_content_type(), data)]


def _our_leaves(entity: Entity) -> list[tuple[str, bytes]]:
    content_type = entity.headers.get_content_type()
    if content_type.startswith("multipart/"):
        parts = split_parts(entity, entity.headers.get_boundary(), [])
        if parts is not None:
            return [leaf for part in parts for leaf in _our_leaves(part)]
    if content_type.startswith("message/"):
        return [(content_type, b"")]
    return [(content_type, bytes(entity.body))]


def _well_formed(path: Path) -> bool:
    """No repairs by compat32: where it repaired, the splitter's own rules (above) apply."""
    return not any(part.defects for part in email.message_from_bytes(path.read_bytes()).walk())


WELL_FORMED = [path for path in sorted(FIXTURES.glob("*.eml")) if _well_formed(path)]


def test_most_fixtures_are_well_formed() -> None:
    assert len(WELL_FORMED) >= 10


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: p.name)
def test_well_formed_fixtures_split_like_compat32(path: Path) -> None:
    data = path.read_bytes()
    reference = email.message_from_bytes(data)
    expected = [
        (kind, b"" if kind.startswith("message/") else body)
        for kind, body in _compat32_leaves(reference)
    ]
    assert _our_leaves(read_entity(data)) == expected
