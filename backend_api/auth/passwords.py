"""bcrypt password hashes.

The password is SHA-256'd and base64'd first: bcrypt only reads 72 bytes (and bcrypt 5 refuses
longer input), so a long passphrase would otherwise be cut or rejected.
"""

import base64
import hashlib

import bcrypt

from backend_api.core.settings import process_settings

ROUNDS = process_settings().bcrypt_rounds  # at import: DUMMY_HASH below is made with it


def _prepare(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_prepare(password), bcrypt.gensalt(ROUNDS)).decode()


def verify_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(_prepare(password), hashed.encode())
    except ValueError:
        return False


# Checked against when the username is unknown, so both failures cost the same time.
DUMMY_HASH = hash_password("timing equaliser")
