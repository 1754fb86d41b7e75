"""Mentoring programs (issue 21): a third kind of program, bipartite by an admin's category
such as "Role: mentor, mentee". `mentor_side` names the option of the program's category
whose members mentor; members who picked another option are mentored. The kinds a program
may have widen to 'mentoring'; the downgrade narrows them back, and refuses while a
mentoring program exists rather than lose it silently.

Revision ID: 0025_mentoring_kind
Revises: 0024_programs
Create Date: 2026-12-01
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from alembic import op

revision = "0025_mentoring_kind"
down_revision = "0024_programs"
branch_labels = None
depends_on = None

KINDS_BEFORE = "kind IN ('coffee', 'reverse')"
KINDS_AFTER = "kind IN ('coffee', 'reverse', 'mentoring')"


@contextmanager
def _members_kept() -> Iterator[None]:
    """Around batch changes of programs. PostgreSQL alters the table in place. SQLite cannot
    alter a CHECK or drop a column in place: the batch copies the table and drops the old
    one, and with foreign keys on (storage/db.py) that drop deletes every program's members
    (program_members cascades), so they are kept aside and put back. (PRAGMA foreign_keys
    cannot change inside the migration's transaction.)"""
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.execute(sa.text("CREATE TEMPORARY TABLE kept_program_members AS SELECT * FROM program_members"))
    yield
    if sqlite:
        connection.execute(sa.text("INSERT INTO program_members SELECT * FROM kept_program_members"))
        connection.execute(sa.text("DROP TABLE kept_program_members"))


def _kinds(batch, allowed: str) -> None:
    batch.drop_constraint("ck_programs_kind", type_="check")
    batch.create_check_constraint("ck_programs_kind", allowed)


def upgrade() -> None:
    with _members_kept(), op.batch_alter_table("programs") as batch:
        batch.add_column(sa.Column("mentor_side", sa.String(40), nullable=True))
        _kinds(batch, KINDS_AFTER)


def downgrade() -> None:
    programs = sa.table("programs", sa.column("kind"))
    mentoring = op.get_bind().scalar(sa.select(sa.func.count()).where(programs.c.kind == "mentoring"))
    if mentoring:
        raise RuntimeError(
            f"{mentoring} mentoring program(s) exist: archive and delete them before downgrading below 0025"
        )
    with _members_kept(), op.batch_alter_table("programs") as batch:
        _kinds(batch, KINDS_BEFORE)
        batch.drop_column("mentor_side")
