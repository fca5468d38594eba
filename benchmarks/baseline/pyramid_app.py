"""A bare Pyramid app doing the work the Planner API must do for one person, and nothing else.

GET and PATCH /api/people/{id}/ with the Planner's own semantics, on the Planner's own tables:
a Bearer JWT (HS256, the same claims and secret) whose session row and user are checked on every
request — in one query joined with the work's transaction — so revocation would take effect on the
next request; the person read with its department's name in one SELECT; a strong ETag by the
Planner's formula; If-None-Match → 304; If-Match required on PATCH, the body validated by pydantic,
a compare-and-set UPDATE (412 when someone else's write came first). No logging, no metrics, no
OpenAPI, no resource framework: the floor the full API is measured against.

    python benchmarks/baseline/pyramid_app.py --port 6650 --workers 2   # DATABASE_URL, JWT_SECRET as for the API
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pyramid.config import Configurator
from pyramid.response import Response
from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend_api.server import Supervisor, listen  # noqa: E402  (the same pre-forked waitress as the API)

COLUMNS = (
    "p.id, p.created_at, p.updated_at, p.version, p.name, p.email, p.phone, p.location, p.job_title, "
    "p.department_id, p.skills, p.weekly_capacity, p.hire_date, p.notes, p.is_active, d.name AS department_name"
)
PERSON = text(f"SELECT {COLUMNS} FROM people p LEFT JOIN departments d ON d.id = p.department_id WHERE p.id = :id")
SESSION = text(
    "SELECT s.session_key, u.role FROM token_sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.id = :sid AND s.user_id = :uid AND s.is_active AND u.is_active"
)
UPDATE = text(
    "UPDATE people SET job_title = :job_title, version = version + 1, updated_at = :now "
    "WHERE id = :id AND version = :version"
)


class PersonPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jobTitle: str = Field(max_length=200)


def engine_for(url: str):
    if url.startswith("postgres"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return create_engine(url, pool_size=10, max_overflow=10)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # BEGIN is ours to say (IMMEDIATE for writes)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def error(status: int, code: str, detail: str) -> Response:
    return Response(json=dict(detail=detail, code=code), status=status, charset="utf-8")


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def etag_of(row) -> str:
    raw = f"people:{row.id}:{iso(row.updated_at) or ''}:{row.version}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def wire(row, etag: str) -> dict:
    skills = row.skills if isinstance(row.skills, list) else json.loads(row.skills or "[]")
    return {
        "id": row.id,
        "etag": etag,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "location": row.location,
        "jobTitle": row.job_title,
        "departmentId": row.department_id,
        "departmentName": row.department_name,
        "skills": skills,
        "weeklyCapacity": row.weekly_capacity,
        "hireDate": str(row.hire_date) if row.hire_date else None,
        "notes": row.notes,
        "isActive": bool(row.is_active),
    }


def signed_in(request, conn) -> str | None:
    """The caller's role, or None: a valid access token of a live session of an active user."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer":
        return None
    try:
        claims = jwt.decode(
            token,
            request.registry.secret,
            algorithms=["HS256"],
            options={"require": ["exp", "iat", "jti", "sub", "sid", "sk", "type"]},
        )
    except jwt.PyJWTError:
        return None
    if claims["type"] != "access":
        return None
    row = conn.execute(SESSION, {"sid": claims["sid"], "uid": int(claims["sub"])}).first()
    if row is None or not hmac.compare_digest(row.session_key.encode(), str(claims["sk"]).encode()):
        return None
    return row.role


def person(request):
    person_id = int(request.matchdict["id"])
    writing = request.method == "PATCH"
    with request.registry.engine.connect().execution_options(write=writing) as conn, conn.begin():
        role = signed_in(request, conn)
        if role is None:
            return error(401, "not_authenticated", "Authentication credentials were not provided.")
        if writing and role not in ("admin", "manager"):
            return error(403, "permission_denied", "You do not have permission to do this.")
        row = conn.execute(PERSON, {"id": person_id}).first()
        if row is None:
            return error(404, "not_found", "Person not found.")
        etag = etag_of(row)
        if not writing:
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(json=wire(row, etag), headers={"ETag": etag}, charset="utf-8")
        if "If-Match" not in request.headers:
            return error(428, "precondition_required", "Send If-Match with the ETag you edited.")
        if request.headers["If-Match"] != etag:
            return error(412, "precondition_failed", "This item was updated by someone else.")
        try:
            change = PersonPatch.model_validate_json(request.body)
        except ValidationError:
            return error(400, "invalid", "Some fields are not valid.")
        now = datetime.now(UTC)
        if (
            conn.execute(
                UPDATE, {**change_columns(change), "now": now, "id": person_id, "version": row.version}
            ).rowcount
            != 1
        ):
            return error(412, "precondition_failed", "This item was updated by someone else.")
        row = conn.execute(PERSON, {"id": person_id}).first()
        etag = etag_of(row)
        return Response(json=wire(row, etag), headers={"ETag": etag}, charset="utf-8")


def change_columns(change: PersonPatch) -> dict:
    return {"job_title": change.jobTitle}


def make_app(database_url: str, secret: str):
    with Configurator() as config:
        config.add_route("person", "/api/people/{id:\\d+}/")
        config.add_view(person, route_name="person", request_method=("GET", "PATCH"))
        app = config.make_wsgi_app()
    app.registry.engine = engine_for(database_url)
    app.registry.secret = secret
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6650)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    sock = listen(args.host, args.port)
    print(f"baseline on http://{args.host}:{args.port}/ with {args.workers} worker(s)", flush=True)

    def work() -> int:
        import waitress

        app = make_app(os.environ["DATABASE_URL"], os.environ["JWT_SECRET"])
        waitress.serve(app, sockets=[sock], threads=args.threads, ident="baseline")
        return 0

    sys.exit(Supervisor(args.workers, work).run())


if __name__ == "__main__":
    main()
