"""Program use cases of issue 21: admins create, pause, resume and archive programs; a
program's channel makes its members (joining the channel joins the program, leaving it
leaves); members pick their group in the category a program introduces by. Each is handed
the unit of work (bot.unit_of_work); the caller owns the transaction and checks who is an
admin and who Mentor is for (handlers.permissions, handlers.membership)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.errors import InvalidInput
from bot.rounds import services as round_services
from bot.rounds.model import TEAM_CATEGORY, Pick, Program, ProgramStatus
from bot.rounds.program_form import NewProgram
from bot.rounds.schedule import Schedule
from bot.unit_of_work import UnitOfWork

BUILT_IN_STAYS = "{name} comes with Mentor, so it can't be archived: pause it instead."
ARCHIVED_STAYS = "That program is archived: create a new one instead."
NO_SUCH_PROGRAM = "That program no longer exists."
NOT_YOURS_TO_PICK = "Join {name} first: then pick your group in it."
OPTION_GONE = "That option is no longer offered: pick one of the buttons on your Home tab."


@dataclass(frozen=True)
class Listed:
    """A program as admins see it listed: how many members it has now, when its rounds come
    (its own hour and zone, or the workspace's), the name of what it introduces by
    (grouping), and that category's options (a mentoring program's sides)."""

    program: Program
    members: int
    schedule: Schedule
    category: str | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Welcome:
    """What a member who joined a program is told: its cadence, the date of its next round,
    and the group they picked in the category it introduces by (None: nothing to pick)."""

    program: Program
    schedule: Schedule
    next_on: date
    pick: Pick | None = None


def listed(work: UnitOfWork, team_id: str) -> list[Listed]:
    """The workspace's programs but the archived, as it lists them, with their members."""
    return [
        Listed(
            program,
            len(work.rounds.program_members(team_id, program.key)),
            work.rounds.schedule(team_id, program.key),
            *grouping(work, team_id, program),
        )
        for program in round_services.current_programs(work, team_id)
    ]


def grouping(work: UnitOfWork, team_id: str, program: Program) -> tuple[str | None, tuple[str, ...]]:
    """What `program` introduces across or within, as admins read it: "team" (profiles'), the
    name of the admin's category ("Office", not its key "office"), None for intros of anyone;
    and that category's options (a mentoring program's sides), () when it goes by none or by
    the team. The category is read once for both."""
    if program.grouped_by is None:
        return None, ()
    if program.grouped_by == TEAM_CATEGORY:
        return "team", ()
    category = round_services.category_to_pick(work, team_id, program)
    return (category.name, category.options) if category is not None else (program.grouped_by, ())


def create(work: UnitOfWork, team_id: str, new: NewProgram, now: datetime) -> Program:
    """The program of a submitted modal, stored with its new category (if it named one);
    the program as stored, under a key of its own. Raises ChannelTaken when another program
    has its channel: the caller's transaction is rolled back, so nothing is half-written."""
    if new.category is not None:
        work.rounds.save_category(team_id, new.category)
    return work.rounds.create_program(team_id, new.program, now)


def set_status(work: UnitOfWork, team_id: str, key: str, status: ProgramStatus) -> Program:
    """Pause, resume or archive the program keyed `key`; the program as it now stands.
    Raises InvalidInput for a key the workspace has no current program by (button values
    come from Slack's clients), for archiving one of the two every workspace has, and for
    anything but archiving an archived one again."""
    program = work.rounds.program(team_id, key)
    if program is None:
        raise InvalidInput(NO_SUCH_PROGRAM)
    if program.status is ProgramStatus.ARCHIVED:
        raise InvalidInput(ARCHIVED_STAYS)
    if program.built_in and status is ProgramStatus.ARCHIVED:
        raise InvalidInput(BUILT_IN_STAYS.format(name=program.name))
    work.rounds.set_program_status(team_id, key, status)
    stored = work.rounds.program(team_id, key)
    assert stored is not None  # set_program_status stores the two defaults' rows too
    return stored


def _enrolled(work: UnitOfWork, team_id: str, user_id: str, program: Program, now: datetime) -> bool:
    if work.rounds.membership(team_id, user_id).is_in(program):
        return False
    work.rounds.set_opt_in(team_id, user_id, program.key, True)
    work.rounds.queue_program_welcome(team_id, program.key, [user_id], now)
    return True


def joined_channel(work: UnitOfWork, team_id: str, user_id: str, channel: str, now: datetime) -> Program | None:
    """Someone Mentor is for joined `channel`: when it is the channel of a current program,
    they are in it, and a welcome DM is queued (bot.rounds.program_messages.welcome). The
    program they joined; None when the channel has none, or they were in it already."""
    program = work.rounds.program_of_channel(team_id, channel)
    if program is None or program.status is ProgramStatus.ARCHIVED:
        return None
    return program if _enrolled(work, team_id, user_id, program, now) else None


def left_channel(work: UnitOfWork, team_id: str, user_id: str, channel: str) -> Program | None:
    """Someone left `channel`: out of its program from the next round on (groups already
    made stand), without a word. The program they left; None when they were in none."""
    program = work.rounds.program_of_channel(team_id, channel)
    if program is None or not work.rounds.membership(team_id, user_id).is_in(program):
        return None
    work.rounds.set_opt_in(team_id, user_id, program.key, False)
    return program


def channel_program(work: UnitOfWork, team_id: str, key: str) -> Program:
    """The current program keyed `key` that has a channel, for its admin to enroll the
    channel's members. Raises InvalidInput for any other key (it comes from a button)."""
    program = work.rounds.program(team_id, key)
    if program is None or program.status is ProgramStatus.ARCHIVED or program.channel is None:
        raise InvalidInput("That program has no channel any more: nobody was enrolled.")
    return program


def enroll(work: UnitOfWork, team_id: str, key: str, user_ids: Iterable[str], now: datetime) -> tuple[Program, int]:
    """The admin confirmed: each of `user_ids` (members of the program's channel Mentor is
    for, as the caller checked) is in the program and told so by DM. The program, and how
    many were enrolled (those already in are left as they are). Raises InvalidInput as
    channel_program does."""
    program = channel_program(work, team_id, key)
    return program, sum(_enrolled(work, team_id, user_id, program, now) for user_id in user_ids)


def welcome(work: UnitOfWork, team_id: str, user_id: str, key: str, now: datetime) -> Welcome | None:
    """What the welcome DM of the program keyed `key` says now; None when it should no
    longer go: the member left it meanwhile, or it was archived."""
    program = work.rounds.program(team_id, key)
    if program is None or program.status is ProgramStatus.ARCHIVED:
        return None
    if not work.rounds.membership(team_id, user_id).is_in(program):
        return None
    schedule = work.rounds.schedule(team_id, program.key)
    next_on = round_services.next_round_on(work, team_id, program, now)
    return Welcome(program, schedule, next_on, round_services.pick_of(work, team_id, user_id, program))


def ask_for_picks(work: UnitOfWork, team_id: str, program: Program, held_on: date, now: datetime) -> int:
    """The day before `program`'s round held on `held_on`: each member available for it who has
    not picked their group in the admin's category it introduces by is asked by DM, with the
    buttons (bot.rounds.program_messages.pick_request); the round leaves them out until they
    pick. Issue 21: "asked once before the next round", so once per member and program, not
    at every round they miss. Returns how many were asked now (0 when there is nothing to pick)."""
    category = round_services.category_to_pick(work, team_id, program)
    if category is None:
        return 0
    available = [member.user_id for member in work.rounds.available(team_id, program.key, held_on)]
    picked = work.rounds.picks(team_id, category.key, available)
    unpicked = [user_id for user_id in available if user_id not in picked]
    return work.rounds.queue_pick_requests(team_id, program.key, unpicked, now) if unpicked else 0


def pick_wanted(work: UnitOfWork, team_id: str, user_id: str, key: str) -> Pick | None:
    """What a pick request DM asks now: the member's unpicked group in the program keyed
    `key`; None when it should no longer go (they picked meanwhile, left the program, or it
    was archived or no longer introduces by an admin's category)."""
    program = work.rounds.program(team_id, key)
    if program is None or program.status is ProgramStatus.ARCHIVED:
        return None
    if not work.rounds.membership(team_id, user_id).is_in(program):
        return None
    wanted = round_services.pick_of(work, team_id, user_id, program)
    return wanted if wanted is not None and wanted.option is None else None


def pick(work: UnitOfWork, team_id: str, user_id: str, key: str, option: str) -> Pick:
    """The member's group in the category the program keyed `key` introduces by; the pick as
    stored, which holds in every program by that category. Raises InvalidInput for a program
    they are not in or that picks nothing, and for an option the category no longer has."""
    program = work.rounds.program(team_id, key)
    if program is None or program.status is ProgramStatus.ARCHIVED:
        raise InvalidInput(NO_SUCH_PROGRAM)
    if not work.rounds.membership(team_id, user_id).is_in(program):
        raise InvalidInput(NOT_YOURS_TO_PICK.format(name=program.label))
    chosen = round_services.pick_of(work, team_id, user_id, program)
    if chosen is None or not work.rounds.pick(team_id, chosen.category.key, user_id, option):
        raise InvalidInput(OPTION_GONE)
    return Pick(program, chosen.category, option)
