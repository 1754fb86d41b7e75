"""Thank-yous after a round's group met (issue 21): private to sender and receiver, shown on
the receiver's Home tab, in the program channel only if the sender chose.

Revision ID: 0020_round_thanks
Revises: 0019_round_starters
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0020_round_thanks"
down_revision = "0019_round_starters"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "round_thanks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_round_thanks_group"),
            nullable=False,
        ),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("sender_id", SLACK_ID, nullable=False),
        sa.Column("receiver_id", SLACK_ID, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("group_id", "sender_id", "receiver_id", name="uq_round_thanks_once"),
    )
    op.create_index("ix_round_thanks_receiver", "round_thanks", ["team_id", "receiver_id", "sent_at"])
    op.create_index("ix_round_thanks_sender", "round_thanks", ["team_id", "sender_id"])


def downgrade() -> None:
    op.drop_table("round_thanks")
