"""Asks and the candidates asked, plus what ranking needs to know about members.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("members") as members:
        members.add_column(sa.Column("utc_offset_seconds", sa.Integer(), nullable=True))
        members.add_column(sa.Column("timezone_checked_at", UtcDateTime(), nullable=True))
        members.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        members.add_column(sa.Column("last_asked_at", UtcDateTime(), nullable=True))
        members.add_column(sa.Column("deactivated", sa.Boolean(), nullable=False, server_default=sa.false()))
        members.add_column(sa.Column("give_first_reminded", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_member_skills_skill", "member_skills", ["team_id", "kind", "skill_id", "user_id"])
    op.create_index(
        "ix_members_ranking",
        "members",
        ["team_id", "user_id", "capacity", "utc_offset_seconds", "paused_until", "deactivated", "last_asked_at"],
    )

    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("asker_id", SLACK_ID, nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("deadline_at", UtcDateTime(), nullable=True),
        sa.Column("widened", sa.Boolean(), nullable=False),
        sa.Column("mentor_id", SLACK_ID, nullable=True),
        sa.Column("matched_at", UtcDateTime(), nullable=True),
        sa.Column("group_channel", SLACK_ID, nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], ondelete="SET NULL", name="fk_asks_skill"),
    )
    op.create_index("ix_asks_asker", "asks", ["team_id", "asker_id", "status"])
    op.create_index("ix_asks_mentor", "asks", ["team_id", "mentor_id", "status"])
    op.create_index("ix_asks_deadline", "asks", ["status", "deadline_at"])
    op.create_table(
        "ask_candidates",
        sa.Column("ask_id", sa.Integer(), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("notified_at", UtcDateTime(), nullable=False),
        sa.Column("responded_at", UtcDateTime(), nullable=True),
        sa.Column("channel", SLACK_ID, nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"], ondelete="CASCADE", name="fk_ask_candidates_ask"),
    )
    op.create_index("ix_ask_candidates_member", "ask_candidates", ["team_id", "user_id", "notified_at"])


def downgrade() -> None:
    op.drop_table("ask_candidates")
    op.drop_table("asks")
    op.drop_index("ix_member_skills_skill", "member_skills")
    op.drop_index("ix_members_ranking", "members")
    with op.batch_alter_table("members") as members:
        for column in ("give_first_reminded", "deactivated", "last_asked_at", "paused_until", "timezone_checked_at", "utc_offset_seconds"):
            members.drop_column(column)
