"""A format=raw resource read in chunks gives what json.loads plus base64 decoding gives."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator

import pytest

from connectors.gmail.rawstream import NotARawResource, split_raw_resource


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    return (data[start : start + size] for start in range(0, len(data), size))


def _resource(raw: bytes, **members: object) -> bytes:
    body = {"id": "18c1", "threadId": "18c0", **members}
    body["raw"] = base64.urlsafe_b64encode(raw).decode()
    body["sizeEstimate"] = len(raw)
    return json.dumps(body).encode()


@pytest.mark.parametrize("size", [1, 3, 7, 64, 4096, 1 << 20])
def test_any_chunking_gives_the_members_and_the_decoded_message(size: int) -> None:
    raw = b"Subject: hi\r\n\r\n" + os.urandom(5000)
    data = _resource(raw, labelIds=["INBOX"], snippet='a "raw": "quoted" snippet \\ here')
    members, decoded = split_raw_resource(_chunks(data, size))
    assert decoded == raw
    expected = json.loads(data)
    del expected["raw"]
    assert members == expected


def test_a_raw_key_inside_a_string_or_nested_object_is_not_the_message() -> None:
    raw = b"Subject: real\r\n\r\nbody"
    data = _resource(raw, snippet='"raw": "AAAA"', payload={"raw": "QUJD"})
    members, decoded = split_raw_resource(_chunks(data, 5))
    assert decoded == raw
    assert members["payload"] == {"raw": "QUJD"}


def test_standard_alphabet_and_escaped_slashes_also_decode() -> None:
    raw = bytes(range(256)) * 3
    encoded = base64.b64encode(raw).decode().replace("/", "\\/")
    data = ('{"id": "1", "raw": "' + encoded + '"}').encode()
    assert split_raw_resource([data]) == ({"id": "1"}, raw)


def test_missing_or_broken_raw_is_none() -> None:
    assert split_raw_resource([b'{"id": "1", "payload": {}}']) == ({"id": "1", "payload": {}}, None)
    assert split_raw_resource([b'{"id": "1", "raw": "A"}']) == ({"id": "1"}, None)


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"id": "1", "raw": "QUJD'])
def test_what_is_not_a_json_object_is_refused(body: bytes) -> None:
    with pytest.raises(NotARawResource):
        split_raw_resource([body])
