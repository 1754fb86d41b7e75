"""Asks wait in line (status "queued") when everyone who offers their skill is busy; each
change that may free a mentor reads the workspace's line, oldest first. Without this index
SQLite reads every ask of the workspace to find the few queued ones (ix_asks_created serves
the order, not the status); bench/ask.py measures it at 100,000 members.

Revision ID: 0014_ask_queue
Revises: 0013_skill_evidence
Create Date: 2026-12-01
"""

from alembic import op

revision = "0014_ask_queue"
down_revision = "0013_skill_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_asks_queue", "asks", ["team_id", "status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_asks_queue", table_name="asks")
