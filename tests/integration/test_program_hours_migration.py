"""Migration 0027_program_hours gives each program its own round hour and time zone, NULL for
"the workspace's": the programs that exist when it runs (the two defaults and an admin's)
keep their schedule exactly, and a program may then have its own. The downgrade drops both
columns and keeps every program and its members. On SQLite and PostgreSQL."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.rounds.schedule import Schedule
from storage.migrations import upgrade
from storage.rounds import RoundRepository
from tests.support.migrations import downgrade

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COLUMNS = ("team_id", "key", "name", "kind", "every_weeks", "weekday", "group_size", "intro", "status")
PROGRAMS = sa.table("programs", *map(sa.column, COLUMNS), sa.column("created_at", sa.DateTime(timezone=True)))
WORKSPACES = sa.table(
    "workspaces", *map(sa.column, ("team_id", "followup_days", "round_hour", "time_zone", "ask_timeout_hours"))
)
PARIS = ZoneInfo("Europe/Paris")
PARIS_AT_NINE = {
    "team_id": "T1",
    "followup_days": 7,
    "round_hour": 9,
    "time_zone": "Europe/Paris",
    "ask_timeout_hours": 48,
}


def program(key: str, kind: str, every_weeks: int, weekday: int) -> dict:
    row = {"team_id": "T1", "key": key, "name": key.title(), "kind": kind, "every_weeks": every_weeks}
    return row | {"weekday": weekday, "group_size": 2, "intro": "anyone", "status": "active", "created_at": NOW}


def fill_at_0026(engine) -> None:
    """A workspace at 09:00 Paris with its two programs and an admin's, as 0026 has them."""
    upgrade(engine, "0026_interaction_jobs")
    with engine.begin() as connection:
        connection.execute(sa.insert(WORKSPACES), [PARIS_AT_NINE])
        connection.execute(
            sa.insert(PROGRAMS),
            [program("coffee", "coffee", 2, 0), program("reverse", "reverse", 0, 0), program("eng", "coffee", 1, 3)],
        )
        members = "('T1', 'coffee', 'UA'), ('T1', 'eng', 'UA'), ('T1', 'eng', 'UB')"
        connection.execute(sa.text(f"INSERT INTO program_members (team_id, program, user_id) VALUES {members}"))


def schedules(engine) -> dict[str, Schedule]:
    with Session(engine) as session:
        rounds = RoundRepository(session)
        return {key: rounds.schedule("T1", key) for key in ("coffee", "reverse", "eng")}


def table_rows(engine, query: str) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(sa.text(query)))


def test_existing_programs_keep_the_workspaces_hour_and_zone_and_a_program_may_have_its_own(empty_engine):
    fill_at_0026(empty_engine)

    upgrade(empty_engine)

    assert table_rows(empty_engine, "SELECT key, round_hour, time_zone FROM programs") == [
        ("coffee", None, None),
        ("eng", None, None),
        ("reverse", None, None),
    ]
    assert schedules(empty_engine) == {
        "coffee": Schedule(every_weeks=2, weekday=0, hour=9, zone=PARIS),
        "reverse": Schedule(every_weeks=0, weekday=0, hour=9, zone=PARIS),
        "eng": Schedule(every_weeks=1, weekday=3, hour=9, zone=PARIS),
    }
    with empty_engine.begin() as connection:
        connection.execute(sa.text("UPDATE programs SET round_hour = 14, time_zone = 'Asia/Tokyo' WHERE key = 'eng'"))
    own = schedules(empty_engine)
    assert own["eng"] == Schedule(every_weeks=1, weekday=3, hour=14, zone=ZoneInfo("Asia/Tokyo"))
    assert own["coffee"].hour == 9 and own["coffee"].zone == PARIS  # the workspace's still


def test_the_downgrade_drops_the_hours_and_keeps_every_program_and_its_members(empty_engine):
    fill_at_0026(empty_engine)
    before = (
        table_rows(empty_engine, "SELECT * FROM programs"),
        table_rows(empty_engine, "SELECT * FROM program_members"),
    )
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(sa.text("UPDATE programs SET round_hour = 14, time_zone = 'Asia/Tokyo' WHERE key = 'eng'"))

    downgrade(empty_engine, "0026_interaction_jobs")

    with empty_engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("programs")}
    assert not {"round_hour", "time_zone"} & columns
    assert (
        table_rows(empty_engine, "SELECT * FROM programs"),
        table_rows(empty_engine, "SELECT * FROM program_members"),
    ) == before
