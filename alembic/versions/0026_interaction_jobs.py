"""Clicks, and the events Slack sends, are recorded as jobs before their acks too, in the
table slash commands' work already uses (0023_durable_jobs): a job now says which surface it
came from (`surface`: command, action or event), is named by the subcommand, the action id or
the event type (`name`, now up to 255 characters, as Slack's action ids), and carries the
request Slack sent (`payload`, JSON) for the listener a worker runs. Work whose result is a
message (program figures, the CSV export) marks its job `sent_at` before sending it, so that
a retry never sends it twice. Rows of slash commands stay as they are (surface "command").

Revision ID: 0026_interaction_jobs
Revises: 0025_mentoring_kind
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0026_interaction_jobs"
down_revision = "0025_mentoring_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite alters a column by copying the table: its AUTOINCREMENT must be kept (ids never
    # reused, see storage.models.CommandJob).
    with op.batch_alter_table("command_jobs", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("surface", sa.String(16), nullable=False, server_default="command"))
        batch.add_column(sa.Column("payload", sa.Text(), nullable=True))
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("name", type_=sa.String(255), existing_type=sa.String(16), existing_nullable=False)


def downgrade() -> None:
    # Clicks' and events' jobs cannot be done by the older code: they are dropped, not run.
    op.execute(sa.text("DELETE FROM command_jobs WHERE surface <> 'command'"))
    with op.batch_alter_table("command_jobs", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("name", type_=sa.String(16), existing_type=sa.String(255), existing_nullable=False)
        batch.drop_column("sent_at")
        batch.drop_column("payload")
        batch.drop_column("surface")
