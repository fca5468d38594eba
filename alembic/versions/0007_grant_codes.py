"""one-time codes of the browser grant

The refresh token moved from the browser's localStorage to an HttpOnly cookie. The app server
gets its access token through a code the browser obtains with that cookie (auth/grants.py); the
codes live here so that every API worker can redeem them. Keyed by the code's hash (no integer
id, so nothing for SQLite to reuse).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grant_codes",
        sa.Column("code_hash", sa.String(length=64), primary_key=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("token_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("challenge", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grant_codes_session_id", "grant_codes", ["session_id"])
    op.create_index("ix_grant_codes_expires_at", "grant_codes", ["expires_at"])


def downgrade() -> None:
    op.drop_table("grant_codes")
