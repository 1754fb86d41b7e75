"""Conversation starters a round's group was given ("Give us a question", issue 21), so that a
group never gets the same one twice.

Revision ID: 0019_round_starters
Revises: 0016_delivery_urgency
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0019_round_starters"
down_revision = "0016_delivery_urgency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_starters",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_round_starters_group"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(16), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("given_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("round_starters")
