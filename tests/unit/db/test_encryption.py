from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.dialects import postgresql

from db import encryption
from db.encryption import KeyRing
from db.types import EncryptedText


def test_first_key_encrypts_and_every_key_decrypts() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored_under_old = KeyRing([old]).encrypt("1//refresh-token")
    rotated_ring = KeyRing([new, old])
    assert rotated_ring.decrypt(stored_under_old) == "1//refresh-token"
    rotated = rotated_ring.rotate(stored_under_old)
    assert KeyRing([new]).decrypt(rotated) == "1//refresh-token"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        KeyRing([old]).decrypt(rotated)


def test_encrypted_column_never_binds_clear_text() -> None:
    encryption.configure([Fernet.generate_key().decode()])
    column = EncryptedText()
    dialect = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
    stored = column.process_bind_param("xoxb-secret-bot-token", dialect)
    assert stored is not None
    assert "xoxb" not in stored
    assert column.process_result_value(stored, dialect) == "xoxb-secret-bot-token"
    assert column.process_bind_param(None, dialect) is None
