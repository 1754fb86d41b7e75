"""Round use cases: joining, leaving, pausing and resuming; skipping a round and answering
its check-ins; and running a round: members -> matching engine -> groups recorded, with an
introduction queued for each group in the same transaction. Each is handed the unit of work
(bot.unit_of_work); the caller owns the transaction."""

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.errors import InvalidInput
from bot.rounds import grouping, scoring, solving
from bot.rounds import schedule as round_schedule
from bot.rounds.model import (
    FRESH_FOR,
    MAX_THANKS_LENGTH,
    PAUSED_UNTIL_RESUMED,
    QUIET_INTROS,
    TEAM_CATEGORY,
    Category,
    CheckinOutcome,
    HeldGroup,
    Joined,
    Learned,
    Left,
    Membership,
    MonthEndAnswer,
    Pairing,
    Pick,
    PlannedGroup,
    Program,
    ProgramStatus,
    RoundAlreadyRecorded,
    RoundKind,
    RoundRun,
    RoundsNow,
    ThanksForm,
    UnknownProgram,
    Unmatched,
    parse_pause,
)
from bot.rounds.repository import CheckinAnswer
from bot.rounds.schedule import Schedule
from bot.rounds.starters import Starter, starters
from bot.text import clean_paragraphs
from bot.unit_of_work import UnitOfWork

HISTORY_ROUNDS = 24  # rounds looked back on: the cooldown, and "met before" beyond it
NOT_IN_GROUP = "That question isn't yours to answer."
STARTERS_USED_UP = "That's every question I have for your group: over to you!"
NO_LONGER_KEPT = "That pair can't continue any more: you'll meet someone new in the next round."


FIRST_QUESTIONS = (
    "What's something you've changed your mind about at work this year?",
    "What are you trying to get better at right now, and what's in the way?",
    "What's a piece of advice you were given that turned out to be right?",
    "What does a good week look like for you?",
    "What's something your team does that others could learn from?",
    "What would you do with an extra hour a week at work?",
)


def current_programs(work: UnitOfWork, team_id: str) -> list[Program]:
    """The workspace's programs but the archived, as it lists them: those one can join, and
    the only ones replies and the Home tab speak of (an archived program holds no rounds)."""
    return [program for program in work.rounds.programs(team_id) if program.status is not ProgramStatus.ARCHIVED]


def category_to_pick(work: UnitOfWork, team_id: str, program: Program) -> Category | None:
    """The admin's category `program` introduces by, whose options members pick with buttons;
    None for a program of intros of anyone, or by the team on profiles (nothing to pick)."""
    if program.grouped_by is None or program.grouped_by == TEAM_CATEGORY:
        return None
    return next((c for c in work.rounds.categories(team_id) if c.key == program.grouped_by), None)


def pick_of(work: UnitOfWork, team_id: str, user_id: str, program: Program) -> Pick | None:
    """The member's group in the admin's category `program` introduces by, picked or not;
    None when it has nothing to pick (category_to_pick)."""
    category = category_to_pick(work, team_id, program)
    if category is None:
        return None
    return Pick(program, category, work.rounds.picks(team_id, category.key, [user_id]).get(user_id))


def _to_join(programs: list[Program], key: str) -> Program:
    """The program of `programs` keyed `key` (`/mentor join <key>`, a button's value). Raises
    UnknownProgram, which lists them, for anything else (keys come from members and from
    Slack, and are not trusted)."""
    word = key.strip().casefold()
    for program in programs:
        if program.key == word:
            return program
    raise UnknownProgram(word, tuple(programs))


def _besides(programs: list[Program], program: Program, membership: Membership) -> tuple[Program, ...]:
    return tuple(other for other in programs if other.key != program.key and membership.is_in(other))


def join(work: UnitOfWork, team_id: str, user_id: str, key: str) -> Joined:
    """The member joins the program keyed `key`; `on_hold` when its admins have paused it
    for now (the member is paired once it is back). Raises UnknownProgram."""
    programs = current_programs(work, team_id)
    program = _to_join(programs, key)
    work.rounds.set_opt_in(team_id, user_id, program.key, True)
    membership = work.rounds.membership(team_id, user_id)
    return Joined(program, membership, _besides(programs, program, membership))


def leave(work: UnitOfWork, team_id: str, user_id: str, key: str) -> Left:
    """Out of the program keyed `key` from the next round on; groups already made stand.
    `was_in` False when they had not joined it (nothing changes). Raises UnknownProgram."""
    programs = current_programs(work, team_id)
    program = _to_join(programs, key)
    was_in = work.rounds.membership(team_id, user_id).is_in(program)
    work.rounds.set_opt_in(team_id, user_id, program.key, False)
    membership = work.rounds.membership(team_id, user_id)
    return Left(program, membership, was_in, _besides(programs, program, membership))


def programs_of(work: UnitOfWork, team_id: str, membership: Membership) -> tuple[Program, ...]:
    """The current programs the member is in, as the workspace lists them."""
    return tuple(program for program in current_programs(work, team_id) if membership.is_in(program))


def offered(work: UnitOfWork, team_id: str, membership: Membership) -> tuple[tuple[Program, Schedule], ...]:
    """The current programs the member could join, each with its schedule."""
    return tuple(
        (program, work.rounds.schedule(team_id, program.key))
        for program in current_programs(work, team_id)
        if not membership.is_in(program)
    )


def pause(work: UnitOfWork, team_id: str, user_id: str, text: str, today: date) -> Membership:
    """No rounds and no asks reach the member until the day `text` says (bot.rounds.model.parse_pause),
    or until they resume. Raises InvalidInput for a duration or date it cannot use."""
    work.rounds.set_paused(team_id, user_id, parse_pause(text, today))
    return work.rounds.membership(team_id, user_id)


def resume(work: UnitOfWork, team_id: str, user_id: str) -> Membership:
    """A pause ended early: rounds and asks reach the member again. Raises nothing."""
    work.rounds.set_paused(team_id, user_id, None)
    return work.rounds.membership(team_id, user_id)


def skip(work: UnitOfWork, team_id: str, user_id: str, key: str, held_on: date, skipped: bool) -> tuple[Program, bool]:
    """From the day-before notice: skip that round of the program keyed `key`, or join it
    after all; the member stays in for the next ones. (The program, False), and nothing
    changes, once the round has started (or its cycle has a round already, run by hand: no
    other is coming). Raises UnknownProgram for a program archived since."""
    program = _to_join(current_programs(work, team_id), key)
    if round_of_cycle(work, team_id, program, held_on) is not None:
        return program, False
    work.rounds.set_skip(team_id, program.key, held_on, user_id, skipped)
    return program, True


def answer_checkin(
    work: UnitOfWork, team_id: str, group_id: int, user_id: str, outcome: CheckinOutcome, now: datetime
) -> CheckinAnswer:
    """The halfway "Did you meet?" of a group, answered for the group by one of its members;
    the check-in as it now stands. Raises InvalidInput for anyone not in that group (ids come
    from Slack and are not trusted)."""
    answer = None
    if work.rounds.answer_checkin(team_id, group_id, user_id, outcome, now):
        answer = work.rounds.checkin_answer(team_id, group_id)
    if answer is None:
        raise InvalidInput(NOT_IN_GROUP)
    return answer


def answer_learned(
    work: UnitOfWork, team_id: str, group_id: int, user_id: str, learned: Learned, now: datetime
) -> MonthEndAnswer:
    """What one side of a reverse-mentoring pair learned this month (they may change it); the
    answer as recorded, with the partner they may now choose to keep for the next round if
    they learned something. Learning little withdraws a choice to keep. Raises InvalidInput
    for anyone not in that pair."""
    if not work.rounds.answer_learned(team_id, group_id, user_id, learned, now):
        raise InvalidInput(NOT_IN_GROUP)
    if not learned.something:
        work.rounds.set_keep(team_id, group_id, user_id, False)
        return MonthEndAnswer(learned)
    return MonthEndAnswer(learned, work.rounds.partner_to_keep(team_id, group_id, user_id))


def keep_partner(work: UnitOfWork, team_id: str, group_id: int, user_id: str, keep: bool) -> str:
    """One side of a reverse pair, having learned something, would keep their partner for the
    next round (or not); the partner. The pair is kept only if both sides choose to (run_round),
    and neither is told the other's choice. Raises InvalidInput for anyone not in the pair, or
    once keeping is no longer possible (a newer round began, or they learned little)."""
    partner = work.rounds.partner_to_keep(team_id, group_id, user_id)
    learned = work.rounds.learned(team_id, group_id, user_id)
    if partner is None:
        raise InvalidInput(NOT_IN_GROUP if learned is None else NO_LONGER_KEPT)
    if learned is None or not learned.something:
        raise InvalidInput(NO_LONGER_KEPT)
    work.rounds.set_keep(team_id, group_id, user_id, keep)
    return partner


def give_starter(work: UnitOfWork, team_id: str, group_id: int, user_id: str, now: datetime) -> Starter:
    """ "Give us a question" in a round's group DM: the next conversation starter the group
    has not had (bot/rounds/starters.py), recorded and queued to the group. Raises
    InvalidInput for anyone not in that group (ids come from Slack), and, kindly, when the
    group has had them all."""
    intro = work.rounds.introduction(team_id, group_id)
    if intro is None or user_id not in intro.group.members:
        raise InvalidInput(NOT_IN_GROUP)
    given = work.rounds.starters_given(team_id, group_id)
    group = intro.group
    for one in starters(intro.program.kind, group.teaching, group.question, seed=str(group_id)):
        if one.key not in given and work.rounds.give_starter(team_id, group_id, one.key, group.members, now):
            return one
    raise InvalidInput(STARTERS_USED_UP)


THANKS_AFTER_MEETING = "Thank-yous open once your group says it met."
THANKS_WHO = "Tick who you're thanking."
THANKED_ALREADY = "You've thanked them for this chat already: it reached them."


def thanks_form(work: UnitOfWork, team_id: str, group_id: int, user_id: str) -> ThanksForm:
    """ "Say thanks" under a check-in answered "We met": whom the member may thank (the group's
    other members still here) and the program channel they may also post it in. Raises
    InvalidInput for anyone not in the group, and before the group said it met."""
    answer = work.rounds.checkin_answer(team_id, group_id)
    if answer is None or user_id not in answer[0]:
        raise InvalidInput(NOT_IN_GROUP)
    members, outcome, _ = answer
    if outcome != CheckinOutcome.MET.value:
        raise InvalidInput(THANKS_AFTER_MEETING)
    others = tuple(member for member in members if member != user_id)
    return ThanksForm(group_id, others, work.program.settings(team_id).program_channel)


def send_thanks(
    work: UnitOfWork,
    team_id: str,
    group_id: int,
    user_id: str,
    receivers: Iterable[str],
    note: str,
    share: bool,
    now: datetime,
) -> list[int]:
    """The "Say thanks" modal, sent: a thank-you to each ticked member of the group, once each,
    privately, and in the program channel too if `share` (and the admins named one). Returns
    the thank-yous' ids. Raises InvalidInput as thanks_form does, for nobody ticked, for an
    empty or overlong note, and when everyone ticked was thanked for this chat already."""
    form = thanks_form(work, team_id, group_id, user_id)
    chosen = [member for member in form.others if member in set(receivers)]
    if not chosen:
        raise InvalidInput(THANKS_WHO)
    text = clean_paragraphs(note or "")
    if not text:
        raise InvalidInput("Write a line or two: what did you take away from your chat?")
    if len(text) > MAX_THANKS_LENGTH:
        raise InvalidInput(f"Keep it under {MAX_THANKS_LENGTH} characters: a line or two says it best.")
    made = work.rounds.send_thanks(team_id, group_id, user_id, chosen, text, form.channel if share else None, now)
    if not made:
        raise InvalidInput(THANKED_ALREADY)
    return made


def _first_question(members: tuple[str, ...], held_on: date) -> str:
    digest = hashlib.sha256(f"{held_on.isoformat()}:{','.join(members)}".encode()).digest()
    return FIRST_QUESTIONS[digest[0] % len(FIRST_QUESTIONS)]


def _labelled(
    teaching: tuple[scoring.Teaching, ...], labels: dict[str, str]
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Who can help whom with what, with the skills as the workspace spells them."""
    return tuple((t.teacher, t.learner, tuple(labels.get(key, key) for key in t.skills)) for t in teaching)


def _pairs(members: tuple[str, ...]) -> list[frozenset[str]]:
    return [frozenset((a, b)) for x, a in enumerate(members) for b in members[x + 1 :]]


def said_reasons(group: scoring.Group, met: set[frozenset[str]]) -> tuple[str, ...]:
    """The engine's reasons as the introduction may say them: "first time meeting" only when
    no two of the group ever `met` (the engine sees one kind of round, recent ones)."""
    if any(pair in met for pair in _pairs(group.members)):
        return tuple(reason for reason in group.reasons if reason != scoring.FIRST_MEETING)
    return group.reasons


def plan_groups(
    groups: Iterable[scoring.Group],
    labels: dict[str, str],
    proposals: dict[str, int],
    held_on: date,
    continuing: bool = False,
    met: set[frozenset[str]] | None = None,
    mentors: Collection[str] = (),
) -> list[PlannedGroup]:
    """The engine's groups as the introductions will show them. The one asked to propose a
    time is whoever has been asked least so far (then by id): everyone's turn comes. `met`:
    the pairs who ever met (RoundRepository.met_before); `mentors`: in mentoring, the mentor
    side, one of whom each group has."""
    planned = []
    for group in groups:
        if len(group.members) < 2:
            continue
        proposer = min(group.members, key=lambda user_id: (proposals.get(user_id, 0), user_id))
        proposals[proposer] = proposals.get(proposer, 0) + 1
        planned.append(
            PlannedGroup(
                members=group.members,
                proposer=proposer,
                teaching=_labelled(group.teaching, labels),
                reasons=said_reasons(group, met or set()),
                question=_first_question(group.members, held_on),
                continuing=continuing,
                mentor=next((user_id for user_id in group.members if user_id in mentors), None),
            )
        )
    return planned


def keep_pairs(
    kept: list[tuple[str, ...]],
    members: list[scoring.Member],
    history: dict[frozenset[str], int],
    settings: scoring.MatchSettings,
) -> tuple[list[scoring.Group], list[scoring.Member]]:
    """The reverse pairs who both chose to keep each other, as groups of their own outside the
    cooldown, and the members left for the engine. A pair is kept only while both are in this
    round (`members`: opted in, not paused, not skipping, still taking part), neither has put
    the other on their never-list, and they are still an early-career and a senior member."""
    available = {member.user_id: member for member in members}
    groups: list[scoring.Group] = []
    taken: set[str] = set()
    for pair in kept:
        if len(pair) != 2 or not all(user_id in available for user_id in pair) or taken & set(pair):
            continue
        junior, senior = sorted((available[user_id] for user_id in pair), key=lambda m: m.career_stage != scoring.EARLY)
        if junior.user_id in senior.never or senior.user_id in junior.never:
            continue
        if junior.career_stage != scoring.EARLY or senior.career_stage not in scoring.SENIOR_STAGES:
            continue
        # The early-career member first, as in the engine's pairs: the introduction says who teaches.
        index = scoring.index_members([junior, senior])
        groups.extend(scoring.score_groups(index, [(0, 1)], history, settings, reverse=True))
        taken.update(pair)
    return groups, [member for member in members if member.user_id not in taken]


def next_round_on(work: UnitOfWork, team_id: str, program: Program, now: datetime) -> date:
    """The date of the program's next round the scheduler will run: today's if it has not
    been held yet, else the next date of the cadence whose cycle has no round yet (a round run
    by hand stands for its cycle's, bot.rounds.schedule.cycle_of)."""
    schedule = work.rounds.schedule(team_id, program.key)
    today = round_schedule.local_day(now, schedule)
    day = today if round_schedule.is_round_day(today, schedule) else round_schedule.next_round_day(today, schedule)
    while round_of_cycle(work, team_id, program, day) is not None:
        day = round_schedule.next_round_day(day, schedule)
    return day


def rounds_now(work: UnitOfWork, team_id: str, user_id: str, now: datetime) -> RoundsNow:
    """Where the member stands in rounds (bot.rounds.model.RoundsNow): a pairing is current
    while no later round of its program has been held in the workspace. Each program's days
    are counted in its own zone (its own, or the workspace's)."""
    membership = work.rounds.membership(team_id, user_id)
    programs = current_programs(work, team_id)
    latest: dict[str, Pairing] = {}
    for pairing in work.rounds.pairings_of(team_id, user_id):  # newest first
        latest.setdefault(pairing.program.key, pairing)
    schedules = {key: work.rounds.schedule(team_id, key) for key in {*latest, *(p.key for p in programs)}}
    today = {key: round_schedule.local_day(now, schedule) for key, schedule in schedules.items()}
    current = []
    for key, pairing in latest.items():
        held = work.rounds.held_between(team_id, key, pairing.held_on, today[key])
        if held and max(held) == pairing.held_on and pairing.partners:
            current.append(pairing)
    joined = [program for program in programs if membership.is_in(program)]
    # No date for a round the member will not be in: paused until they resume, or a program
    # its admins have paused (`on_hold`: the Home tab says so).
    dated = [
        program
        for program in joined
        if program.status is ProgramStatus.ACTIVE and membership.paused_until != PAUSED_UNTIL_RESUMED
    ]
    # Skips from the earliest of the programs' days on: each is then matched to its program's date.
    skipped = work.rounds.skips_of(team_id, user_id, min(today.values())) if dated else set()

    def next_for(program: Program) -> datetime:
        """When the next round the member will be in starts, in its program's zone: a round
        they said they'd skip is not it, nor one while they are paused."""
        schedule, after = schedules[program.key], now
        if membership.paused_on(today[program.key]) and membership.paused_until is not None:
            # Their first round is the first one after the pause, by the program's calendar.
            back = datetime.combine(membership.paused_until + timedelta(days=1), time(0), tzinfo=schedule.zone or UTC)
            after = max(now, back)
        day = next_round_on(work, team_id, program, after)
        while (program.key, day) in skipped:
            day = round_schedule.next_round_day(day, schedule)
        return round_schedule.starts_at(day, schedule)

    order = {program.key: position for position, program in enumerate(programs)}
    return RoundsNow(
        membership,
        tuple(sorted(current, key=lambda pairing: order.get(pairing.program.key, len(order)))),
        tuple((program, next_for(program)) for program in dated),
        tuple(program for program in joined if program.status is ProgramStatus.PAUSED),
        tuple(joined),
        tuple(program for program in programs if not membership.is_in(program)),
        tuple(pick for program in joined if (pick := pick_of(work, team_id, user_id, program)) is not None),
    )


def round_seed(team_id: str, program: Program, held_on: date) -> str:
    """What the engine breaks ties with: the same for a rerun of the round, different from
    one round to the next, so trio seats and equal partners rotate (hashed by the engine
    with hashlib: the same in every process)."""
    return f"{team_id}:{program.key}:{held_on.isoformat()}"


def round_of_cycle(work: UnitOfWork, team_id: str, program: Program, day: date) -> date | None:
    """The date of a round of the program already recorded in the cycle of `day` (the
    latest, if several were forced), by its cadence (bot.rounds.schedule.cycle_of); None."""
    schedule = work.rounds.schedule(team_id, program.key)
    cycle = round_schedule.cycle_of(day, schedule)
    first, last = round_schedule.cycle_span(cycle, schedule)
    held = work.rounds.held_between(team_id, program.key, first, last)
    return max(held) if held else None


def refused_run(work: UnitOfWork, team_id: str, program: Program, held_on: date, force: bool) -> RoundRun | None:
    """What a run reports without pairing anyone when that date has a round, or (unless
    `force`) its cycle has one, with that round's date; None when the round may run."""
    if work.rounds.is_recorded(team_id, program.key, held_on):
        return RoundRun(program, held_on, created=False, cycle_round=held_on)
    existing = None if force else round_of_cycle(work, team_id, program, held_on)
    return None if existing is None else RoundRun(program, held_on, created=False, cycle_round=existing)


def unmatched_reasons(
    program: Program,
    members: list[scoring.Member],
    unmatched: tuple[str, ...],
    picks: Mapping[str, str] | None = None,
) -> tuple[Unmatched, ...]:
    """Why each of `unmatched` had nobody, of everyone available for the round (`members`),
    as far as it may be told to them: their own never-list may be the reason, another's never;
    in a program by a category, not having picked their group in it (`picks`: who picked what)."""
    by_id = {member.user_id: member for member in members}
    picks = picks or {}
    if program.grouped_by is not None:
        members = [member for member in members if member.user_id in picks]
    reasons = []
    for user_id in unmatched:
        me = by_id.get(user_id)
        if me is None:
            reasons.append(Unmatched.NO_FIT)
            continue
        if program.grouped_by is not None and user_id not in picks:
            reasons.append(Unmatched.NO_CATEGORY)
            continue
        if program.kind is RoundKind.COFFEE:
            partners = [member for member in members if member.user_id != user_id]
        elif program.kind is RoundKind.MENTORING:  # the other side of the category
            side = picks.get(user_id) == program.mentor_side
            partners = [member for member in members if (picks.get(member.user_id) == program.mentor_side) != side]
        elif me.career_stage == scoring.EARLY:
            partners = [member for member in members if member.career_stage in scoring.SENIOR_STAGES]
        elif me.career_stage in scoring.SENIOR_STAGES:
            partners = [member for member in members if member.career_stage == scoring.EARLY]
        else:
            reasons.append(Unmatched.CAREER_STAGE)
            continue
        if not partners:
            reasons.append(Unmatched.TOO_FEW)
        elif all(partner.user_id in me.never for partner in partners):
            reasons.append(Unmatched.OWN_NEVER_LIST)
        else:
            reasons.append(Unmatched.NO_FIT)
    return tuple(reasons)


def run_round(
    work: UnitOfWork,
    team_id: str,
    program: Program,
    held_on: date,
    now: datetime,
    settings: scoring.MatchSettings = scoring.MatchSettings(),
    force: bool = False,
) -> RoundRun:
    """Group everyone available in the program and record the round with its introductions
    queued. Nothing is done when the program has a round on that date, or (unless `force`) in
    its cycle: the run says which (`cycle_round`). In coffee chats, members who left
    QUIET_INTROS introductions in a row without a word are paused first, and told so; reverse
    pairs who both chose to continue are kept together (keep_pairs); a mentoring program puts
    each mentor with mentees (bot.rounds.solving.group_mentoring). A program whose intros
    go across or within a category, or a mentoring program, leaves out those who have not
    picked their group in it (Unmatched.NO_CATEGORY). Raises RoundAlreadyRecorded when
    another process recorded it meanwhile: the caller rolls this transaction back."""
    rounds = work.rounds
    refused = refused_run(work, team_id, program, held_on, force)
    if refused is not None:
        return refused
    quiet: list[str] = []
    if program.kind is RoundKind.COFFEE:
        quiet = rounds.quiet_members(team_id, program.key, held_on, QUIET_INTROS)
        rounds.pause_quiet(team_id, program.key, quiet, held_on, now)
    # Skips are kept under the date of the cadence the notice named: a round run by hand on
    # another day is that cycle's round, so they hold for it too.
    cycle = round_schedule.cycle_of(held_on, rounds.schedule(team_id, program.key))
    members = available = rounds.available(team_id, program.key, held_on, cycle)
    everyone = [m.user_id for m in members]
    history = rounds.history(team_id, program.key, HISTORY_ROUNDS)
    kept: list[scoring.Group] = []
    if program.kind is RoundKind.REVERSE:
        kept, members = keep_pairs(rounds.kept_pairs(team_id, program.key, held_on), members, history, settings)
    seed = round_seed(team_id, program, held_on)
    picks: dict[str, str] = {}
    mentors: set[str] = set()
    if program.kind is RoundKind.REVERSE:
        result = solving.pair_reverse(members, history, settings, seed)
    elif program.kind is RoundKind.MENTORING:
        picks = rounds.picks(team_id, program.category, everyone) if program.category else {}
        mentors = {user_id for user_id, side in picks.items() if side == program.mentor_side}
        sided = [member for member in members if member.user_id in picks]
        result = solving.group_mentoring(sided, mentors, program.group_size, history, settings, seed)
        unpicked = set(everyone) - set(picks)  # Unmatched.NO_CATEGORY: they have no side yet
        result = replace(result, unmatched=tuple(sorted({*result.unmatched, *unpicked})))
    elif program.grouped_by is not None or program.group_size > 2:  # threes to sixes, or by a category
        picks = rounds.picks(team_id, program.grouped_by, everyone) if program.grouped_by else {}
        result = grouping.group_members(
            members, program.group_size, history, settings, seed, intro=program.intro, category=picks
        )
    else:
        seats = rounds.trio_seats(team_id, program.key, settings.cooldown_rounds)
        result = solving.pair_members(members, history, settings, seed, trio_seats=seats)
    proposals = rounds.proposals(team_id, everyone)
    labels = rounds.labels(team_id)
    met = rounds.met_before(team_id, (pair for group in [*kept, *result.groups] for pair in _pairs(group.members)))
    planned = plan_groups(kept, labels, proposals, held_on, continuing=True, met=met)
    planned += plan_groups(result.groups, labels, proposals, held_on, met=met, mentors=mentors)
    why = unmatched_reasons(program, available, result.unmatched, picks)
    if not rounds.record(team_id, program.key, held_on, now, planned, dict(zip(result.unmatched, why, strict=True))):
        raise RoundAlreadyRecorded()  # another process got there first: roll this one back
    return RoundRun(
        program,
        held_on,
        True,
        len(planned),
        sum(len(g.members) for g in planned),
        result.unmatched,
        tuple(quiet),
        tuple(planned),
        why,
        score=result.total,
        bound=result.bound,
    )


def regroup_without(work: UnitOfWork, team_id: str, gone_id: str, now: datetime) -> tuple[str, ...]:
    """`gone_id` can no longer be reached on Slack (already marked so). In each of their groups
    of a fresh round (FRESH_FOR), a member left alone is told, and in coffee chats joins the
    pair of that round they add most to, making a trio; a group of three or more goes on
    without them (an introduction still to go names only those left). Groups of older rounds
    have had their introduction: the next round pairs everyone anew. Returns who was told."""
    rounds = work.rounds
    told = []
    for group in rounds.groups_of(team_id, gone_id, held_since=now.date() - FRESH_FOR):
        if len(group.members) != 1:
            continue
        [alone] = group.members
        if group.program.kind is RoundKind.COFFEE:
            _join_a_pair(work, team_id, alone, group, now)
        rounds.queue_partner_gone(team_id, group.id, alone, now)
        told.append(alone)
    return tuple(told)


def _join_a_pair(work: UnitOfWork, team_id: str, alone: str, left: HeldGroup, now: datetime) -> None:
    """Move `alone` from the group they were `left` in to the pair of the same round they add
    most to, and queue that trio's introduction; nothing if no pair may have them."""
    rounds = work.rounds
    pairs = [group for group in rounds.groups_of_round(team_id, left.round_id) if len(group.members) == 2]
    ids = [alone, *(user_id for group in pairs for user_id in group.members)]
    people = {member.user_id: member for member in rounds.members_of(team_id, ids)}  # all still here
    history = rounds.history(team_id, left.program.key, HISTORY_ROUNDS, before=left.held_on)
    chosen = solving.pair_to_join(
        people[alone], [(people[a], people[b]) for a, b in (group.members for group in pairs)], history
    )
    if chosen is not None:
        index, trio = chosen
        teaching = _labelled(trio.teaching, rounds.labels(team_id))
        # The pair they join met in this very round: only meetings before it count.
        met = rounds.met_before(team_id, _pairs(trio.members), round_id=left.round_id)
        rounds.join_group(team_id, pairs[index].id, alone, left.id, teaching, said_reasons(trio, met), now)
