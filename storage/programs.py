"""Programs as rows: the two every workspace has ("coffee" and "reverse"), made the first
time one is needed, and who is in each (program_members)."""

import json
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind
from bot.rounds.model import (
    BUILT_IN,
    TEAM_CATEGORY,
    Category,
    ChannelTaken,
    Intro,
    Program,
    ProgramStatus,
    RoundKind,
    program_key,
)
from storage import models
from storage.outbox import About, queue_deliveries, queue_to_each
from storage.queries import batches, insert_ignoring_duplicates

# The two programs of a workspace that never stored any, as ensure_programs stores them.
DEFAULTS = {program.key: program for program in BUILT_IN}


def _row(team_id: str, program: Program, now: datetime) -> dict:
    return {
        "team_id": team_id,
        "key": program.key,
        "name": program.name,
        "kind": program.kind.value,
        "every_weeks": program.every_weeks,
        "weekday": program.weekday,
        "group_size": program.group_size,
        "intro": program.intro.value,
        "category": program.category,
        "channel": program.channel,
        "status": program.status.value,
        "created_at": now,
        "mentor_side": program.mentor_side,
        "round_hour": program.hour,
        "time_zone": program.time_zone,
    }


def ensure_programs(session: Session, team_id: str) -> None:
    """The workspace's coffee and reverse programs, with the default settings where it has
    none yet (as migration 0024_programs made them for workspaces that existed then)."""
    now = datetime.now(UTC)
    insert_ignoring_duplicates(session, models.Program, [_row(team_id, program, now) for program in DEFAULTS.values()])


def in_program(program: str) -> ColumnElement[bool]:
    """The member row (models.Member) is in the program keyed `program`."""
    joined = models.ProgramMember
    return exists().where(
        joined.team_id == models.Member.team_id, joined.program == program, joined.user_id == models.Member.user_id
    )


def program_named(session: Session, team_id: str, key: str) -> Program:
    """The program a round, skip or DM names by `key` (its `kind` column). Read through the
    session's identity map: the rows of one program are read once per transaction."""
    row = session.get(models.Program, (team_id, key))
    if row is not None:
        return _program(row)
    if key in DEFAULTS:  # a workspace whose programs were never stored: as ensure_programs would store them
        return DEFAULTS[key]
    raise LookupError(f"no program {key!r} in {team_id}")


def _program(row: models.Program) -> Program:
    return Program(
        key=row.key,
        name=row.name,
        kind=RoundKind(row.kind),
        every_weeks=row.every_weeks,
        weekday=row.weekday,
        group_size=row.group_size,
        intro=Intro(row.intro),
        category=row.category,
        channel=row.channel,
        status=ProgramStatus(row.status),
        mentor_side=row.mentor_side,
        hour=row.round_hour,
        time_zone=row.time_zone,
    )


def programs_of(session: Session, team_id: str) -> list[Program]:
    """Every program of the workspace, the two it began with first, then by name; archived
    ones too (callers leave them out where they must). Reads only: the two defaults are
    stored by the first write that needs them (ensure_programs)."""
    rows = session.scalars(select(models.Program).where(models.Program.team_id == team_id))
    found = DEFAULTS | {row.key: _program(row) for row in rows}
    first = {key: position for position, key in enumerate(DEFAULTS)}
    return sorted(found.values(), key=lambda p: (first.get(p.key, len(first)), p.name.casefold(), p.key))


class RoundPrograms:
    """Part of storage.rounds.RoundRepository: a workspace's programs and categories."""

    session: Session

    def programs(self, team_id: str) -> list[Program]:
        return programs_of(self.session, team_id)

    def program(self, team_id: str, key: str) -> Program | None:
        try:
            return program_named(self.session, team_id, key)
        except LookupError:
            return None

    def program_known(self, key: str) -> bool:
        """Some workspace has a program keyed `key` ("coffee" and "reverse": every one)."""
        if key in DEFAULTS:
            return True
        return self.session.scalar(select(models.Program.key).where(models.Program.key == key).limit(1)) is not None

    def program_of_channel(self, team_id: str, channel: str) -> Program | None:
        """The program whose members are `channel`'s, archived or not; None."""
        row = self.session.scalar(
            select(models.Program).where(models.Program.team_id == team_id, models.Program.channel == channel)
        )
        return _program(row) if row is not None else None

    def create_program(self, team_id: str, program: Program, now: datetime) -> Program:
        """`program` stored under a key of its own (bot.rounds.model.program_key, whatever
        its `key`): the program as stored. Raises ChannelTaken when another program of the
        workspace has its channel."""
        ensure_programs(self.session, team_id)
        if program.channel is not None and self.program_of_channel(team_id, program.channel) is not None:
            raise ChannelTaken(program.channel)
        taken = set(self.session.scalars(select(models.Program.key).where(models.Program.team_id == team_id)))
        stored = replace(program, key=program_key(program.name, taken))
        self.session.add(models.Program(**_row(team_id, stored, now)))
        self.session.flush()
        return stored

    def set_program_status(self, team_id: str, key: str, status: ProgramStatus) -> bool:
        """False when the workspace has no such program. An archived program lets go of its
        channel, for another program to take."""
        ensure_programs(self.session, team_id)  # the two defaults can be paused before they are stored
        row = self.session.get(models.Program, (team_id, key))
        if row is None:
            return False
        row.status = status.value
        if status is ProgramStatus.ARCHIVED:
            row.channel = None
        return True

    def program_members(self, team_id: str, key: str) -> list[str]:
        joined = models.ProgramMember
        return list(
            self.session.scalars(
                select(joined.user_id).where(joined.team_id == team_id, joined.program == key).order_by(joined.user_id)
            )
        )

    def queue_program_welcome(self, team_id: str, key: str, user_ids: list[str], now: datetime) -> int:
        """Queue the welcome DM of the program keyed `key` to each of `user_ids`: once a day
        at most, however often they leave and rejoin its channel. Returns how many are new."""
        wanted = [(user_id, DeliveryKind.PROGRAM_WELCOME, now.date().isoformat()) for user_id in user_ids]
        return queue_deliveries(self.session, team_id, About.program_welcome(key), wanted, now)

    def queue_pick_requests(self, team_id: str, key: str, user_ids: list[str], now: datetime) -> int:
        """Queue the DM asking each of `user_ids` for their group in the category of the
        program keyed `key`: once ever per member and program, however many rounds they miss
        for want of it. Returns how many are new."""
        return queue_to_each(self.session, team_id, About.program_pick(key), DeliveryKind.PROGRAM_PICK, user_ids, now)

    # --- categories ---------------------------------------------------------------------
    def categories(self, team_id: str) -> list[Category]:
        """The workspace's own categories, by name (TEAM_CATEGORY is not stored)."""
        rows = self.session.scalars(
            select(models.Category).where(models.Category.team_id == team_id).order_by(models.Category.name)
        )
        return [Category(row.key, row.name, tuple(json.loads(row.options))) for row in rows]

    def save_category(self, team_id: str, category: Category) -> None:
        """Add or change a category; members' picks of options it no longer has are dropped."""
        row = self.session.get(models.Category, (team_id, category.key))
        options = json.dumps(list(category.options))
        if row is None:
            self.session.add(models.Category(team_id=team_id, key=category.key, name=category.name, options=options))
        else:
            row.name, row.options = category.name, options
        picked = models.MemberCategory
        self.session.execute(
            delete(picked).where(
                picked.team_id == team_id, picked.category == category.key, picked.value.not_in(category.options)
            )
        )
        self.session.flush()

    def picks(self, team_id: str, category: str, user_ids: list[str]) -> dict[str, str]:
        """{member: the option they picked} in `category`, for those of `user_ids` who picked
        one; for TEAM_CATEGORY, the team on their profile, for those who filled it in."""
        found: dict[str, str] = {}
        for batch in batches(sorted(set(user_ids))):
            if category == TEAM_CATEGORY:
                member = models.Member
                rows = self.session.execute(
                    select(member.user_id, member.team).where(
                        member.team_id == team_id, member.user_id.in_(batch), member.team != ""
                    )
                )
            else:
                picked = models.MemberCategory
                rows = self.session.execute(
                    select(picked.user_id, picked.value).where(
                        picked.team_id == team_id, picked.category == category, picked.user_id.in_(batch)
                    )
                )
            found.update({user_id: value for user_id, value in rows})
        return found

    def pick(self, team_id: str, category: str, user_id: str, value: str) -> bool:
        """The member's option in `category`; False, and nothing changes, when the category
        has no such option (the buttons that offered it are stale)."""
        row = self.session.get(models.Category, (team_id, category))
        if row is None or value not in json.loads(row.options):
            return False
        picked = models.MemberCategory
        self.session.execute(
            delete(picked).where(picked.team_id == team_id, picked.category == category, picked.user_id == user_id)
        )
        self.session.add(models.MemberCategory(team_id=team_id, category=category, user_id=user_id, value=value))
        self.session.flush()
        return True
