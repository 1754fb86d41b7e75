"""Deliveries gain an urgency (bot.deliveries.Urgency), so the sender takes a new ask's first
request ahead of a round's hundreds of DMs queued before it. Rows still to send get the
urgency of their kind.

Revision ID: 0016_delivery_urgency
Revises: 0015_ask_channel_posts
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0016_delivery_urgency"
down_revision = "0015_ask_channel_posts"
branch_labels = None
depends_on = None

REPLY, SCHEDULED = 1, 2
# The kinds bot.deliveries.urgency calls SCHEDULED, as stored in "purpose" (values never change).
SCHEDULED_KINDS = (
    "welcome",
    "prompt",
    "reminder",
    "intro",
    "checkin",
    "learned",
    "notice",
    "unmatched",
    "quiet",
    "partner_gone",
    "announce",
)


def upgrade() -> None:
    # A plain ADD COLUMN: a SQLite batch would copy and drop the table.
    op.add_column("deliveries", sa.Column("urgency", sa.SmallInteger(), nullable=False, server_default=str(REPLY)))
    deliveries = sa.table(
        "deliveries",
        sa.column("status", sa.String),
        sa.column("purpose", sa.String),
        sa.column("urgency", sa.SmallInteger),
    )
    # Only rows still to send are ever ordered by it: the sent, failed and cancelled keep the default.
    op.execute(
        deliveries.update()
        .where(deliveries.c.status.in_(("pending", "sending")), deliveries.c.purpose.in_(SCHEDULED_KINDS))
        .values(urgency=SCHEDULED)
    )


def downgrade() -> None:
    op.drop_column("deliveries", "urgency")
