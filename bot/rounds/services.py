"""Round use cases: joining, leaving, pausing and resuming, and running a round:
members -> matching engine -> groups recorded, with an introduction queued for each
group in the same transaction."""

import hashlib
from datetime import date, datetime
from typing import Protocol

from bot.rounds import scoring, solving
from bot.rounds.model import (
    QUIET_INTROS,
    Membership,
    PlannedGroup,
    RoundAlreadyRecorded,
    RoundKind,
    RoundRun,
    parse_pause,
)

HISTORY_ROUNDS = 24  # rounds looked back on: the cooldown, and "met before" beyond it


FIRST_QUESTIONS = (
    "What's something you've changed your mind about at work this year?",
    "What are you trying to get better at right now, and what's in the way?",
    "What's a piece of advice you were given that turned out to be right?",
    "What does a good week look like for you?",
    "What's something your team does that others could learn from?",
    "What would you do with an extra hour a week at work?",
)


class RoundRepository(Protocol):
    def membership(self, team_id: str, user_id: str) -> Membership: ...
    def set_opt_in(self, team_id: str, user_id: str, kind: RoundKind, joined: bool) -> None: ...
    def set_paused(self, team_id: str, user_id: str, until: date | None) -> None: ...
    def available(self, team_id: str, kind: RoundKind, today: date) -> list[scoring.Member]: ...
    def labels(self, team_id: str) -> dict[str, str]: ...
    def history(self, team_id: str, kind: RoundKind, rounds: int) -> dict[frozenset[str], int]: ...
    def proposals(self, team_id: str, user_ids: list[str]) -> dict[str, int]: ...
    def record(
        self,
        team_id: str,
        kind: RoundKind,
        held_on: date,
        now: datetime,
        groups: list[PlannedGroup],
        unmatched: tuple[str, ...],
    ) -> bool: ...
    def is_recorded(self, team_id: str, kind: RoundKind, held_on: date) -> bool: ...
    def quiet_members(self, team_id: str, before: date, count: int) -> list[str]: ...
    def pause_quiet(self, team_id: str, user_ids: list[str], held_on: date, now: datetime) -> None: ...


def join(rounds: RoundRepository, team_id: str, user_id: str, kind: RoundKind) -> Membership:
    rounds.set_opt_in(team_id, user_id, kind, True)
    return rounds.membership(team_id, user_id)


def leave(rounds: RoundRepository, team_id: str, user_id: str, kind: RoundKind) -> Membership:
    rounds.set_opt_in(team_id, user_id, kind, False)
    return rounds.membership(team_id, user_id)


def pause(rounds: RoundRepository, team_id: str, user_id: str, text: str, today: date) -> Membership:
    rounds.set_paused(team_id, user_id, parse_pause(text, today))
    return rounds.membership(team_id, user_id)


def resume(rounds: RoundRepository, team_id: str, user_id: str) -> Membership:
    rounds.set_paused(team_id, user_id, None)
    return rounds.membership(team_id, user_id)


def _first_question(members: tuple[str, ...], held_on: date) -> str:
    digest = hashlib.sha256(f"{held_on.isoformat()}:{','.join(members)}".encode()).digest()
    return FIRST_QUESTIONS[digest[0] % len(FIRST_QUESTIONS)]


def plan_groups(
    result: scoring.Matching, labels: dict[str, str], proposals: dict[str, int], held_on: date
) -> list[PlannedGroup]:
    """The engine's groups as the introductions will show them. The one asked to propose a
    time is whoever has been asked least so far (then by id): everyone's turn comes."""
    planned = []
    for group in result.groups:
        if len(group.members) < 2:
            continue
        proposer = min(group.members, key=lambda user_id: (proposals.get(user_id, 0), user_id))
        proposals[proposer] = proposals.get(proposer, 0) + 1
        planned.append(
            PlannedGroup(
                members=group.members,
                proposer=proposer,
                teaching=tuple(
                    (t.teacher, t.learner, tuple(labels.get(key, key) for key in t.skills)) for t in group.teaching
                ),
                reasons=group.reasons,
                question=_first_question(group.members, held_on),
            )
        )
    return planned


def run_round(
    rounds: RoundRepository,
    team_id: str,
    kind: RoundKind,
    held_on: date,
    now: datetime,
    settings: scoring.MatchSettings = scoring.MatchSettings(),
) -> RoundRun:
    """Pair everyone available and record the round with its introductions queued; a
    round already recorded for this workspace, kind and date is left as it is. Coffee
    members who left QUIET_INTROS introductions in a row without a word are paused first,
    and told so."""
    if rounds.is_recorded(team_id, kind, held_on):
        return RoundRun(kind, held_on, created=False)
    quiet: list[str] = []
    if kind is RoundKind.COFFEE:
        quiet = rounds.quiet_members(team_id, held_on, QUIET_INTROS)
        rounds.pause_quiet(team_id, quiet, held_on, now)
    members = rounds.available(team_id, kind, held_on)
    history = rounds.history(team_id, kind, HISTORY_ROUNDS)
    pair = solving.pair_members if kind is RoundKind.COFFEE else solving.pair_reverse
    result = pair(members, history, settings)
    proposals = rounds.proposals(team_id, [m.user_id for m in members])
    planned = plan_groups(result, rounds.labels(team_id), proposals, held_on)
    if not rounds.record(team_id, kind, held_on, now, planned, result.unmatched):
        raise RoundAlreadyRecorded()  # another process got there first: roll this one back
    return RoundRun(
        kind, held_on, True, len(planned), sum(len(g.members) for g in planned), result.unmatched, tuple(quiet)
    )
