"""The Bearer security policy, set by auth's includeme.

Every authenticated request checks, by primary key, that its session is still active and its
user still enabled, so revoking or disabling takes effect on the very next request rather than
when the access token expires.
"""

from dataclasses import dataclass
from datetime import timedelta

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from sqlalchemy import select, update
from sqlmodel import col

from backend_api.core.error_codes import ErrorCode
from backend_api.core.security import TokenError, decode_token, names_session
from backend_api.core.timeutil import as_utc, now

from .models import TokenSession, User

LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Identity:
    user_id: int
    username: str
    role: str
    session_id: int


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
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            request.auth_error = ErrorCode.NOT_AUTHENTICATED
            return None
        try:
            claims = decode_token(self.secret, token.strip(), "access")
        except TokenError:
            request.auth_error = ErrorCode.TOKEN_INVALID
            return None
        reader, writer = request.registry.planner_sessions
        with reader() as db:
            row = db.execute(
                select(TokenSession, User)
                .join(User, col(User.id) == col(TokenSession.user_id))
                .where(col(TokenSession.id) == claims["sid"])
            ).first()
        if row is None or not names_session(claims, row.User.id, row.TokenSession.session_key):
            request.auth_error = ErrorCode.TOKEN_INVALID
            return None
        session, user = row
        if not user.is_active:
            request.auth_error = ErrorCode.ACCOUNT_DISABLED
            return None
        if not session.is_active:
            request.auth_error = ErrorCode.SESSION_REVOKED
            return None
        if now() - as_utc(session.last_used_at) > LAST_USED_RESOLUTION:
            with writer() as db, db.begin():
                db.execute(update(TokenSession).where(col(TokenSession.id) == session.id).values(last_used_at=now()))
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


def includeme(config):
    config.set_security_policy(BearerSecurityPolicy(config.registry.planner_settings.jwt_secret))
