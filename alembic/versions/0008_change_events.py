"""the change log, and who wrote each item last

`change_events` is the transactional outbox of core/changes.py: one row per create, update and
delete, written in the transaction of the change; history pages, the events feed and live updates
read it. Every editable table gains `updated_by_id` / `updated_by_name` (copied, not linked: they
outlive the user, like the log's actor). Existing rows keep no writer: `updatedBy` is null for them.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EDITABLE = ("departments", "people", "projects", "assignments", "deliverables", "timeoff", "users")


def upgrade() -> None:
    op.create_table(
        "change_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,  # a sequence id is never handed out twice, even after a cleanup
    )
    op.create_index("ix_change_events_object", "change_events", ["resource", "object_id", "id"])
    op.create_index("ix_change_events_created_at", "change_events", ["created_at"])
    for table in EDITABLE:  # plain ADD COLUMN on both engines: no table rebuild
        op.add_column(table, sa.Column("updated_by_id", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("updated_by_name", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    # DROP COLUMN as SQL, not alembic's batch mode: on SQLite that rebuilds each table from its
    # reflection, which loses AUTOINCREMENT (revision 0005). SQLite has DROP COLUMN since 3.35.
    for table in EDITABLE:
        for column in ("updated_by_name", "updated_by_id"):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("change_events")
