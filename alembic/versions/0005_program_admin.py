"""Program admins: per-workspace settings (ask timeout, program channel, reverse mentoring
on or off), one row per member of a round's group so figures can count people with SQL,
and indexes for the figures' period filters.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as workspaces:
        workspaces.add_column(sa.Column("ask_timeout_hours", sa.Integer(), nullable=False, server_default="48"))
        workspaces.add_column(sa.Column("program_channel", SLACK_ID, nullable=True))
        workspaces.add_column(sa.Column("reverse_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "round_members",
        sa.Column("group_id", sa.Integer(), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["round_groups.id"], ondelete="CASCADE", name="fk_round_members_group"),
    )
    op.create_index("ix_round_members_member", "round_members", ["team_id", "user_id"])
    # Groups recorded before this revision: their members, from the comma-joined column.
    groups = sa.table("round_groups", sa.column("id"), sa.column("team_id"), sa.column("members"))
    members = sa.table("round_members", sa.column("group_id"), sa.column("user_id"), sa.column("team_id"))
    connection = op.get_bind()
    rows = [
        {"group_id": group_id, "user_id": user_id, "team_id": team_id}
        for group_id, team_id, joined in connection.execute(sa.select(groups.c.id, groups.c.team_id, groups.c.members))
        for user_id in joined.split(",")
    ]
    if rows:
        connection.execute(members.insert(), rows)
    # Covering: every figure about asks reads only this index.
    op.create_index("ix_asks_created", "asks", ["team_id", "created_at", "status", "asker_id", "mentor_id", "matched_at"])
    op.create_index(
        "ix_followups_helped", "followups", ["team_id", "helped_at", "status", "cycle", "shared", "outcome"]
    )
    op.create_index("ix_rounds_held", "rounds", ["team_id", "held_on"])


def downgrade() -> None:
    op.drop_index("ix_rounds_held", "rounds")
    op.drop_index("ix_followups_helped", "followups")
    op.drop_index("ix_asks_created", "asks")
    op.drop_table("round_members")
    with op.batch_alter_table("workspaces") as workspaces:
        workspaces.drop_column("reverse_enabled")
        workspaces.drop_column("program_channel")
        workspaces.drop_column("ask_timeout_hours")
