"""Sign-in, token rotation and sessions. Views stay thin; the rules live here."""

import ipaddress
import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from backend_api.core import changes, metrics
from backend_api.core.db import rows_changed
from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import ApiError, field_error, not_found, unauthenticated
from backend_api.core.security import TokenError, decode_token, encode_token, names_session
from backend_api.core.timeutil import as_utc, now
from backend_api.people.models import Person

from .models import RevokedRefreshToken, TokenSession, User
from .passwords import DUMMY_HASH, hash_password, verify_password
from .usernames import check_username, username_key


def from_trusted_proxy(request) -> bool:
    """Whether the direct peer is in TRUSTED_PROXIES (addresses and networks, settings.py)."""
    try:
        peer = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(peer in network for network in request.registry.planner_settings.trusted_proxies)


def client_ip(request) -> str:
    """The caller's address; behind a trusted proxy (the Reflex app server, nginx) the last hop
    it reports in X-Forwarded-For."""
    remote = request.remote_addr or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and from_trusted_proxy(request):
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote


def client_agent(request) -> str:
    """The browser's User-Agent; a trusted proxy may pass it on in X-Client-User-Agent."""
    if request.headers.get("X-Client-User-Agent") and from_trusted_proxy(request):
        return request.headers["X-Client-User-Agent"][:500]
    return request.headers.get("User-Agent", "")[:500]


def _ids(session: TokenSession, user_id: int) -> dict:
    return {"user_id": user_id, "session_id": session.id, "session_key": session.session_key}


def access_token(settings, session: TokenSession, user_id: int) -> str:
    access, _ = encode_token(
        settings.jwt_secret,
        **_ids(session, user_id),
        kind="access",
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
    return access


def _issue(settings, session: TokenSession, user_id: int) -> dict:
    refresh, _ = encode_token(
        settings.jwt_secret,
        **_ids(session, user_id),
        kind="refresh",
        lifetime=timedelta(days=settings.refresh_token_days),
        jti=session.refresh_jti,
    )
    return {"access": access_token(settings, session, user_id), "refresh": refresh}


def login(db: Session, settings, username: str, password: str, ip: str, user_agent: str) -> dict:
    user = db.scalar(select(User).where(col(User.username_key) == username_key(username)))
    if user is None:
        verify_password(password, DUMMY_HASH)
        metrics.login("invalid_credentials")
        raise unauthenticated(ErrorCode.INVALID_CREDENTIALS)
    if not verify_password(password, user.password_hash):
        metrics.login("invalid_credentials")
        raise unauthenticated(ErrorCode.INVALID_CREDENTIALS)
    if not user.is_active:
        # Only after the password is right, so this reveals nothing to a guesser.
        metrics.login("account_disabled")
        raise unauthenticated(ErrorCode.ACCOUNT_DISABLED)
    metrics.login("success")
    session = TokenSession(user_id=user.id, refresh_jti=uuid.uuid4().hex, ip=ip, user_agent=user_agent)
    db.add(session)
    user.last_login = now()
    db.flush()
    # A change of the account's own: its other tabs' session lists show the new browser.
    person = db.get(Person, user.person_id) if user.person_id else None
    actor = changes.UserRef(user.id, person.name if person else user.username)
    changes.record(db, actor, "sessions", session.id, changes.CREATED, after={"isActive": True}, owner_id=user.id)
    return _issue(settings, session, user.id)


def _session_of(db: Session, settings, refresh_token: str) -> tuple[TokenSession, dict]:
    try:
        claims = decode_token(settings.jwt_secret, refresh_token, "refresh")
    except TokenError:
        raise unauthenticated(ErrorCode.TOKEN_INVALID) from None
    session = db.get(TokenSession, claims["sid"], populate_existing=True)
    if session is None or not names_session(claims, session.user_id, session.session_key):
        raise unauthenticated(ErrorCode.TOKEN_INVALID)
    return session, claims


def refresh(db: Session, settings, refresh_token: str) -> dict:
    """Rotate: the presented refresh token is retired and a new one of the same session issued.
    Presenting a retired one again means it leaked: the whole session is revoked — except for the
    token rotated away from in the last few seconds (two tabs of one browser refreshing at once),
    which gets the session's current refresh token back rather than a new branch of the family."""
    session, claims = _session_of(db, settings, refresh_token)
    user = db.get_one(User, session.user_id)  # a session's user: a foreign key that cascades on delete
    if not user.is_active:
        raise unauthenticated(ErrorCode.ACCOUNT_DISABLED)
    if not session.is_active:
        raise unauthenticated(ErrorCode.SESSION_REVOKED)
    new_jti = uuid.uuid4().hex
    rotated = rows_changed(
        db.execute(
            update(TokenSession)
            .where(
                col(TokenSession.id) == session.id,
                col(TokenSession.refresh_jti) == claims["jti"],
                col(TokenSession.is_active).is_(True),
            )
            .values(refresh_jti=new_jti, last_used_at=now())
        )
    )
    if rotated == 0:
        current = _just_rotated(db, settings, session.id, claims["jti"])
        if current is not None:
            return _issue(settings, current, user.id)
        metrics.refresh_reused()
        _revoke(db, session.id, "refresh_reuse")
        # Committed although the response is a 401: the revocation is the point.
        db.info["commit_on_error"] = True
        raise unauthenticated(
            ErrorCode.SESSION_REVOKED,
            "This refresh token was already used; the session has been signed out for safety.",
        )
    db.add(RevokedRefreshToken(jti=claims["jti"], session_id=session.id))
    session.refresh_jti = new_jti
    return _issue(settings, session, user.id)


def _just_rotated(db: Session, settings, session_id: int, jti: str) -> TokenSession | None:
    """The live session when `jti` is the refresh token it rotated away from most recently, within
    the grace period; otherwise None (a real replay)."""
    latest = db.scalar(
        select(RevokedRefreshToken)
        .where(col(RevokedRefreshToken.session_id) == session_id)
        .order_by(col(RevokedRefreshToken.revoked_at).desc())
        .limit(1)
    )
    if latest is None or latest.jti != jti:
        return None
    if now() - as_utc(latest.revoked_at) > timedelta(seconds=settings.refresh_reuse_grace_seconds):
        return None
    session = db.get_one(TokenSession, session_id, populate_existing=True)
    return session if session.is_active else None


def logout(db: Session, settings, refresh_token: str) -> None:
    session, _ = _session_of(db, settings, refresh_token)
    _revoke(db, session.id, "logout")


def _revoke(db: Session, session_id: int, reason: str) -> None:
    statement = update(TokenSession).where(col(TokenSession.id) == session_id, col(TokenSession.is_active).is_(True))
    metrics.sessions_revoked(reason, _end_sessions(db, statement))


def revoke_all(db: Session, user_id: int, except_session: int | None = None) -> int:
    """Sign a user out everywhere (disable, password change), optionally keeping one session.
    Returns how many sessions it ended (the audit log records it)."""
    statement = update(TokenSession).where(col(TokenSession.user_id) == user_id, col(TokenSession.is_active).is_(True))
    if except_session is not None:
        statement = statement.where(col(TokenSession.id) != except_session)
    ended = _end_sessions(db, statement)
    metrics.sessions_revoked("signed_out_everywhere", ended)
    return ended


def _end_sessions(db: Session, statement) -> int:
    """Run an UPDATE of active sessions that ends them, and record each one's change: the app
    signs out the tabs of a session the moment its event arrives (changes feed, core/changes.py).
    Returns how many it ended."""
    ended = db.execute(
        statement.values(is_active=False, revoked_at=now()).returning(col(TokenSession.id), col(TokenSession.user_id))
    ).all()
    for session_id, user_id in ended:
        changes.record(
            db,
            None,
            "sessions",
            session_id,
            changes.UPDATED,
            before={"isActive": True},
            after={"isActive": False},
            owner_id=user_id,
        )
    return len(ended)


def list_sessions(db: Session, user_id: int) -> list[TokenSession]:
    return list(
        db.scalars(
            select(TokenSession)
            .where(col(TokenSession.user_id) == user_id)
            .order_by(col(TokenSession.issued_at).desc(), col(TokenSession.id).desc())
        )
    )


def revoke_session(db: Session, user_id: int, session_id: int) -> TokenSession:
    session = db.get(TokenSession, session_id)
    if session is None or session.user_id != user_id:  # another user's session: never reveal it exists
        raise not_found("Session")
    _revoke(db, session.id, "revoked_by_user")
    db.refresh(session)
    return session


# ---- users ------------------------------------------------------------------------------------
MIN_PASSWORD_LENGTH = 10


def check_password_policy(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise field_error("password", f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if password.strip().lower() == username.strip().lower():
        raise field_error("password", "The password must not be the same as the username.")


def create_user(
    db: Session, username: str, password: str, email: str = "", role: str = "user", person_id: int | None = None
) -> User:
    key = check_username(username)
    taken = db.scalar(select(col(User.username)).where(col(User.username_key) == key))
    if taken is not None:
        message = (
            "This username is already taken." if taken == username else f"This username is already taken (as {taken})."
        )
        raise ApiError(400, ErrorCode.DUPLICATE, message, errors={"username": [message]})
    check_password_policy(password, username)
    if person_id is not None:
        check_person_free(db, person_id)
    user = User(
        username=username,
        username_key=key,
        email=email,
        password_hash=hash_password(password),
        role=role,
        is_staff=role == "admin",
        person_id=person_id,
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError:
        # The checks above passed, so a concurrent request took the username or the person first.
        raise ApiError(400, ErrorCode.DUPLICATE, "This username or person was just taken by another account.") from None
    return user


def check_person_free(db: Session, person_id: int) -> None:
    """A login may be linked to an existing Person that has no other login."""
    if db.get(Person, person_id) is None:
        raise field_error("personId", f"Person {person_id} does not exist.")
    holder = db.scalar(select(col(User.username)).where(col(User.person_id) == person_id))
    if holder is not None:
        message = f"This person already has a login ({holder})."
        raise ApiError(400, ErrorCode.DUPLICATE, message, errors={"personId": [message]})
