"""Mentoring programs (issue 21): a third kind of program, bipartite by an admin's category
such as "Role: mentor, mentee". `mentor_side` names the option of the program's category
whose members mentor; members who picked another option are mentored. The kinds a program
may have widen to 'mentoring'; the downgrade narrows them back, and refuses while a
mentoring program exists rather than lose it silently.

Revision ID: 0025_mentoring_kind
Revises: 0024_programs
Create Date: 2026-12-01
"""

import sqlalchemy as sa

from alembic import op

revision = "0025_mentoring_kind"
down_revision = "0024_programs"
branch_labels = None
depends_on = None

KINDS_BEFORE = "kind IN ('coffee', 'reverse')"
KINDS_AFTER = "kind IN ('coffee', 'reverse', 'mentoring')"


def _kinds(allowed: str) -> None:
    # On SQLite the batch copies the table, constraints as declared here; PostgreSQL alters it in place.
    with op.batch_alter_table("programs") as batch:
        batch.drop_constraint("ck_programs_kind", type_="check")
        batch.create_check_constraint("ck_programs_kind", allowed)


def upgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.add_column(sa.Column("mentor_side", sa.String(40), nullable=True))
    _kinds(KINDS_AFTER)


def downgrade() -> None:
    programs = sa.table("programs", sa.column("kind"))
    mentoring = op.get_bind().scalar(sa.select(sa.func.count()).where(programs.c.kind == "mentoring"))
    if mentoring:
        raise RuntimeError(
            f"{mentoring} mentoring program(s) exist: archive and delete them before downgrading below 0025"
        )
    _kinds(KINDS_BEFORE)
    with op.batch_alter_table("programs") as batch:
        batch.drop_column("mentor_side")
