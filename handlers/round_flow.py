"""Running rounds: now (`python app.py run-round`) or on their cadence (the scheduler's
job). A round is recorded, with its introductions queued, before any DM goes out; the
outbox then sends each introduction once."""

import logging
from collections.abc import Callable
from datetime import date

from bot import rounds
from bot.rounds import RoundKind, RoundRun, Schedule
from handlers import outbox
from handlers.deps import Deps
from storage.rounds import RoundRepository

logger = logging.getLogger(__name__)


def run_round(deps: Deps, team_id: str, kind: RoundKind, held_on: date) -> RoundRun:
    try:
        with deps.store.transaction() as repositories:
            run = rounds.run_round(repositories.rounds, team_id, kind, held_on, deps.clock())
    except rounds.RoundAlreadyRecorded:
        return RoundRun(kind, held_on, created=False)
    if run.created:
        logger.info(
            "Round %s of %s on %s: %d groups, %d members, %d without a match, %d paused for not answering",
            kind.value, team_id, held_on, run.groups, run.members, len(run.unmatched), len(run.paused),
        )
    return run


def run_rounds_now(deps: Deps, kind: RoundKind, team_id: str | None = None) -> list[RoundRun]:
    """`python app.py run-round coffee|reverse [--team T…]`: today's round for every
    workspace with members in it (or one), then the introductions."""
    with deps.store.transaction() as repositories:
        teams = [team_id] if team_id else repositories.rounds.teams_in(kind)
    today = deps.clock().date()
    runs = [run_round(deps, team, kind, today) for team in teams]
    outbox.drain(deps)
    return runs


def run_due_rounds(deps: Deps) -> int:
    """The scheduler's job: the day-before notices, every round whose time has come and
    that is not recorded yet, the halfway check-ins and reverse mentoring's month end. Several processes may run it at
    once: the database keeps one round per date and one DM per member and purpose."""
    started = 0
    now = deps.clock()
    schedule = Schedule()
    for kind in RoundKind:
        notice_day = rounds.notice_due(kind, now, schedule)
        if notice_day is not None:
            _each_workspace(deps, kind, lambda repository, team_id: repository.queue_notices(team_id, kind, notice_day, now))
    month = rounds.month_end_due(now, schedule)
    if month is not None:
        _each_workspace(deps, RoundKind.REVERSE, lambda repository, team_id: repository.queue_month_end(team_id, month, now))
    checkin_day = rounds.checkin_due(now, schedule)
    if checkin_day is not None:
        _each_workspace(deps, RoundKind.COFFEE, lambda repository, team_id: repository.queue_checkins(team_id, checkin_day, now))
    for kind in RoundKind:
        held_on = rounds.due_round(kind, now, schedule)
        if held_on is None:
            continue
        with deps.store.transaction() as repositories:
            teams = repositories.rounds.teams_in(kind)
        for team_id in teams:
            try:
                started += run_round(deps, team_id, kind, held_on).created
            except Exception as error:  # noqa: BLE001 - one workspace's failure must not stop the others
                logger.error("Round %s for %s failed: %s", kind.value, team_id, type(error).__name__, exc_info=error)
    outbox.drain(deps)
    return started



def _each_workspace(deps: Deps, kind: RoundKind, work: Callable[[RoundRepository, str], object]) -> None:
    """`work` for every workspace with members in `kind`, each in its own transaction."""
    with deps.store.transaction() as repositories:
        teams = repositories.rounds.teams_in(kind)
    for team_id in teams:
        with deps.store.transaction() as repositories:
            work(repositories.rounds, team_id)
