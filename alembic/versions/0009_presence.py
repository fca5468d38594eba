"""presence: which browser tab has which item open

One row per tab of a session (the app server names its tabs), kept alive by the tab's heartbeat
until `expires_at`; backend_api/presence. Nothing to carry over: presence is only ever seconds old.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("token_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tab", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("resource", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "tab"),
    )
    op.create_index("ix_presence_user_id", "presence", ["user_id"])
    op.create_index("ix_presence_object", "presence", ["resource", "object_id"])
    op.create_index("ix_presence_expires_at", "presence", ["expires_at"])


def downgrade() -> None:
    op.drop_table("presence")
