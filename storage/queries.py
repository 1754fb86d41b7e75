"""SQL that every repository shares: inserts that ignore duplicates on SQLite and
PostgreSQL alike, and IN lists cut into batches."""

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import models

T = TypeVar("T")


def insert_ignoring_duplicates(session: Session, model: type[models.Base], rows: list[dict]) -> int:
    """INSERT … ON CONFLICT DO NOTHING: two requests creating the same row at once both
    succeed. Returns how many rows were new."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return session.execute(dialect.insert(model).values(rows).on_conflict_do_nothing()).rowcount


IN_BATCH = 500  # ids per IN (…) list, rows per INSERT: well under every database's bound-parameter limit


def batches(items: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`, for statements that would otherwise
    bind more parameters than SQLite (32,766) or PostgreSQL (65,535) accept."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
