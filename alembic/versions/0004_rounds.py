"""Rounds: coffee chats and reverse mentoring, who opted in, who is never to be paired,
who skips a round, how each group's check-in was answered, and what reverse pairs learned.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa

from alembic import op
from storage.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as workspaces:
        workspaces.add_column(sa.Column("coffee_every_weeks", sa.Integer(), nullable=False, server_default="2"))
        workspaces.add_column(sa.Column("coffee_weekday", sa.Integer(), nullable=False, server_default="0"))
        workspaces.add_column(sa.Column("round_hour", sa.Integer(), nullable=False, server_default="10"))
        workspaces.add_column(sa.Column("time_zone", sa.String(64), nullable=True))
    with op.batch_alter_table("members") as members:
        members.add_column(sa.Column("in_coffee", sa.Boolean(), nullable=False, server_default=sa.false()))
        members.add_column(sa.Column("in_reverse", sa.Boolean(), nullable=False, server_default=sa.false()))
        members.add_column(sa.Column("quiet_paused_on", sa.Date(), nullable=True))
    op.create_table(
        "never_pairs",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("other_id", SLACK_ID, primary_key=True),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "kind", "held_on", name="uq_rounds_team_kind_date"),
    )
    op.create_table(
        "round_groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("members", sa.String(120), nullable=False),
        sa.Column("proposer", SLACK_ID, nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("answered_by", SLACK_ID, nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], ondelete="CASCADE", name="fk_round_groups_round"),
    )
    op.create_index("ix_round_groups_round", "round_groups", ["round_id"])
    op.create_table(
        "round_skips",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("held_on", sa.Date(), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
    )


    op.create_table(
        "reverse_learnings",
        sa.Column("group_id", sa.Integer(), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("learned", sa.String(16), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["round_groups.id"], ondelete="CASCADE", name="fk_reverse_learnings_group"),
    )


def downgrade() -> None:
    op.drop_table("reverse_learnings")
    op.drop_table("round_skips")
    op.drop_table("round_groups")
    op.drop_table("rounds")
    op.drop_table("never_pairs")
    with op.batch_alter_table("workspaces") as workspaces:
        for column in ("time_zone", "round_hour", "coffee_weekday", "coffee_every_weeks"):
            workspaces.drop_column(column)
    with op.batch_alter_table("members") as members:
        members.drop_column("quiet_paused_on")
        members.drop_column("in_reverse")
        members.drop_column("in_coffee")
