"""At month end, each side of a reverse-mentoring pair may choose to keep their partner for
the next round: `reverse_learnings.keep_partner`, false for every answer given before.

Revision ID: 0010_keep_reverse_pairs
Revises: 0009_outsiders
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0010_keep_reverse_pairs"
down_revision = "0009_outsiders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reverse_learnings") as learnings:
        learnings.add_column(sa.Column("keep_partner", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("reverse_learnings") as learnings:
        learnings.drop_column("keep_partner")
