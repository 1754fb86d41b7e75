"""Running rounds: now (`python app.py run-round`) or on their cadence (the scheduler's
job). Its candidates' status is checked with Slack first (jobs/departures.py); a round is
recorded, with its introductions queued, before any DM goes out; the outbox then sends each
introduction once."""

import logging
from datetime import date

from bot.rounds import schedule as round_schedule
from bot.rounds import services as round_services
from bot.rounds.model import Program, ProgramStatus, RoundAlreadyRecorded, RoundKind, RoundRun
from bot.rounds.programs import ask_for_picks
from deps import Deps
from jobs import departures, outbox

logger = logging.getLogger(__name__)


def run_round(
    deps: Deps, team_id: str, program: Program, held_on: date, force: bool = False, dry_run: bool = False
) -> RoundRun:
    """The program's round held on `held_on`, unless that date has one or (without `force`)
    its cycle has one (bot.rounds.services.run_round). A `dry_run` asks no one and sends
    nothing: the round is worked out in a transaction that is rolled back."""
    if dry_run:
        with deps.store.rehearsal() as repositories:
            return round_services.run_round(repositories, team_id, program, held_on, deps.clock(), force=force)
    with deps.store.transaction() as repositories:
        refused = round_services.refused_run(repositories, team_id, program, held_on, force)
    if refused is not None:
        return refused
    # Members deactivated without Mentor hearing of it (a missed user_change) are found first,
    # so that nobody is paired with them.
    departures.check_candidates(deps, team_id, program.key, held_on)
    try:
        with deps.store.transaction() as repositories:
            run = round_services.run_round(repositories, team_id, program, held_on, deps.clock(), force=force)
    except RoundAlreadyRecorded:
        return RoundRun(program, held_on, created=False, cycle_round=held_on)
    if run.created:
        logger.info(
            "Round %s of %s on %s: %d groups, %d members, %d without a match, %d paused for not answering; %s",
            program.key,
            team_id,
            held_on,
            run.groups,
            run.members,
            len(run.unmatched),
            len(run.paused),
            share_of_bound(run),
        )
    return run


def share_of_bound(run: RoundRun) -> str:
    """How good a round's grouping is, as an operator reads it in the log: its score against
    the bound no grouping of its members can beat (bot.rounds.grouping, point 4), as
    bench/matching.py reports it; or that the engine computed none (pairs solved exactly, say)."""
    if not run.bound:
        return f"score {run.score:.1f} (no bound computed for this kind of round)"
    return f"score {run.score:.1f} of a bound of {run.bound:.1f} ({run.score / run.bound:.0%})"


def run_rounds_by_team(
    deps: Deps,
    key: str,
    team_id: str | None = None,
    held_on: date | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> list[tuple[str, RoundRun]]:
    """`python app.py run-round <program> [--team T…] [--date D] [--force] [--dry-run]`: the
    round of the program keyed `key` ("coffee", "reverse", or one of a workspace's own) held
    on `held_on` (default: today in each workspace's time zone), for every workspace with
    members in such a program, or one; then the introductions. A workspace whose cycle
    already has a round gets none unless `force` (its run says which: `cycle_round`); one
    without that program, or whose program is archived, gets none and is not listed.
    Returns (team id, run) for each workspace."""
    with deps.store.transaction() as repositories:
        teams = [team_id] if team_id else repositories.rounds.teams_in(key)
        found = {team: repositories.rounds.program(team, key) for team in teams}
        programs = {
            team: program
            for team, program in found.items()
            if program is not None and program.status is not ProgramStatus.ARCHIVED
        }
        schedules = {team: repositories.rounds.schedule(team, key) for team in programs}
    now = deps.clock()
    runs = [
        (
            team,
            run_round(deps, team, program, held_on or round_schedule.local_day(now, schedules[team]), force, dry_run),
        )
        for team, program in programs.items()
    ]
    if not dry_run:
        outbox.drain(deps)
    return runs


def run_due_rounds(deps: Deps) -> int:
    """The scheduler's job, for each program of each workspace on its own schedule: the
    day-before notices, every round whose time has come and whose cycle has none yet (one run
    by hand counts), the halfway check-ins of every coffee-chat round and the month end of
    reverse mentoring. Several processes may run it at once: the database keeps one round per
    date and one DM per member and kind. Returns the rounds started."""
    with deps.store.transaction() as repositories:
        teams = repositories.rounds.teams_in()
    started = 0
    for team_id in sorted(teams):
        try:
            started += _run_due_for(deps, team_id)
        except Exception as error:  # broad on purpose: one workspace's failure must not stop the others
            logger.error("Rounds of %s failed: %s", team_id, type(error).__name__, exc_info=error)
    outbox.drain(deps)
    return started


def _run_due_for(deps: Deps, team_id: str) -> int:
    now = deps.clock()
    due: list[tuple[Program, date]] = []
    with deps.store.transaction() as repositories:
        repository = repositories.rounds
        # A program its admins paused or archived: no notices, no rounds.
        for program in repository.programs(team_id):
            if program.status is not ProgramStatus.ACTIVE:
                continue
            schedule = repository.schedule(team_id, program.key)
            notice_day = round_schedule.notice_due(now, schedule)
            # A round whose cycle already has one (run by hand) will not happen: nobody hears of it.
            if notice_day is not None and not round_services.round_of_cycle(repositories, team_id, program, notice_day):
                repository.queue_notices(team_id, program.key, notice_day, now)
                ask_for_picks(repositories, team_id, program, notice_day, now)
            if program.kind is RoundKind.REVERSE and round_schedule.month_end_due(now, schedule):
                repository.queue_month_end(team_id, program.key, *round_schedule.month_end_between(now), now)
            if program.kind is not RoundKind.REVERSE:  # reverse pairs are asked what they learned instead
                repository.queue_checkins(team_id, program.key, *round_schedule.checkins_between(now, schedule), now)
            held_on = round_schedule.due_round(now, schedule)
            if held_on is not None:
                due.append((program, held_on))
    return sum(run_round(deps, team_id, program, held_on).created for program, held_on in due)
