"""Routing that learns from the workspace: per skill, how many confirmed asks used each word
(`skill_evidence`), and which words each confirmed ask counted (`ask_evidence`), so that
forgetting a member takes exactly their asks back out.

Revision ID: 0013_skill_evidence
Revises: 0012_followup_conversations
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0013_skill_evidence"
down_revision = "0012_followup_conversations"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "skill_evidence",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("word", sa.String(64), primary_key=True),
        sa.Column("skill_key", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "ask_evidence",
        sa.Column("ask_id", sa.Integer(), primary_key=True),
        sa.Column("team_id", SLACK_ID, nullable=False),
        sa.Column("asker_id", SLACK_ID, nullable=False),
        sa.Column("skill_key", sa.String(64), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"], ondelete="CASCADE", name="fk_ask_evidence_ask"),
    )
    # Forgetting a member reads their asks' evidence: by team and asker.
    op.create_index("ix_ask_evidence_asker", "ask_evidence", ["team_id", "asker_id"])


def downgrade() -> None:
    op.drop_index("ix_ask_evidence_asker", table_name="ask_evidence")
    op.drop_table("ask_evidence")
    op.drop_table("skill_evidence")
