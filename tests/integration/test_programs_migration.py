"""Migration 0024_programs turns each workspace's coffee and reverse settings and its members'
opt-ins into two programs without losing anything: settings, members, rounds, skips and
queued DMs read the same through the app after it, and the downgrade gives back the columns
as they were. On a database filled at revision 0023, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind
from bot.program.model import ProgramSettings
from storage.db import Store
from storage.migrations import upgrade
from storage.outbox import About, queue_to_each
from tests.support.migrations import downgrade

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HELD = date(2026, 11, 23)

# The tables as revision 0023 has them, with the columns 0024 moves.
WORKSPACES = sa.table(
    "workspaces",
    *(sa.column(name) for name in ("team_id", "followup_days", "coffee_every_weeks", "coffee_group_size")),
    *(sa.column(name) for name in ("coffee_weekday", "round_hour", "time_zone", "ask_timeout_hours")),
    *(sa.column(name) for name in ("program_channel", "reverse_enabled", "guests_included")),
)
MEMBERS = sa.table(
    "members",
    *(sa.column(name) for name in ("team_id", "user_id", "capacity", "objectives", "team", "open_to_sponsoring")),
    *(sa.column(name) for name in ("in_coffee", "in_reverse", "paused_until", "deactivated", "followups_enabled")),
)
ROUNDS = sa.table(
    "rounds", *(sa.column(name) for name in ("id", "team_id", "kind", "held_on", "unmatched")), sa.column("created_at")
)
SKIPS = sa.table("round_skips", *(sa.column(name) for name in ("team_id", "kind", "held_on", "user_id")))
# Opt-ins of each member: (coffee, reverse), in T1 (settings saved) and T2 (never saved).
OPT_INS = {
    ("T1", "UA"): (True, False),
    ("T1", "UB"): (True, True),
    ("T1", "UC"): (False, True),
    ("T1", "UD"): (False, False),
    ("T2", "UA"): (True, True),
    ("T2", "UE"): (False, True),
}


def fill_at_0023(engine) -> None:
    upgrade(engine, "0023_durable_jobs")
    with engine.begin() as connection:
        connection.execute(
            sa.insert(WORKSPACES),
            [
                {
                    "team_id": "T1",
                    "followup_days": 5,
                    "coffee_every_weeks": 4,
                    "coffee_group_size": 3,
                    "coffee_weekday": 3,
                    "round_hour": 9,
                    "time_zone": "Europe/Paris",
                    "ask_timeout_hours": 24,
                    "program_channel": "CPROGRAM",
                    "reverse_enabled": False,
                    "guests_included": True,
                }
            ],
        )
        connection.execute(
            sa.insert(MEMBERS),
            [
                {
                    "team_id": team,
                    "user_id": user,
                    "capacity": 2,
                    "objectives": "",
                    "team": "",
                    "open_to_sponsoring": False,
                }
                | {"in_coffee": coffee, "in_reverse": reverse, "deactivated": False, "followups_enabled": True}
                | {"paused_until": date(2026, 12, 24) if user == "UB" else None}
                for (team, user), (coffee, reverse) in OPT_INS.items()
            ],
        )
        for team, kind in (("T1", "coffee"), ("T1", "reverse"), ("T2", "coffee")):
            connection.execute(
                sa.insert(ROUNDS).values(team_id=team, kind=kind, held_on=HELD, unmatched="{}", created_at=NOW)
            )
        connection.execute(
            sa.insert(SKIPS), [{"team_id": "T1", "kind": "coffee", "held_on": date(2026, 12, 21), "user_id": "UA"}]
        )
    with Session(engine) as session, session.begin():  # the day-before notice, as the app queues it
        about = About.round_notice("coffee", date(2026, 12, 21))
        queue_to_each(session, "T1", about, DeliveryKind.ROUND_NOTICE, ["UA", "UB"], NOW)


def rows(engine, query: str) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(sa.text(query)))


def test_each_workspace_gets_its_two_programs_with_its_settings_and_members(empty_engine):
    fill_at_0023(empty_engine)
    kept = {table: rows(empty_engine, f"SELECT * FROM {table}") for table in ("rounds", "round_skips", "deliveries")}

    upgrade(empty_engine)

    # Still named "coffee" and "reverse", now the keys of the programs.
    assert {table: rows(empty_engine, f"SELECT * FROM {table}") for table in kept} == kept
    store = Store(empty_engine)
    with store.reading() as repositories:
        assert repositories.program.settings("T1") == ProgramSettings(
            coffee_every_weeks=4,
            coffee_weekday=3,
            round_hour=9,
            time_zone="Europe/Paris",
            followup_days=5,
            ask_timeout_hours=24,
            program_channel="CPROGRAM",
            reverse_enabled=False,
            guests_included=True,
            coffee_group_size=3,
        )
        assert repositories.program.settings("T2") == ProgramSettings()
        for (team, user), (coffee, reverse) in OPT_INS.items():
            membership = repositories.rounds.membership(team, user)
            expected = {key for key, joined in (("coffee", coffee), ("reverse", reverse)) if joined}
            assert membership.programs == expected, (team, user)
        assert repositories.rounds.membership("T1", "UB").paused_until == date(2026, 12, 24)
        schedule = repositories.rounds.schedule("T1", "coffee")
        assert (schedule.every_weeks, schedule.weekday, schedule.hour) == (4, 3, 9)
        assert sorted(repositories.rounds.teams_in("reverse")) == ["T1", "T2"]
        assert [member.user_id for member in repositories.rounds.available("T1", "coffee", HELD)] == [
            "UA"  # UB is paused
        ]
        assert repositories.rounds.skips_of("T1", "UA", HELD) == {("coffee", date(2026, 12, 21))}
    with empty_engine.connect() as connection:
        programs = connection.execute(sa.text("SELECT team_id, key, name, kind, status FROM programs")).all()
    assert sorted(tuple(row) for row in programs) == [
        ("T1", "coffee", "Coffee chats", "coffee", "active"),
        ("T1", "reverse", "Reverse mentoring", "reverse", "paused"),
        ("T2", "coffee", "Coffee chats", "coffee", "active"),
        ("T2", "reverse", "Reverse mentoring", "reverse", "active"),
    ]


def test_the_downgrade_gives_back_the_columns_as_they_were(empty_engine):
    fill_at_0023(empty_engine)
    # By name: a SQLite batch puts the columns it adds back at the end of the table.
    columns = {
        "members": "team_id, user_id, in_coffee, in_reverse, paused_until, capacity",
        "workspaces": "team_id, coffee_every_weeks, coffee_weekday, coffee_group_size, reverse_enabled, round_hour",
    }
    before = {table: rows(empty_engine, f"SELECT {names} FROM {table}") for table, names in columns.items()}

    upgrade(empty_engine)
    downgrade(empty_engine, "0023_durable_jobs")

    assert {table: rows(empty_engine, f"SELECT {names} FROM {table}") for table, names in columns.items()} == before
