"""S3Store over real HTTP against moto's S3 server, with the production boto3 client."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections import Counter
from typing import Any

import pytest

from hub.storage.retention import PurgeResult, purge
from hub.storage.s3 import S3Store, build_s3_store
from hub.storage.store import ObjectNotFound, StorageError, key_for
from tests.integration.hub.storage.conftest import raw_client
from tests.unit.hub.storage.generated import (
    MB,
    generated_sha256,
    generated_stream,
    stream_sha256,
)

WRITE_OPERATIONS = ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")


def count_calls(store: S3Store) -> Counter[str]:
    """Counts the S3 operations the store's client sends, via botocore's event hooks."""
    calls: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    store.client.meta.events.register("before-call.s3", record)
    return calls


def test_put_open_roundtrip_keeps_the_content_type(s3_store: S3Store, s3_endpoint: str) -> None:
    stored = s3_store.put_bytes(b"From: a@example.com\r\n\r\nhi", content_type="message/rfc822")

    assert stored.key == key_for(hashlib.sha256(b"From: a@example.com\r\n\r\nhi").hexdigest())
    assert s3_store.exists(stored.key)
    with s3_store.open(stored.key) as body:
        assert body.read() == b"From: a@example.com\r\n\r\nhi"
    head = raw_client(s3_endpoint).head_object(Bucket=s3_store.bucket, Key=stored.key)
    assert head["ContentType"] == "message/rfc822"
    assert head["ContentLength"] == stored.size


def test_a_25_mb_message_goes_up_in_parts_and_streams_back(s3_store: S3Store) -> None:
    size = 25 * MB
    calls = count_calls(s3_store)
    tracemalloc.start()
    try:
        stored = s3_store.put_stream(generated_stream(size), content_type="message/rfc822")
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with s3_store.open(stored.key) as body:
            read_back = stream_sha256(body)
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.sha256 == generated_sha256(size)
    assert read_back == (stored.sha256, size)
    assert calls["CreateMultipartUpload"] == 1
    assert calls["UploadPart"] == 3  # 8 MiB parts
    assert calls["PutObject"] == 0
    # Far below the body's own size: it is never held whole, let alone twice.
    assert upload_peak < 8 * MB, f"upload peak {upload_peak / MB:.1f} MB"
    assert download_peak < 4 * MB, f"download peak {download_peak / MB:.1f} MB"


def test_same_content_is_uploaded_once(s3_store: S3Store) -> None:
    calls = count_calls(s3_store)
    first = s3_store.put_bytes(b"invoice.pdf", content_type="application/pdf")
    second = s3_store.put_stream(io.BytesIO(b"invoice.pdf"), content_type="application/pdf")
    different = s3_store.put_bytes(b"invoice-2.pdf", content_type="application/pdf")

    assert first == second
    assert different.key != first.key
    assert sum(calls[name] for name in WRITE_OPERATIONS) == 2
    assert calls["HeadObject"] == 3  # every put checks first


def test_a_large_duplicate_is_not_uploaded_again(s3_store: S3Store) -> None:
    s3_store.put_stream(generated_stream(9 * MB, b"dup"), content_type="message/rfc822")
    calls = count_calls(s3_store)
    s3_store.put_stream(generated_stream(9 * MB, b"dup"), content_type="message/rfc822")
    assert sum(calls[name] for name in WRITE_OPERATIONS) == 0


def test_delete_and_list(s3_endpoint: str) -> None:
    # A small page size, so listing has to follow continuation tokens.
    store = build_s3_store(s3_endpoint, "paging", "us-east-1", "testing", "testing")
    store = S3Store(store.client, store.bucket, page_size=2)
    store.ensure_bucket()
    store.ensure_bucket()  # idempotent
    keys = sorted(store.put_bytes(bytes([n]) * 10, content_type="x/y").key for n in range(5))
    raw_client(s3_endpoint).put_object(Bucket="paging", Key="elsewhere/file", Body=b"x")

    assert list(store.iter_keys()) == keys
    calls = count_calls(store)
    assert list(store.iter_keys()) == keys
    assert calls["ListObjectsV2"] == 3

    store.delete(keys[0])
    store.delete(keys[0])  # idempotent
    assert not store.exists(keys[0])
    with pytest.raises(ObjectNotFound):
        store.open(keys[0])
    assert list(store.iter_keys()) == keys[1:]

    assert purge(store, keys[1:3], keep={keys[2]}) == PurgeResult(deleted=1, kept=1, failed=0)
    assert list(store.iter_keys()) == [keys[2], *keys[3:]]


def test_backend_failures_surface_as_storage_errors(s3_endpoint: str) -> None:
    store = build_s3_store(s3_endpoint, "never-created", "", "testing", "testing")
    with pytest.raises(StorageError):
        store.put_bytes(b"x", content_type="text/plain")
    # A missing bucket is a configuration fault, not a purged object.
    with pytest.raises(StorageError) as raised:
        store.open(key_for(hashlib.sha256(b"x").hexdigest()))
    assert not isinstance(raised.value, ObjectNotFound)
    with pytest.raises(StorageError):
        list(store.iter_keys())
