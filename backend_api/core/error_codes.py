"""Every `code` an error envelope can carry: the one list of them (docs/api.md's table and the
OpenAPI `ErrorCode` schema are this enum), so a client can rely on never meeting another."""

from enum import StrEnum


class ErrorCode(StrEnum):
    # 400
    INVALID = "invalid"  # validation of a body, query, header, path; a rule beyond the schema
    DUPLICATE = "duplicate"  # a unique value is taken
    LAST_ADMIN = "last_admin"  # the change would leave no active admin
    # 401 (with WWW-Authenticate: Bearer)
    NOT_AUTHENTICATED = "not_authenticated"
    TOKEN_INVALID = "token_invalid"
    SESSION_REVOKED = "session_revoked"
    ACCOUNT_DISABLED = "account_disabled"
    INVALID_CREDENTIALS = "invalid_credentials"
    # 403
    PERMISSION_DENIED = "permission_denied"
    CSRF_FAILED = "csrf_failed"
    CROSS_SITE = "cross_site"
    SERVER_ONLY = "server_only"
    # 404, 405, 412, 413, 415, 428, 429
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    PRECONDITION_FAILED = "precondition_failed"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PRECONDITION_REQUIRED = "precondition_required"
    THROTTLED = "throttled"
    # 5xx
    SERVER_ERROR = "server_error"
    UNAVAILABLE = "unavailable"
    # Any other HTTP exception Pyramid raises (core/errors.py's http_exception_view): its status
    # says what happened; there is no finer code.
    ERROR = "error"
