"""Object storage for raw messages and attachments: S3-compatible or a local directory."""

from hub.storage.local import LocalStore
from hub.storage.retention import PurgeResult, purge, retention_cutoff
from hub.storage.s3 import S3Store, build_s3_store
from hub.storage.store import (
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    StoredObject,
    key_for,
)

__all__ = [
    "InvalidKey",
    "LocalStore",
    "ObjectNotFound",
    "ObjectStore",
    "PurgeResult",
    "S3Store",
    "StorageError",
    "StoredObject",
    "build_s3_store",
    "key_for",
    "purge",
    "retention_cutoff",
]
