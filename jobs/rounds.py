"""Running rounds: now (`python app.py run-round`) or on their cadence (the scheduler's
job). Its candidates' status is checked with Slack first (jobs/departures.py); a round is
recorded, with its introductions queued, before any DM goes out; the outbox then sends each
introduction once."""

import logging
from datetime import date

from bot.rounds import schedule as round_schedule
from bot.rounds import services as round_services
from bot.rounds.model import RoundAlreadyRecorded, RoundKind, RoundRun
from deps import Deps
from jobs import departures, outbox

logger = logging.getLogger(__name__)


def run_round(
    deps: Deps, team_id: str, kind: RoundKind, held_on: date, force: bool = False, dry_run: bool = False
) -> RoundRun:
    """The round of `kind` held on `held_on`, unless that date has one or (without `force`)
    its cycle has one (bot.rounds.services.run_round). A `dry_run` asks no one and sends
    nothing: the round is worked out in a transaction that is rolled back."""
    if dry_run:
        with deps.store.rehearsal() as repositories:
            return round_services.run_round(repositories, team_id, kind, held_on, deps.clock(), force=force)
    with deps.store.transaction() as repositories:
        refused = round_services.refused_run(repositories, team_id, kind, held_on, force)
    if refused is not None:
        return refused
    # Members deactivated without Mentor hearing of it (a missed user_change) are found first,
    # so that nobody is paired with them.
    departures.check_candidates(deps, team_id, kind, held_on)
    try:
        with deps.store.transaction() as repositories:
            run = round_services.run_round(repositories, team_id, kind, held_on, deps.clock(), force=force)
    except RoundAlreadyRecorded:
        return RoundRun(kind, held_on, created=False, cycle_round=held_on)
    if run.created:
        logger.info(
            "Round %s of %s on %s: %d groups, %d members, %d without a match, %d paused for not answering",
            kind.value,
            team_id,
            held_on,
            run.groups,
            run.members,
            len(run.unmatched),
            len(run.paused),
        )
    return run


def run_rounds_by_team(
    deps: Deps,
    kind: RoundKind,
    team_id: str | None = None,
    held_on: date | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> list[tuple[str, RoundRun]]:
    """`python app.py run-round coffee|reverse [--team T…] [--date D] [--force] [--dry-run]`:
    the round held on `held_on` (default: today in each workspace's time zone), for every
    workspace with members in it, or one; then the introductions. A workspace whose cycle
    already has a round gets none unless `force` (its run says which: `cycle_round`).
    Returns (team id, run) for each workspace."""
    with deps.store.transaction() as repositories:
        teams = [team_id] if team_id else repositories.rounds.teams_in(kind)
        schedules = {team: repositories.rounds.schedule(team) for team in teams}
    now = deps.clock()
    runs = [
        (team, run_round(deps, team, kind, held_on or round_schedule.local_day(now, schedules[team]), force, dry_run))
        for team in teams
    ]
    if not dry_run:
        outbox.drain(deps)
    return runs


def run_due_rounds(deps: Deps) -> int:
    """The scheduler's job, for each workspace on its own schedule: the day-before notices,
    every round whose time has come and whose cycle has none yet (one run by hand counts),
    the halfway check-ins of every coffee round and reverse mentoring's month end. Several
    processes may run it at once: the database keeps one round per date and one DM per member
    and kind. Returns the rounds started."""
    with deps.store.transaction() as repositories:
        teams = sorted({team for kind in RoundKind for team in repositories.rounds.teams_in(kind)})
    started = 0
    for team_id in teams:
        try:
            started += _run_due_for(deps, team_id)
        except Exception as error:  # broad on purpose: one workspace's failure must not stop the others
            logger.error("Rounds of %s failed: %s", team_id, type(error).__name__, exc_info=error)
    outbox.drain(deps)
    return started


def _run_due_for(deps: Deps, team_id: str) -> int:
    now = deps.clock()
    with deps.store.transaction() as repositories:
        repository = repositories.rounds
        schedule = repository.schedule(team_id)
        # Reverse mentoring switched off by the workspace's admins: no notices, no rounds.
        kinds = [
            kind
            for kind in RoundKind
            if kind is RoundKind.COFFEE or repositories.program.settings(team_id).reverse_enabled
        ]
        for kind in kinds:
            notice_day = round_schedule.notice_due(kind, now, schedule)
            # A round whose cycle already has one (run by hand) will not happen: nobody hears of it.
            if notice_day is None or round_services.round_of_cycle(repositories, team_id, kind, notice_day):
                continue
            repository.queue_notices(team_id, kind, notice_day, now)
        if round_schedule.month_end_due(now, schedule):
            repository.queue_month_end(team_id, *round_schedule.month_end_between(now), now)
        repository.queue_checkins(team_id, *round_schedule.checkins_between(now, schedule), now)
    started = 0
    for kind in kinds:
        held_on = round_schedule.due_round(kind, now, schedule)
        if held_on is not None:
            started += run_round(deps, team_id, kind, held_on).created
    return started
