"""Who someone is to the workspace, as Slack last said: a member, a guest, or from another
organisation; and whether a workspace's program includes guests.

`members.standing` is NULL for rows made before this migration, and for a row made by the
request that admitted its member: the next time Mentor hears of them from Slack (their next
request, users.info for their time zone, user_change) it is recorded. The ranking index
covers it, so that ranking still reads no member row.

Revision ID: 0009_outsiders
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0009_outsiders"
down_revision = "0008"
branch_labels = None
depends_on = None

RANKING = ["team_id", "user_id", "capacity", "utc_offset_seconds", "paused_until", "deactivated", "last_asked_at"]


def upgrade() -> None:
    with op.batch_alter_table("members") as members:
        members.add_column(sa.Column("standing", sa.String(16), nullable=True))
    op.drop_index("ix_members_ranking", "members")
    op.create_index("ix_members_ranking", "members", [*RANKING, "standing"])
    with op.batch_alter_table("workspaces") as workspaces:
        workspaces.add_column(sa.Column("guests_included", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as workspaces:
        workspaces.drop_column("guests_included")
    op.drop_index("ix_members_ranking", "members")
    op.create_index("ix_members_ranking", "members", RANKING)
    with op.batch_alter_table("members") as members:
        members.drop_column("standing")
