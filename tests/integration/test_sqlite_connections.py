"""SQLite as the embedded default: every connection configured, concurrent writers never locked out."""

from concurrent.futures import ThreadPoolExecutor

from bot.members import services as member_services
from bot.members.model import SkillKind
from storage.db import Store, make_engine
from storage.migrations import upgrade


def test_every_connection_has_wal_a_busy_timeout_and_foreign_keys(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }

    assert pragma == {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1}


def test_twenty_threads_writing_the_same_skills_at_once_all_succeed(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    store = Store(engine)

    def add(n: int) -> None:
        with store.transaction() as repositories:
            member_services.add_skills(repositories, "T1", f"U{n:03d}", SkillKind.OFFER, "SQL, Go, public speaking")

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(add, range(20)))  # re-raises the first failure, "database is locked" included

    with store.transaction() as repositories:
        assert all(len(repositories.profiles.get("T1", f"U{n:03d}").offers) == 3 for n in range(20))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM skills").scalar() == 3


def test_a_long_read_keeps_no_writer_waiting(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    store = Store(engine)

    with store.reading() as reading:
        reading.program.settings("T1")  # the read transaction has begun, and stays open
        with ThreadPoolExecutor(max_workers=1) as pool:
            write = pool.submit(_add_skill, store)
            write.result(timeout=5)  # a reader holding BEGIN IMMEDIATE would keep it 10 s, then fail

    with store.transaction() as repositories:
        assert [skill.label for skill in repositories.profiles.get("T1", "U001").offers] == ["SQL"]


def _add_skill(store: Store) -> None:
    with store.transaction() as repositories:
        member_services.add_skills(repositories, "T1", "U001", SkillKind.OFFER, "SQL")
