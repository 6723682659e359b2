"""Content-addressed object storage for raw messages and attachments.

Objects are named by the sha256 of their bytes ("sha256/ab/cd/<hex>"), so the same
attachment sent to ten mailboxes is stored once and a key never points at changed
content. The database holds the metadata (key, size, content type, owner); stores
hold only bytes.

A write reads the caller's stream once, in chunks: it hashes while spooling (in
memory up to SPOOL_MEMORY_LIMIT, then to a named temporary file), then uploads from
the spool. The key is only known after the last byte, and the spool lets the upload
start from the beginning without buffering a 25 MB message in memory.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Protocol

KEY_PREFIX = "sha256/"
CHUNK_SIZE = 256 * 1024
# Objects up to this size stay in memory while spooling; larger ones go to disk,
# which is what keeps a 25 MB body from being held twice (spool + upload).
SPOOL_MEMORY_LIMIT = 1024 * 1024

_KEY_PATTERN = re.compile(r"sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


class StorageError(Exception):
    """The backend failed (network, permissions, disk); the operation may be retried."""


class ObjectNotFound(StorageError, LookupError):
    """No object under this key (never stored, or purged by retention)."""


class InvalidKey(StorageError, ValueError):
    """Not a key this storage produces; refused before it can reach a path or URL."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int


def key_for(sha256_hex: str) -> str:
    """The key for a digest; two levels of fan-out keep directory listings short."""
    return validate_key(f"{KEY_PREFIX}{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}")


def validate_key(key: str) -> str:
    match = _KEY_PATTERN.fullmatch(key)
    if match is None or not match.group(3).startswith(match.group(1) + match.group(2)):
        raise InvalidKey(f"not a content key: {key[:100]!r}")
    return key


def is_key(key: str) -> bool:
    try:
        validate_key(key)
    except InvalidKey:
        return False
    return True


class ObjectStore(Protocol):
    def put_stream(self, stream: BinaryIO, *, content_type: str) -> StoredObject:
        """Store everything `stream` yields; skips the upload when the key already exists."""
        ...

    def put_bytes(self, data: bytes, *, content_type: str) -> StoredObject: ...

    def open(self, key: str) -> BinaryIO:
        """A streaming reader; the caller closes it. Raises ObjectNotFound."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Idempotent: deleting a missing key is not an error."""
        ...

    def iter_keys(self, prefix: str = KEY_PREFIX) -> Iterator[str]: ...


@dataclass(frozen=True)
class Spooled:
    file: IO[bytes]  # rewound to the start
    sha256: str
    size: int
    # Set once the content went to disk. A backend can re-open the file by name, which
    # boto3 needs to stream multipart uploads from disk instead of reading parts into
    # memory (upload_fileobj buffers every part: measured 28 MB peak for 25 MB).
    path: str | None = None


class _PieceReader(io.RawIOBase):
    """A read-once raw file over byte pieces, so a generator can feed put_stream."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self._pieces = iter(pieces)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._pending = memoryview(piece)
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def stream_of(pieces: Iterable[bytes]) -> BinaryIO:
    """A file-like reader over pieces produced lazily (decoded attachment content)."""
    return io.BufferedReader(_PieceReader(pieces), buffer_size=CHUNK_SIZE)


@contextmanager
def spool(stream: BinaryIO, *, memory_limit: int = SPOOL_MEMORY_LIMIT) -> Iterator[Spooled]:
    """Read `stream` once, hashing while copying to memory, or to disk past the limit.

    This is tempfile.SpooledTemporaryFile's policy, written out because that class
    gives its rolled-over file no name.
    """
    digest = hashlib.sha256()
    size = 0
    with ExitStack() as cleanup:
        memory = io.BytesIO()
        file: IO[bytes] = memory
        path: str | None = None
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
            if path is None and size > memory_limit:
                disk = cleanup.enter_context(tempfile.NamedTemporaryFile(prefix="inbox-hub-"))
                disk.write(memory.getbuffer())
                memory = io.BytesIO()  # release the in-memory head now
                file, path = disk, disk.name
            file.write(chunk)
        file.flush()
        file.seek(0)
        yield Spooled(file=file, sha256=digest.hexdigest(), size=size, path=path)


class ContentAddressedStore:
    """put_stream/put_bytes on top of a backend's exists and _write."""

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def _write(self, key: str, spooled: Spooled, *, content_type: str) -> None:
        raise NotImplementedError

    def put_stream(self, stream: BinaryIO, *, content_type: str) -> StoredObject:
        with spool(stream) as spooled:
            return self._store(spooled, content_type=content_type)

    def put_bytes(self, data: bytes, *, content_type: str) -> StoredObject:
        # The bytes are already in memory: hash them directly, no spool copy.
        spooled = Spooled(io.BytesIO(data), hashlib.sha256(data).hexdigest(), len(data))
        return self._store(spooled, content_type=content_type)

    def _store(self, spooled: Spooled, *, content_type: str) -> StoredObject:
        stored = StoredObject(key_for(spooled.sha256), spooled.sha256, spooled.size)
        # Same key means same bytes, so an existing object is already the right one.
        # Two writers racing past this check both write identical content: harmless.
        if not self.exists(stored.key):
            self._write(stored.key, spooled, content_type=content_type)
        return stored
