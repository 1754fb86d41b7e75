"""Asks nobody could take, tried again (issue 20): an ask posted in the program channel for
anyone to pick up (`post_channel`, `post_anonymous`, `post_ts`), and the ask a new one tries
again (`retry_of`, unique: each unanswered ask is tried again once).

Revision ID: 0015_ask_channel_posts
Revises: 0014_ask_queue
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0015_ask_channel_posts"
down_revision = "0014_ask_queue"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table and drops the old one,
    # which (foreign keys on) would delete every follow-up of an ask, by cascade.
    op.add_column("asks", sa.Column("post_channel", SLACK_ID, nullable=True))
    op.add_column("asks", sa.Column("post_anonymous", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("asks", sa.Column("post_ts", sa.String(32), nullable=True))
    op.add_column("asks", sa.Column("retry_of", sa.Integer(), nullable=True))
    op.create_index("ix_asks_retry_of", "asks", ["retry_of"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_asks_retry_of", table_name="asks")
    for column in ("retry_of", "post_ts", "post_anonymous", "post_channel"):
        op.drop_column("asks", column)
