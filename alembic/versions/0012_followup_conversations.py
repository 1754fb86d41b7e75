"""Follow-ups as one conversation: what the pair write to each other in a follow-up's
threads once the mentor has heard how it went, its text kept until the outbox relays it
(`followup_messages`); the indexes a follow-up's thread and forgetting look up by.

Revision ID: 0012_followup_conversations
Revises: 0011_round_timeline
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0012_followup_conversations"
down_revision = "0011_round_timeline"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "followup_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("author_id", SLACK_ID, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["followup_id"], ["followups.id"], ondelete="CASCADE", name="fk_followup_messages_followup"
        ),
        sa.UniqueConstraint("followup_id", "source", name="uq_followup_messages_source"),
    )
    # Forgetting someone deletes what they wrote: by team and author.
    op.create_index("ix_followup_messages_author", "followup_messages", ["team_id", "author_id"])
    # Every follow-up DM drawn looks up its thread (the first DM of its purpose): by these.
    op.create_index("ix_deliveries_followup", "deliveries", ["followup_id", "purpose"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_followup", table_name="deliveries")
    op.drop_table("followup_messages")
