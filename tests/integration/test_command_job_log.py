"""CommandJobLog against real SQLite and PostgreSQL: a batch of commands' work is recorded
whole or not at all, outside any transaction of the caller's, and a connection the database
dropped costs one batch, told, not every batch after it."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from bot.errors import TemporarilyUnavailable
from storage import models
from storage.command_jobs import ACTION, COMMAND, JOBS_PER_STATEMENT, NewCommandJob
from storage.db import Store
from tests.support.asks import NOW

TEAM = "TLOG"  # this module's own: its rows are committed, and deleted after each test
LEASE = timedelta(minutes=2)


@pytest.fixture
def store(migrated_engine):
    yield Store(migrated_engine)
    with migrated_engine.begin() as connection:
        connection.execute(delete(models.CommandJob).where(models.CommandJob.team_id == TEAM))


def offer(user_id: str) -> NewCommandJob:
    return NewCommandJob(TEAM, user_id, "offer", "SQL &amp; Go", f"https://hooks.slack.test/{user_id}")


def recorded(store: Store) -> list[tuple]:
    job = models.CommandJob
    with store.reading() as repositories:
        rows = repositories.session.execute(
            select(
                job.user_id,
                job.surface,
                job.name,
                job.argument,
                job.response_url,
                job.payload,
                job.status,
                job.attempts,
                job.available_at,
                job.created_at,
            )
            .where(job.team_id == TEAM)
            .order_by(job.id)
        )
        return [tuple(row) for row in rows]


def test_a_batch_is_recorded_in_order_with_what_each_member_sent_and_due_at_once(store):
    click = NewCommandJob(TEAM, "UBEA", "round_join", "", "", ACTION, '{"body": {"type": "block_actions"}}')
    log = store.command_job_log()

    log.append([offer("UANA"), click], NOW)
    log.append([offer("UCAL")], NOW)
    log.close()

    assert recorded(store) == [
        ("UANA", COMMAND, "offer", "SQL &amp; Go", "https://hooks.slack.test/UANA", None, "pending", 0, NOW, NOW),
        ("UBEA", ACTION, "round_join", "", "", '{"body": {"type": "block_actions"}}', "pending", 0, NOW, NOW),
        ("UCAL", COMMAND, "offer", "SQL &amp; Go", "https://hooks.slack.test/UCAL", None, "pending", 0, NOW, NOW),
    ]
    with store.transaction() as repositories:
        claimed = repositories.command_jobs.claim(NOW, NOW + LEASE, {(COMMAND, "offer")}, "host:1")
    assert claimed is not None and claimed.user_id == "UANA"


def test_more_jobs_than_one_statement_takes_are_recorded_in_order_with_the_callers_transaction_or_not_at_all(store):
    jobs = [offer(f"U{n:04d}") for n in range(JOBS_PER_STATEMENT + 1)]

    with pytest.raises(RuntimeError), store.transaction() as repositories:
        repositories.command_jobs.queue(jobs, NOW)
        raise RuntimeError("the change the jobs came with failed")
    assert recorded(store) == []

    with store.transaction() as repositories:
        repositories.command_jobs.queue(jobs, NOW)
    rows = recorded(store)
    assert [row[0] for row in rows] == [job.user_id for job in jobs]
    assert rows[-1][3:5] == ("SQL &amp; Go", f"https://hooks.slack.test/U{JOBS_PER_STATEMENT:04d}")


def test_a_batch_with_one_row_the_database_refuses_records_none_of_it_and_the_next_batch_is_recorded(store):
    log = store.command_job_log()
    refused = NewCommandJob(None, "UBEA", "offer", "Go", "https://hooks.slack.test/UBEA")  # type: ignore[arg-type]

    with pytest.raises(IntegrityError):
        log.append([offer("UANA"), refused, offer("UCAL")], NOW)
    assert recorded(store) == []

    log.append([offer("UDEV")], NOW)
    log.close()
    assert [row[0] for row in recorded(store)] == ["UDEV"]


def test_a_dropped_connection_fails_one_batch_as_unavailable_and_the_next_connects_again(store, migrated_engine):
    if migrated_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    log = store.command_job_log()
    log.append([offer("UANA")], NOW)
    with migrated_engine.begin() as connection:  # the log's own, as a restart of PostgreSQL would
        ended = (
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND state = 'idle' AND query LIKE 'INSERT INTO command_jobs%'"
                )
            )
            .scalars()
            .all()
        )
    assert ended and all(ended)

    with pytest.raises(TemporarilyUnavailable):
        log.append([offer("UBEA")], NOW)
    log.append([offer("UCAL")], NOW)
    log.close()

    assert [row[0] for row in recorded(store)] == ["UANA", "UCAL"]
