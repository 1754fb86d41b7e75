"""Running rounds by hand in tests, as `python app.py run-round` does (jobs.rounds)."""

from datetime import date

from bot.rounds.model import RoundKind, RoundRun
from deps import Deps
from jobs.rounds import run_rounds_by_team


def run_rounds_now(
    deps: Deps,
    kind: RoundKind,
    team_id: str | None = None,
    held_on: date | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> list[RoundRun]:
    """The runs of jobs.rounds.run_rounds_by_team, without their workspaces."""
    return [run for _, run in run_rounds_by_team(deps, kind, team_id, held_on, force, dry_run)]
