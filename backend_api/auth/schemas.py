from typing import Annotated

from pydantic import Field, StringConstraints

from backend_api.core.edge import CONTROL_IN_TEXT, not_matching
from backend_api.core.schemas import OUTPUT, CamelModel, Email, Id, UtcDateTime

from .models import Role
from .services import MIN_PASSWORD_LENGTH

# Passwords are taken exactly as typed: the models' whitespace stripping must not shorten them.
# (Its schema pattern says only what every body's text is refused for: spaces alone are a password.)
Password = Annotated[
    str,
    StringConstraints(strip_whitespace=False, min_length=1, max_length=1024),
    Field(json_schema_extra={"pattern": not_matching(CONTROL_IN_TEXT)}),
]
# A new password: the policy's minimum length is checked by services.check_password_policy (with its
# own message) and stated in the schema.
NewPassword = Annotated[Password, Field(json_schema_extra={"minLength": MIN_PASSWORD_LENGTH})]


class TokenRequest(CamelModel):
    username: str = Field(min_length=1, max_length=150)
    password: Password


class RefreshRequest(CamelModel):
    refresh: str = Field(min_length=1)


class TokenPair(CamelModel):
    model_config = OUTPUT
    access: str
    refresh: str


class CookieSession(CamelModel):
    """The answer of a browser sign-in: the refresh token is in the HttpOnly cookie, never here."""

    model_config = OUTPUT
    csrf: str


class GrantRequest(CamelModel):
    # RFC 7636 S256: base64url of a SHA-256, without padding.
    challenge: str = Field(pattern=r"^[A-Za-z0-9_-]{43}$")


class GrantCodeOut(CamelModel):
    model_config = OUTPUT
    code: str


class AccessRequest(CamelModel):
    code: str = Field(min_length=1, max_length=128)
    verifier: str = Field(pattern=r"^[A-Za-z0-9._~-]{43,128}$")


class AccessToken(CamelModel):
    model_config = OUTPUT
    access: str


class RevokeRequest(CamelModel):
    session_id: Id


class UserOut(CamelModel):
    model_config = OUTPUT
    id: int
    username: str
    email: str
    role: Role
    is_active: bool
    is_staff: bool
    person_id: int | None
    date_joined: UtcDateTime
    last_login: UtcDateTime | None


class SessionOut(CamelModel):
    model_config = OUTPUT
    id: int
    issued_at: UtcDateTime
    last_used_at: UtcDateTime
    ip: str
    user_agent: str
    is_active: bool
    current: bool


class SessionList(CamelModel):
    model_config = OUTPUT
    results: list[SessionOut]


class UserCreate(CamelModel):
    username: str = Field(min_length=1, max_length=150)
    email: Email = None
    password: NewPassword
    role: Role = Role.USER
    person_id: Id | None = None


class PasswordRequest(CamelModel):
    password: NewPassword


class RoleRequest(CamelModel):
    role: Role


class AuditActor(CamelModel):
    model_config = OUTPUT
    id: int | None  # null once the actor's account is deleted; the username stays
    username: str


class AuditOut(CamelModel):
    model_config = OUTPUT
    id: int
    actor: AuditActor
    action: str
    target_type: str
    target_id: int | None
    meta: dict
    created_at: UtcDateTime


def user_out(user) -> dict:
    return UserOut.model_validate(user, from_attributes=True).model_dump(mode="json", by_alias=True)


def session_out(session, current_id: int) -> dict:
    data = {name: getattr(session, name) for name in SessionOut.model_fields if name != "current"}
    return SessionOut.model_validate({**data, "current": session.id == current_id}).model_dump(
        mode="json", by_alias=True
    )
