"""Life situations a member chooses to declare, for rounds' matching only.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as members:
        members.add_column(sa.Column("situations", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("members") as members:
        members.drop_column("situations")
