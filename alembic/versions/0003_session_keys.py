"""token sessions carry a random key

Every token names its session by id and by this key, checked against the row, so a token can
never pass for a later session or user that was given a deleted row's id (SQLite reuses the
highest deleted rowid). Sessions from before have no key and tokens without one are refused, so
they are ended here: everyone signs in once more.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("token_sessions") as batch:
        batch.add_column(sa.Column("session_key", sa.String(length=64), nullable=False, server_default=""))
    op.execute(
        "UPDATE token_sessions SET is_active = false, revoked_at = CURRENT_TIMESTAMP "
        "WHERE is_active AND session_key = ''"
    )


def downgrade() -> None:
    with op.batch_alter_table("token_sessions") as batch:
        batch.drop_column("session_key")
