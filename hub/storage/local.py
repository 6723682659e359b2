"""The embedded default: objects as files under one directory, same key layout as S3."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from hub.storage.store import (
    CHUNK_SIZE,
    KEY_PREFIX,
    ContentAddressedStore,
    ObjectNotFound,
    Spooled,
    StorageError,
    is_key,
    validate_key,
)

# Temporary files start with a dot and never match the key pattern, so a crash
# mid-write leaves debris that iter_keys ignores rather than a half object.
_TEMP_PREFIX = ".incoming-"


class LocalStore(ContentAddressedStore):
    """Files under `root`; the content type is not kept (the database holds it)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        # validate_key admits only hex and slashes, so no key can escape the root.
        return self.root / validate_key(key)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _write(self, key: str, spooled: Spooled, *, content_type: str) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Same directory as the target, so os.replace is an atomic rename on one
            # filesystem: readers see no object or the whole object, never a part.
            fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        except OSError as exc:
            raise StorageError(f"cannot write {key}: {exc}") from exc
        replaced = False
        try:
            with os.fdopen(fd, "wb") as temp:
                shutil.copyfileobj(spooled.file, temp, CHUNK_SIZE)
                temp.flush()
                # Without fsync a crash after the rename can leave an empty file
                # under a key that promises specific content.
                os.fsync(temp.fileno())
            os.replace(temp_name, target)
            replaced = True
        except OSError as exc:
            raise StorageError(f"cannot write {key}: {exc}") from exc
        finally:
            if not replaced:
                Path(temp_name).unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc
        except OSError as exc:
            raise StorageError(f"cannot read {key}: {exc}") from exc

    def delete(self, key: str) -> None:
        # Empty fan-out directories stay: removing them would race with a writer
        # that has just created one and is about to put its temp file there.
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot delete {key}: {exc}") from exc

    def iter_keys(self, prefix: str = KEY_PREFIX) -> Iterator[str]:
        base = self.root / KEY_PREFIX
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if is_key(key) and key.startswith(prefix):
                    yield key
