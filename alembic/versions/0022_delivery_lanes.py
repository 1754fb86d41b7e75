"""Delivery lanes: one row per workspace whose deliveries a sender is working, so that one
sender at a time, in any process or replica, sends a workspace's DMs and keeps its pace
(jobs/outbox.py). Rows are created as workspaces are first sent to: none are needed now.
A lane claims among its workspace's deliveries alone, hence an index led by the workspace.

Revision ID: 0022_delivery_lanes
Revises: 0021_coffee_group_size
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0022_delivery_lanes"
down_revision = "0021_coffee_group_size"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_lanes",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(120), nullable=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("next_call_at", sa.Float(), nullable=True),
        sa.Column("paced_calls", sa.Text(), nullable=True),
    )
    op.create_index("ix_deliveries_lane", "deliveries", ["team_id", "status", "available_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_lane", table_name="deliveries")
    op.drop_table("delivery_lanes")
