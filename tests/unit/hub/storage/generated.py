"""Large deterministic payloads produced on demand, so a 25 MB test body never exists whole."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MB = 1000 * 1000
_BLOCK_SIZE = 64 * 1024


class _Generated(io.RawIOBase):
    def __init__(self, size: int, seed: bytes) -> None:
        block = hashlib.sha512(seed).digest()
        self._block = (block * (_BLOCK_SIZE // len(block) + 1))[:_BLOCK_SIZE]
        self._remaining = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._remaining)
        written = 0
        while written < wanted:
            start = self._position % _BLOCK_SIZE
            take = min(wanted - written, _BLOCK_SIZE - start)
            view[written : written + take] = self._block[start : start + take]
            written += take
            self._position += take
        self._remaining -= wanted
        return wanted


def generated_stream(size: int, seed: bytes = b"inbox-hub") -> BinaryIO:
    return io.BufferedReader(_Generated(size, seed))


def generated_sha256(size: int, seed: bytes = b"inbox-hub") -> str:
    digest = hashlib.sha256()
    stream = generated_stream(size, seed)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


def stream_sha256(stream: BinaryIO) -> tuple[str, int]:
    """Hash a reader chunk by chunk; returns (hex digest, size)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(256 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
