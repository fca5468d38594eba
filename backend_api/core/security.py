"""JWT tokens, the Bearer security policy and the role permissions.

Every authenticated request checks, by primary key, that its session is still active and its
user still enabled, so revoking or disabling takes effect on the very next request rather than
when the access token expires.
"""

import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta

import jwt
from pyramid.authorization import ACLHelper, Allow, Authenticated, Everyone
from sqlalchemy import select, update

from .timeutil import as_utc, now

ALGORITHM = "HS256"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    pass


def encode_token(
    secret: str,
    *,
    user_id: int,
    session_id: int,
    session_key: str,
    kind: str,
    lifetime: timedelta,
    jti: str | None = None,
) -> tuple[str, str]:
    issued = now()
    jti = jti or uuid.uuid4().hex
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "sk": session_key,
        "type": kind,
        "jti": jti,
        "iat": issued,
        "exp": issued + lifetime,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM), jti


def decode_token(secret: str, token: str, kind: str) -> dict:
    """Verify signature, algorithm (pinned), expiry and that the token is of `kind`."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "jti", "sub", "sid", "sk", "type"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from None
    if claims.get("type") != kind:
        raise TokenError(f"not an {kind} token")
    return claims


def names_session(claims: dict, user_id: int, session_key: str) -> bool:
    """The token was issued for this very session row: its user and its random key, not just
    ids a later row could have been given again."""
    return str(user_id) == claims["sub"] and hmac.compare_digest(session_key.encode(), str(claims["sk"]).encode())


@dataclass(frozen=True)
class Identity:
    user_id: int
    username: str
    role: str
    session_id: int


class RootFactory:
    """Permissions by role: everyone signed in may view; managers and admins edit; admins administer."""

    __acl__ = [
        (Allow, Authenticated, "view"),
        (Allow, Authenticated, "self"),
        (Allow, "role:manager", "edit"),
        (Allow, "role:admin", ("edit", "admin")),
    ]

    def __init__(self, request):
        self.request = request


class BearerSecurityPolicy:
    def __init__(self, secret: str):
        self.secret = secret
        self.acl = ACLHelper()

    def identity(self, request) -> Identity | None:
        # Cached on the request: the lookup runs once however often Pyramid asks.
        if "planner.identity" not in request.environ:
            request.environ["planner.identity"] = self._load(request)
        return request.environ["planner.identity"]

    def _load(self, request) -> Identity | None:
        from backend_api.auth.models import TokenSession, User

        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            request.auth_error = "not_authenticated"
            return None
        try:
            claims = decode_token(self.secret, token.strip(), "access")
        except TokenError:
            request.auth_error = "token_invalid"
            return None
        reader, writer = request.registry.planner_sessions
        with reader() as db:
            row = db.execute(
                select(TokenSession, User)
                .join(User, User.id == TokenSession.user_id)
                .where(TokenSession.id == claims["sid"])
            ).first()
        if row is None or not names_session(claims, row.User.id, row.TokenSession.session_key):
            request.auth_error = "token_invalid"
            return None
        session, user = row
        if not user.is_active:
            request.auth_error = "account_disabled"
            return None
        if not session.is_active:
            request.auth_error = "session_revoked"
            return None
        if now() - as_utc(session.last_used_at) > LAST_USED_RESOLUTION:
            with writer() as db, db.begin():
                db.execute(update(TokenSession).where(TokenSession.id == session.id).values(last_used_at=now()))
        request.environ["planner.user_id"] = user.id
        return Identity(user.id, user.username, user.role, session.id)

    def authenticated_userid(self, request):
        identity = self.identity(request)
        return identity.user_id if identity else None

    def permits(self, request, context, permission):
        identity = self.identity(request)
        principals = [Everyone]
        if identity is not None:
            principals += [Authenticated, f"role:{identity.role}"]
        return self.acl.permits(context, principals, permission)

    def remember(self, request, userid, **kw):
        return []

    def forget(self, request, **kw):
        return []
