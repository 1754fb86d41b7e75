"""Coffee chats in pairs or in groups of three to six, as a workspace's admins choose
(issue 21; bot/rounds/grouping.py). Every workspace keeps pairs until they choose.

Revision ID: 0021_coffee_group_size
Revises: 0020_round_thanks
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0021_coffee_group_size"
down_revision = "0020_round_thanks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a SQLite batch would copy and drop the table.
    op.add_column("workspaces", sa.Column("coffee_group_size", sa.Integer(), nullable=False, server_default="2"))


def downgrade() -> None:
    op.drop_column("workspaces", "coffee_group_size")
