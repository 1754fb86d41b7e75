"""Real databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

Each test runs inside an outer transaction that is rolled back, so tests never see
each other's rows; the schema comes from the real migrations."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from storage.db import Repositories, make_engine
from storage.migrations import upgrade
from tests.support.databases import scratch_postgres_database


def fresh_postgres_engine(url: str):
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_engine(request, tmp_path_factory):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'mentor.db'}")
    else:
        engine = fresh_postgres_engine(request.getfixturevalue("postgres_test_url"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    """An engine on a database of the test's own without any schema, for migration tests: a
    SQLite file, or a PostgreSQL database per test module and pytest-xdist worker (workers
    run the same module at once)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_test_url")  # skips without TEST_DATABASE_URL
    module = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    with scratch_postgres_database(url, f"{make_url(url).database}_{module}") as own:
        engine = make_engine(own)
        yield engine
        engine.dispose()


@pytest.fixture
def repositories(migrated_engine):
    with migrated_engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield Repositories(session)
        finally:
            session.close()
            outer.rollback()
