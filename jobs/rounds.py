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


def run_round(deps: Deps, team_id: str, kind: RoundKind, held_on: date) -> RoundRun:
    with deps.store.transaction() as repositories:
        recorded = repositories.rounds.is_recorded(team_id, kind, held_on)
    if recorded:
        return RoundRun(kind, held_on, created=False)
    # Members deactivated without Mentor hearing of it (a missed user_change) are found first,
    # so that nobody is paired with them.
    departures.check_candidates(deps, team_id, kind, held_on)
    try:
        with deps.store.transaction() as repositories:
            run = round_services.run_round(repositories, team_id, kind, held_on, deps.clock())
    except RoundAlreadyRecorded:
        return RoundRun(kind, held_on, created=False)
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


def run_rounds_now(deps: Deps, kind: RoundKind, team_id: str | None = None) -> list[RoundRun]:
    """`python app.py run-round coffee|reverse [--team T…]`: today's round (today in each
    workspace's time zone) for every workspace with members in it, or one; then the
    introductions."""
    with deps.store.transaction() as repositories:
        teams = [team_id] if team_id else repositories.rounds.teams_in(kind)
        schedules = {team: repositories.rounds.schedule(team) for team in teams}
    now = deps.clock()
    runs = [run_round(deps, team, kind, round_schedule.local_day(now, schedules[team])) for team in teams]
    outbox.drain(deps)
    return runs


def run_due_rounds(deps: Deps) -> int:
    """The scheduler's job, for each workspace on its own schedule: the day-before notices,
    every round whose time has come and that is not recorded yet, the halfway check-ins and
    reverse mentoring's month end. Several processes may run it at once: the database keeps
    one round per date and one DM per member and kind. Returns the rounds started."""
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
            if notice_day is not None:
                repository.queue_notices(team_id, kind, notice_day, now)
        month = round_schedule.month_end_due(now, schedule)
        if month is not None:
            repository.queue_month_end(team_id, month, now)
        checkin_day = round_schedule.checkin_due(now, schedule)
        if checkin_day is not None:
            repository.queue_checkins(team_id, checkin_day, now)
    started = 0
    for kind in kinds:
        held_on = round_schedule.due_round(kind, now, schedule)
        if held_on is not None:
            started += run_round(deps, team_id, kind, held_on).created
    return started
