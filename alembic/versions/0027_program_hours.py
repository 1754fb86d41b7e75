"""Each program has its own round hour and time zone (issue 21: "a cadence ...; weekday, hour,
time zone"). `round_hour` (0 to 23) and `time_zone` (an IANA name) are NULL for "the
workspace's" (workspaces.round_hour and time_zone, set in `/mentor settings`): the two
programs every workspace has and every program made before this revision keep their
schedule exactly. The downgrade drops them: every program follows the workspace's again.

Revision ID: 0027_program_hours
Revises: 0026_interaction_jobs
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0027_program_hours"
down_revision = "0026_interaction_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns are added in place, on SQLite too: no copy of programs (whose copy
    # would cascade to program_members, see 0025_mentoring_kind).
    op.add_column("programs", sa.Column("round_hour", sa.Integer(), nullable=True))
    op.add_column("programs", sa.Column("time_zone", sa.String(64), nullable=True))


def downgrade() -> None:
    # SQLite (3.35 on) drops a column that no index or constraint names in place, too.
    op.drop_column("programs", "time_zone")
    op.drop_column("programs", "round_hour")
