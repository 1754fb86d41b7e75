"""Migration 0025_mentoring_kind lets a program be of kind "mentoring", with the option of its
category whose members mentor; programs of the other kinds are untouched, and the downgrade
narrows the kinds back (refusing while a mentoring program would be lost). On SQLite and
PostgreSQL."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from storage.migrations import upgrade
from tests.support.migrations import downgrade

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COLUMNS = ("team_id", "key", "name", "kind", "every_weeks", "weekday", "group_size", "intro", "category", "status")


def programs_table(*more: str) -> sa.TableClause:
    """programs as revision 0024 has it, with `more` columns."""
    names = (*COLUMNS, *more)
    return sa.table("programs", *map(sa.column, names), sa.column("created_at", sa.DateTime(timezone=True)))


PROGRAMS, WITH_SIDE = programs_table(), programs_table("mentor_side")
MEMBERS = "('T1', 'coffee', 'UA'), ('T1', 'coffee', 'UB'), ('T1', 'reverse', 'UB')"


def program(key: str, kind: str, **more) -> dict:
    row = {"team_id": "T1", "key": key, "name": key.title(), "kind": kind, "every_weeks": 4, "weekday": 2}
    return row | {"group_size": 3, "intro": "across", "category": "role", "status": "active", "created_at": NOW} | more


def downgrade_to_0024(engine) -> None:
    downgrade(engine, "0024_programs")


def joined(engine) -> list[tuple]:
    """Who is in which program: a SQLite batch copies programs, and must not take them along."""
    with engine.connect() as connection:
        return sorted(connection.execute(sa.text("SELECT program, user_id FROM program_members")).tuples())


def kinds(engine) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(connection.execute(sa.text("SELECT key, kind, group_size FROM programs")).tuples())


def test_a_program_may_be_of_kind_mentoring_with_its_mentor_side(empty_engine):
    upgrade(empty_engine, "0024_programs")
    with empty_engine.begin() as connection:
        connection.execute(sa.insert(PROGRAMS), [program("coffee", "coffee"), program("reverse", "reverse")])
        with pytest.raises(IntegrityError), connection.begin_nested():  # before 0025: not a kind
            connection.execute(sa.insert(PROGRAMS), [program("guides", "mentoring")])

    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(sa.insert(WITH_SIDE), [program("guides", "mentoring", mentor_side="Mentor")])
        with pytest.raises(IntegrityError), connection.begin_nested():  # still only the app's kinds
            connection.execute(sa.insert(PROGRAMS), [program("other", "speed-dating")])
        side = connection.scalar(sa.text("SELECT mentor_side FROM programs WHERE key = 'guides'"))

    assert side == "Mentor"
    assert kinds(empty_engine) == [("coffee", "coffee", 3), ("guides", "mentoring", 3), ("reverse", "reverse", 3)]


def test_the_downgrade_keeps_the_other_programs_and_refuses_to_drop_a_mentoring_one(empty_engine):
    upgrade(empty_engine, "0024_programs")
    with empty_engine.begin() as connection:
        connection.execute(sa.insert(PROGRAMS), [program("coffee", "coffee"), program("reverse", "reverse")])
        connection.execute(sa.text(f"INSERT INTO program_members (team_id, program, user_id) VALUES {MEMBERS}"))
    upgrade(empty_engine)
    upgraded = joined(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(sa.insert(WITH_SIDE), [program("guides", "mentoring", mentor_side="Mentor")])

    with pytest.raises(RuntimeError, match="1 mentoring program"):
        downgrade_to_0024(empty_engine)
    assert ("guides", "mentoring", 3) in kinds(empty_engine)

    with empty_engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM programs WHERE kind = 'mentoring'"))
    downgrade_to_0024(empty_engine)

    assert kinds(empty_engine) == [("coffee", "coffee", 3), ("reverse", "reverse", 3)]
    assert upgraded == joined(empty_engine) == [("coffee", "UA"), ("coffee", "UB"), ("reverse", "UB")]
    with empty_engine.connect() as connection:
        assert "mentor_side" not in {column["name"] for column in sa.inspect(connection).get_columns("programs")}
    with empty_engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(sa.insert(PROGRAMS), [program("guides", "mentoring")])
