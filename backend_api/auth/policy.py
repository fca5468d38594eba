"""The Bearer security policy, set by auth's includeme.

Every authenticated request checks, by primary key, that its session is still active and its
user still enabled, so revoking or disabling takes effect on the very next request rather than
when the access token expires. The check is one query (session joined to user) on the request's
own session, so it is the first statement of the request's one transaction, not a transaction
of its own.
"""

from dataclasses import dataclass
from datetime import timedelta

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from sqlalchemy import Select, bindparam, select, update
from sqlmodel import col

from backend_api.core.changes import UserRef
from backend_api.core.error_codes import ErrorCode
from backend_api.core.security import TokenError, decode_token, names_session
from backend_api.core.timeutil import as_utc, now
from backend_api.people.models import Person

from .models import TokenSession, User

LAST_USED_RESOLUTION = timedelta(minutes=1)

# Built once: constructing the statement cost as much as running it. Columns, not entities, run on
# the request's connection (the same transaction): nothing lands in the identity map a view shares.
SESSION_AND_USER: Select = (
    select(
        col(TokenSession.session_key),
        col(TokenSession.is_active).label("session_active"),
        col(TokenSession.last_used_at),
        col(User.id),
        col(User.username),
        col(User.role),
        col(User.is_active),
        col(Person.name).label("person_name"),  # the name others see on the user's changes
    )
    .join(User, col(User.id) == col(TokenSession.user_id))
    .outerjoin(Person, col(Person.id) == col(User.person_id))
    .where(col(TokenSession.id) == bindparam("sid"))
)


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
        row = request.db.connection().execute(SESSION_AND_USER, {"sid": claims["sid"]}).first()
        if row is None or not names_session(claims, row.id, row.session_key):
            request.auth_error = ErrorCode.TOKEN_INVALID
            return None
        if not row.is_active:
            request.auth_error = ErrorCode.ACCOUNT_DISABLED
            return None
        if not row.session_active:
            request.auth_error = ErrorCode.SESSION_REVOKED
            return None
        if now() - as_utc(row.last_used_at) > LAST_USED_RESOLUTION:
            # At most once a minute, at the end of the request (core/db.defer_write).
            request.defer_write(
                update(TokenSession).where(col(TokenSession.id) == claims["sid"]).values(last_used_at=now())
            )
        request.environ["planner.user_id"] = row.id
        request.environ["planner.user"] = UserRef(row.id, row.person_name or row.username)
        return Identity(row.id, row.username, row.role, claims["sid"])

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
