"""S3-compatible storage (AWS S3, MinIO, moto) through boto3.

boto3 has no type information here, so the client is `Any` at this boundary and
every call into it stays in this module; botocore errors leave it as StorageError.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, cast

import boto3  # type: ignore[import-untyped]
from boto3.s3.transfer import TransferConfig  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from hub.storage.store import (
    KEY_PREFIX,
    ContentAddressedStore,
    ObjectNotFound,
    Spooled,
    StorageError,
    validate_key,
)

MIB = 1024 * 1024
# Multipart above 8 MiB so a failed part is retried alone; parts stream from the
# spool file, so concurrency costs connections, not memory.
TRANSFER_CONFIG = TransferConfig(
    multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB, max_concurrency=4
)
_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code", "")) in _MISSING_CODES


class S3Store(ContentAddressedStore):
    def __init__(self, client: Any, bucket: str, *, page_size: int = 1000) -> None:
        self.client = client
        self.bucket = bucket
        self._page_size = page_size

    def ensure_bucket(self) -> None:
        """Create the bucket if absent (sandbox and compose MinIO start empty)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if not _is_missing(exc):
                raise StorageError(f"cannot check bucket {self.bucket}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot check bucket {self.bucket}: {exc}") from exc
        region = self.client.meta.region_name
        kwargs: dict[str, Any] = {"Bucket": self.bucket}
        # us-east-1 is the one region that rejects an explicit location constraint.
        if region and region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            self.client.create_bucket(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise StorageError(f"cannot create bucket {self.bucket}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot create bucket {self.bucket}: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise StorageError(f"cannot check {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot check {key}: {exc}") from exc
        return True

    def _write(self, key: str, spooled: Spooled, *, content_type: str) -> None:
        try:
            if spooled.path is None:
                # Already in memory: one PUT straight from the buffer, no part copies.
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=key,
                    Body=spooled.file,
                    ContentLength=spooled.size,
                    ContentType=content_type,
                )
            else:
                # By file name, s3transfer streams each part from disk (upload_fileobj
                # would read every part into memory first).
                self.client.upload_file(
                    spooled.path,
                    self.bucket,
                    key,
                    ExtraArgs={"ContentType": content_type},
                    Config=TRANSFER_CONFIG,
                )
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"cannot upload {key}: {exc}") from exc

    def open(self, key: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                raise ObjectNotFound(key) from exc
            raise StorageError(f"cannot read {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot read {key}: {exc}") from exc
        # botocore's StreamingBody is an io.IOBase reading from the socket on demand
        # (read(n), iteration, close, context manager): a binary file in practice.
        return cast(BinaryIO, response["Body"])

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=validate_key(key))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"cannot delete {key}: {exc}") from exc

    def iter_keys(self, prefix: str = KEY_PREFIX) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": self._page_size}
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    yield str(item["Key"])
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"cannot list {prefix}: {exc}") from exc


def build_s3_store(
    endpoint_url: str,
    bucket: str,
    region: str,
    access_key: str,
    secret_key: str,
) -> S3Store:
    """Empty strings mean "let boto3 decide" (AWS endpoint, default credential chain)."""
    custom_endpoint = bool(endpoint_url)
    config = Config(
        retries={"mode": "standard", "max_attempts": 5},
        connect_timeout=5,
        read_timeout=60,
        # MinIO and most self-hosted servers serve buckets by path, not subdomain.
        s3={"addressing_style": "path" if custom_endpoint else "auto"},
        # botocore >= 1.36 adds CRC checksums to every upload by default; several
        # S3-compatible servers reject or mishandle them, so ask only when required.
        request_checksum_calculation="when_required" if custom_endpoint else "when_supported",
        response_checksum_validation="when_required" if custom_endpoint else "when_supported",
    )
    # A session per store: boto3's default session is not safe to share across threads
    # while clients are created; the client itself is thread-safe once built.
    session = boto3.session.Session(
        aws_access_key_id=access_key or None,
        aws_secret_access_key=secret_key or None,
        region_name=region or None,
    )
    client = session.client("s3", endpoint_url=endpoint_url or None, config=config)
    return S3Store(client, bucket)
