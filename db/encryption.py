"""The key ring behind encrypted columns: a MultiFernet over the configured keys.

The first key encrypts, every key decrypts, so keys rotate by prepending a new one,
re-encrypting (rotate) and later dropping the old one. The composition root calls
configure() once at start-up; the type reads the ring on each bind.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class EncryptionNotConfigured(RuntimeError):
    pass


class KeyRing:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is required")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str, *, ttl: int | None = None) -> str:
        """The plain text; with ttl, tokens older than ttl seconds are refused too."""
        try:
            return self._fernet.decrypt(token.encode(), ttl=ttl).decode()
        except InvalidToken as exc:
            raise ValueError("secret cannot be decrypted with the configured keys") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt a stored token under the first (newest) key."""
        return self._fernet.rotate(token.encode()).decode()


_keyring: KeyRing | None = None


def configure(keys: Sequence[str]) -> None:
    global _keyring  # one ring per process, set by the composition root
    _keyring = KeyRing(keys)


def keyring() -> KeyRing:
    if _keyring is None:
        raise EncryptionNotConfigured("db.encryption.configure() was not called")
    return _keyring
