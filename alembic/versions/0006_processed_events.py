"""Events Slack sent, so that a retried event is handled once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("started_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_processed_events_started", "processed_events", ["started_at"])


def downgrade() -> None:
    op.drop_table("processed_events")
