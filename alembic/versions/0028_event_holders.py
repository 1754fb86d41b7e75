"""Which job began on an event (issue 22: "SIGKILL of a worker mid-job: the job is done once
by another"). A worker marks an event begun before handling it, so that Slack's retries of it
are handled once; `job_id` names the job that did, so that when its worker dies before the
handling commits, the job's next try takes the event over at once rather than taking itself
for a retry and dropping it (the mentee's note was lost, untold). NULL: begun outside a job,
as every row before this revision. The downgrade drops it.

Revision ID: 0028_event_holders
Revises: 0027_program_hours
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0028_event_holders"
down_revision = "0027_program_hours"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("processed_events", sa.Column("job_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("processed_events", "job_id")
