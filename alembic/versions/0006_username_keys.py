"""usernames unique whatever their case or width

Adds `users.username_key` (the name folded: NFKC + casefold, auth/usernames.py) with a unique
index, so `Admin` and `admin` can no longer be two accounts. Where existing accounts already
clash, the oldest keeps its name and each later one is renamed `<name>-<id>`; every rename is
printed and written to the audit log, so an admin can tell the people concerned.

Revision ID: 0006
Revises: 0005
"""

import json
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _key(username: str) -> str:  # as auth/usernames.py has it today; a migration keeps its own copy
    return unicodedata.normalize("NFKC", username).casefold()


def upgrade() -> None:
    op.add_column("users", sa.Column("username_key", sa.String(length=300), nullable=False, server_default=""))
    bind = op.get_bind()
    seen: set[str] = set()
    for user_id, username in bind.execute(sa.text("SELECT id, username FROM users ORDER BY id")).all():
        key = _key(username)
        if key in seen:
            renamed = f"{username}-{user_id}"
            print(f"username clash: user {user_id} '{username}' renamed '{renamed}' (an older account has that name)")
            bind.execute(
                sa.text(
                    "INSERT INTO audit_log (actor_username, action, target_type, target_id, meta, created_at) "
                    "VALUES ('migration', 'rename_user', 'user', :id, :meta, :at)"
                ),
                {
                    "id": user_id,
                    "meta": json.dumps({"from": username, "to": renamed}),
                    "at": datetime.now(UTC),
                },
            )
            username, key = renamed, _key(renamed)
        seen.add(key)
        bind.execute(
            sa.text("UPDATE users SET username = :name, username_key = :key WHERE id = :id"),
            {"name": username, "key": key, "id": user_id},
        )
    op.create_index("ix_users_username_key", "users", ["username_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_username_key", table_name="users")
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("username_key")
