"""Databases for the tests: PostgreSQL when TEST_DATABASE_URL names a database the tests
may wipe, and SQLite files broken on purpose."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@contextmanager
def scratch_postgres_database(server_url: str, name: str) -> Iterator[str]:
    """An empty database called `name` on `server_url`'s server, dropped afterwards; its URL."""
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        server.dispose()


def break_database(mentor, tmp_path: Path) -> None:
    """Put a directory where the SQLite file was: every new connection fails to open it."""
    mentor.engine.dispose()
    for leftover in tmp_path.glob("mentor.db*"):
        leftover.unlink()
    (tmp_path / "mentor.db").mkdir()
