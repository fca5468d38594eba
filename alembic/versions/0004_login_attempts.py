"""sign-in attempt counters in the database

Without Redis the login throttle counted in each worker's memory, so with several workers it
did not hold; it now counts here (see core/throttle.py), shared by every worker.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(length=300), primary_key=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_attempts")
