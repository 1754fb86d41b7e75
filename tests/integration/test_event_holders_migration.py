"""Migration 0028_event_holders names the job that began on an event: an event begun before
it (no job) is still someone else's until it goes stale, as before, and the downgrade drops
the column and keeps the events. On SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.events import EventRepository
from storage.migrations import upgrade
from tests.support.migrations import downgrade

BEGUN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STALE_AFTER = timedelta(minutes=2)
EVENTS = sa.table(
    "processed_events", *map(sa.column, ("team_id", "event_id", "done")), sa.column("started_at", sa.DateTime(True))
)


def begun_at_0027(engine) -> None:
    """A DM's event begun by a worker of the version before, not done."""
    upgrade(engine, "0027_program_hours")
    with engine.begin() as connection:
        connection.execute(
            sa.insert(EVENTS), [{"team_id": "T1", "event_id": "Ev1", "done": False, "started_at": BEGUN}]
        )


def start(engine, at: datetime, job_id: int | None) -> bool:
    with Session(engine) as session, session.begin():
        return EventRepository(session).start("T1", "Ev1", at, STALE_AFTER, job_id)


def test_an_event_begun_before_the_migration_is_left_to_its_handler_until_it_goes_stale(empty_engine):
    begun_at_0027(empty_engine)

    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        assert connection.execute(sa.text("SELECT job_id FROM processed_events")).scalars().all() == [None]
    assert not start(empty_engine, BEGUN + timedelta(minutes=1), None)  # a retry of Slack's: handled already
    assert not start(empty_engine, BEGUN + timedelta(minutes=1), 7)  # a job that did not begin it
    assert start(empty_engine, BEGUN + timedelta(minutes=3), 7)  # its handler died long ago: taken over
    assert start(empty_engine, BEGUN + timedelta(minutes=4), 7)  # by job 7, whose next try may go on


def test_the_downgrade_drops_the_holders_and_keeps_the_events(empty_engine):
    begun_at_0027(empty_engine)
    upgrade(empty_engine)

    downgrade(empty_engine, "0027_program_hours")

    with empty_engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("processed_events")}
        assert "job_id" not in columns
        assert connection.execute(sa.text("SELECT event_id, done FROM processed_events")).all() == [("Ev1", False)]
