"""SQL that every repository shares: inserts that ignore duplicates on SQLite and
PostgreSQL alike, counts of the rows a statement changed, and IN lists cut into batches."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import CursorResult, Executable, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import models

T = TypeVar("T")


def rowcount(session: Session, statement: Executable) -> int:
    """Run an INSERT, UPDATE or DELETE; how many rows it changed. (Session.execute is typed
    to return a Result; for these statements it is a CursorResult, which counts them.)"""
    result = session.execute(statement)
    assert isinstance(result, CursorResult), "rowcount is for INSERT, UPDATE and DELETE"
    return result.rowcount


def insert_ignoring_duplicates(session: Session, model: type[models.Base], rows: Sequence[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT DO NOTHING: two requests creating the same row at once both
    succeed. Returns how many rows were new."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # Counted from RETURNING, not rowcount: an ORM INSERT of several rows goes through
    # SQLAlchemy's "insertmanyvalues", whose rowcount is -1 on PostgreSQL.
    statement = dialect.insert(model).values(list(rows)).on_conflict_do_nothing()
    return len(session.execute(statement.returning(*inspect(model).primary_key)).all())


IN_BATCH = 500  # ids per IN (…) list, rows per INSERT: well under every database's bound-parameter limit


def batches(items: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`, for statements that would otherwise
    bind more parameters than SQLite (32,766) or PostgreSQL (65,535) accept."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
