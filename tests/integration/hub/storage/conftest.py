"""A real S3-compatible server for these tests: moto in server mode, over HTTP.

moto runs in its own process rather than on a thread here, so the memory these
tests measure with tracemalloc is the client's alone (moto keeps uploaded parts
in memory, which would otherwise be counted against the store).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import httpx
import pytest

from hub.storage.s3 import S3Store, build_s3_store

START_TIMEOUT_SECONDS = 20.0
START_ATTEMPTS = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_moto(port: int) -> subprocess.Popen[bytes] | None:
    """moto serving on port, or None when it exited first (the port was taken meanwhile)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/moto-api/data.json", timeout=1.0).is_success:
                return process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(f"moto server did not answer on port {port}")
        time.sleep(0.1)
    return None


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    # The port is free when picked but can be taken before moto binds it: then try another.
    for _ in range(START_ATTEMPTS):
        port = _free_port()
        process = _start_moto(port)
        if process is not None:
            break
    else:
        pytest.fail(f"moto server did not start in {START_ATTEMPTS} attempts")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_store(s3_endpoint: str) -> S3Store:
    """A fresh bucket per test, reached through the production factory."""
    store = build_s3_store(
        endpoint_url=s3_endpoint,
        bucket=f"test-{uuid.uuid4().hex[:12]}",
        region="eu-central-1",
        access_key="testing",
        secret_key="testing",  # moto accepts any credentials
    )
    store.ensure_bucket()
    return store


def raw_client(endpoint: str) -> Any:
    """A plain boto3 client to observe the bucket independently of the store."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
