"""Programs as rows: the two every workspace has ("coffee" and "reverse"), made the first
time one is needed, and who is in each (program_members)."""

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import Session

from bot.program.model import ProgramSettings
from bot.rounds.model import RoundKind
from storage import models
from storage.queries import insert_ignoring_duplicates

MONTHLY = 0  # every_weeks of a program held on the first weekday of each month
NAMES = {RoundKind.COFFEE: "Coffee chats", RoundKind.REVERSE: "Reverse mentoring"}


def ensure_programs(session: Session, team_id: str) -> None:
    """The workspace's coffee and reverse programs, with the default settings where it has
    none yet (as migration 0024_programs made them for workspaces that existed then)."""
    default = ProgramSettings()
    now = datetime.now(UTC)
    shared = {"team_id": team_id, "weekday": default.coffee_weekday, "status": "active", "created_at": now}
    insert_ignoring_duplicates(
        session,
        models.Program,
        [
            {
                **shared,
                "key": RoundKind.COFFEE.value,
                "name": NAMES[RoundKind.COFFEE],
                "kind": RoundKind.COFFEE.value,
                "every_weeks": default.coffee_every_weeks,
                "group_size": default.coffee_group_size,
            },
            {
                **shared,
                "key": RoundKind.REVERSE.value,
                "name": NAMES[RoundKind.REVERSE],
                "kind": RoundKind.REVERSE.value,
                "every_weeks": MONTHLY,
                "group_size": 2,
                "status": "active" if default.reverse_enabled else "paused",
            },
        ],
    )


def in_program(kind: RoundKind) -> ColumnElement[bool]:
    """The member row (models.Member) is in the program `kind` names."""
    joined = models.ProgramMember
    return exists().where(
        joined.team_id == models.Member.team_id, joined.program == kind.value, joined.user_id == models.Member.user_id
    )
