"""Close the loop: follow-ups, the outbox of direct messages, workspace settings, and
what members say about time zones and follow-ups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("members") as members:
        members.add_column(sa.Column("tz_name", sa.String(64), nullable=True))
        members.add_column(sa.Column("followups_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))

    op.create_table(
        "workspaces",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("followup_days", sa.Integer(), nullable=False),
    )

    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", SLACK_ID, nullable=False),
        sa.Column("mentor_id", SLACK_ID, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=True),
        sa.Column("helped_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("snoozes", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.Column("note_in_report", sa.Boolean(), nullable=False),
        sa.Column("mentor_reply", sa.Text(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"], ondelete="CASCADE", name="fk_followups_ask"),
        sa.UniqueConstraint("ask_id", name="uq_followups_ask"),
    )
    op.create_index("ix_followups_due", "followups", ["due_at"])
    op.create_index("ix_followups_mentee", "followups", ["team_id", "mentee_id", "status"])
    op.create_index("ix_followups_mentor", "followups", ["team_id", "mentor_id"])

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(120), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("available_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("channel", SLACK_ID, nullable=True),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("error", sa.String(64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["followup_id"], ["followups.id"], ondelete="CASCADE", name="fk_deliveries_followup"),
        sa.UniqueConstraint("team_id", "subject", "recipient", "key", name="uq_deliveries_key"),
    )
    op.create_index("ix_deliveries_ready", "deliveries", ["status", "available_at"])
    op.create_index("ix_deliveries_message", "deliveries", ["channel", "ts"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("followups")
    op.drop_table("workspaces")
    with op.batch_alter_table("members") as members:
        members.drop_column("followups_enabled")
        members.drop_column("tz_name")
