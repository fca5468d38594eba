"""The browser grant: how the app server gets an access token while the browser holds the session.

The app server (the Reflex backend) keeps a random PKCE verifier and gives the browser only its
challenge (SHA-256, base64url). The browser presents its refresh cookie with that challenge and
receives a one-time code that lives GRANT_CODE_SECONDS; the app server trades code + verifier for
an access token. Neither the browser nor anyone who sees the code can make that trade alone.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from backend_api.core.db import rows_changed
from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import unauthenticated
from backend_api.core.security import decode_token
from backend_api.core.timeutil import as_utc, now

from .models import GrantCode, TokenSession, User
from .services import access_token

GRANT_CODE_SECONDS = 60


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue(db: Session, settings, refresh_token: str, challenge: str) -> str:
    """A code for the session of this (just rotated, so valid) refresh token."""
    session_id = decode_token(settings.jwt_secret, refresh_token, "refresh")["sid"]
    # Codes nobody redeemed go with the next issue, so the table stays as small as the traffic.
    db.execute(delete(GrantCode).where(col(GrantCode.expires_at) < now()))
    code = secrets.token_urlsafe(32)
    db.add(
        GrantCode(
            code_hash=_hash(code),
            session_id=session_id,
            challenge=challenge,
            expires_at=now() + timedelta(seconds=GRANT_CODE_SECONDS),
        )
    )
    return code


def redeem(db: Session, settings, code: str, verifier: str) -> str:
    """The access token for a code and the verifier of its challenge; the code is spent either way."""
    grant = db.scalar(select(GrantCode).where(col(GrantCode.code_hash) == _hash(code)))
    # One redemption wins: a second one, even concurrent, deletes nothing.
    if (
        grant is None
        or rows_changed(db.execute(delete(GrantCode).where(col(GrantCode.code_hash) == grant.code_hash))) != 1
    ):
        raise unauthenticated(ErrorCode.TOKEN_INVALID, "This grant code is unknown, expired or already used.")
    # Spending the code is committed although the answer may be a 401.
    db.info["commit_on_error"] = True
    if as_utc(grant.expires_at) < now() or not hmac.compare_digest(challenge_of(verifier), grant.challenge):
        raise unauthenticated(ErrorCode.TOKEN_INVALID, "This grant code is unknown, expired or already used.")
    # Both exist: a grant's session and a session's user are foreign keys that cascade on delete.
    session = db.get_one(TokenSession, grant.session_id)
    user = db.get_one(User, session.user_id)
    if not user.is_active:
        raise unauthenticated(ErrorCode.ACCOUNT_DISABLED)
    if not session.is_active:
        raise unauthenticated(ErrorCode.SESSION_REVOKED)
    return access_token(settings, session, user.id)
