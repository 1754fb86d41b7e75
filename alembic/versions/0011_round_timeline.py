"""Rounds keep why each member nobody could be grouped with had nobody, so that their DM can
say it: `rounds.unmatched`, {user id: reason} as JSON, empty for rounds recorded before.

Revision ID: 0011_round_timeline
Revises: 0010_keep_reverse_pairs
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0011_round_timeline"
down_revision = "0010_keep_reverse_pairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as rounds:
        rounds.add_column(sa.Column("unmatched", sa.Text(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("rounds") as rounds:
        rounds.drop_column("unmatched")
