"""Slash commands' work after the ack is recorded in the database before the ack, and claimed
by workers with a lease (storage/command_jobs.py), instead of handed to a child process over
a pipe: killing every process of the service no longer loses a command acknowledged.

Revision ID: 0023_durable_jobs
Revises: 0022_delivery_lanes
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0023_durable_jobs"
down_revision = "0022_delivery_lanes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(16), nullable=False),
        sa.Column("argument", sa.Text(), nullable=False),
        sa.Column("response_url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,  # ids never reused: see storage.models.CommandJob
    )
    op.create_index("ix_command_jobs_ready", "command_jobs", ["status", "available_at"])
    op.create_index("ix_command_jobs_member", "command_jobs", ["team_id", "user_id"])


def downgrade() -> None:
    op.drop_table("command_jobs")
