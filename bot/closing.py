"""Use cases of closing the loop. Each is handed the repository and the time, applies
one step of bot.followups, and returns the follow-up as it now stands; the caller owns
the transaction and sends the queued direct messages afterwards."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from bot import followups as machine
from bot.asks import Ask
from bot.followup_messages import AdviceGiven
from bot.followups import FollowUp, FollowUpPolicy, FollowUpRefused, FollowUpStatus, Step

# A click and the job may compute a step from the same version; the loser tries again
# on the fresh state, a few times at most.
ATTEMPTS = 3


class FollowUpRepository(Protocol):
    def followup_days(self, team_id: str) -> int: ...
    def zone_of(self, team_id: str, user_id: str) -> tzinfo: ...
    def enabled_for(self, team_id: str, user_id: str) -> bool: ...
    def set_enabled(self, team_id: str, user_id: str, enabled: bool) -> None: ...
    def create(
        self, team_id: str, ask_id: int, mentee_id: str, mentor_id: str, helped_at: datetime, due_at: datetime
    ) -> FollowUp | None: ...
    def get(self, team_id: str, followup_id: int) -> FollowUp | None: ...
    def of_ask(self, team_id: str, ask_id: int) -> FollowUp | None: ...
    def apply(self, step: Step, now: datetime) -> bool: ...
    def open_of_mentee(self, team_id: str, mentee_id: str) -> list[FollowUp]: ...
    def waiting_for(self, team_id: str, mentee_id: str) -> list[FollowUp]: ...
    def advice_given(self, team_id: str, mentor_id: str, limit: int) -> list[AdviceGiven]: ...
    def by_message(self, team_id: str, channel: str, ts: str) -> FollowUp | None: ...


def policy_for(followups: FollowUpRepository, team_id: str, days_override: int | None) -> FollowUpPolicy:
    """The workspace's follow-up delay, unless the deployment overrides it (MENTOR_FOLLOWUP_DAYS)."""
    days = followups.followup_days(team_id) if days_override is None else days_override
    return FollowUpPolicy(delay=timedelta(days=days))


def schedule_after_accept(
    followups: FollowUpRepository, ask: Ask, now: datetime, policy: FollowUpPolicy
) -> FollowUp | None:
    """A mentor said "I can help": plan to ask the mentee how it went. None when the
    mentee has turned follow-ups off."""
    if not followups.enabled_for(ask.team_id, ask.asker_id):
        return None
    due = machine.first_due(now, followups.zone_of(ask.team_id, ask.asker_id), policy)
    return followups.create(ask.team_id, ask.id, ask.asker_id, ask.mentor_id, now, due)


def _change(
    followups: FollowUpRepository,
    team_id: str,
    followup_id: int,
    now: datetime,
    compute: Callable[[FollowUp], Step | None],
) -> FollowUp:
    """Load, compute the step, apply it; on a lost race, again on the fresh state."""
    for _ in range(ATTEMPTS):
        followup = followups.get(team_id, followup_id)
        if followup is None:
            raise FollowUpRefused("not_yours")
        step = compute(followup)
        if step is None or step.after == followup:
            return followup
        if followups.apply(step, now):
            return replace(step.after, version=followup.version + 1)
    raise FollowUpRefused("busy")


def advance_due(
    followups: FollowUpRepository, team_id: str, followup_id: int, now: datetime, policy: FollowUpPolicy
) -> FollowUp | None:
    """The job's step for one follow-up whose due time has come."""
    try:
        return _change(
            followups,
            team_id,
            followup_id,
            now,
            lambda followup: machine.due_step(followup, now, followups.zone_of(team_id, followup.mentee_id), policy),
        )
    except FollowUpRefused:
        return None  # gone, or moved by a click in the meantime: the next run looks again


def answer(
    followups: FollowUpRepository,
    team_id: str,
    followup_id: int,
    user_id: str,
    choice: str,
    now: datetime,
    policy: FollowUpPolicy,
) -> FollowUp:
    return _change(
        followups,
        team_id,
        followup_id,
        now,
        lambda followup: machine.answer(followup, user_id, choice, now, followups.zone_of(team_id, user_id), policy),
    )


def add_note(
    followups: FollowUpRepository,
    team_id: str,
    followup_id: int,
    user_id: str,
    text: str | None,
    shared: bool | None,
    now: datetime,
) -> FollowUp:
    return _change(followups, team_id, followup_id, now, lambda f: machine.add_note(f, user_id, text, shared))


def note_in_thread(
    followups: FollowUpRepository, team_id: str, channel: str, thread_ts: str, user_id: str, text: str, now: datetime
) -> FollowUp | None:
    """A reply in the thread of a prompt or reminder; None if the thread is not a follow-up's."""
    followup = followups.by_message(team_id, channel, thread_ts)
    if followup is None:
        return None
    return add_note(followups, team_id, followup.id, user_id, text, None, now)


def report_now(followups: FollowUpRepository, team_id: str, followup_id: int, user_id: str, now: datetime) -> FollowUp:
    return _change(followups, team_id, followup_id, now, lambda f: machine.report_now(f, user_id))


def share(
    followups: FollowUpRepository, team_id: str, followup_id: int, user_id: str, shared: bool, now: datetime
) -> FollowUp:
    return _change(followups, team_id, followup_id, now, lambda f: machine.share(f, user_id, shared))


def reply_to_note(
    followups: FollowUpRepository, team_id: str, followup_id: int, user_id: str, text: str | None, now: datetime
) -> FollowUp:
    return _change(followups, team_id, followup_id, now, lambda f: machine.reply_to_note(f, user_id, text))


def ask_how_it_went(
    followups: FollowUpRepository, asks, team_id: str, ask_id: int, user_id: str, now: datetime
) -> FollowUp:
    """ "Ask how it went", from the group DM or the mentor's Home tab. An ask taken before
    follow-ups existed gets one now."""
    ask = asks.get(team_id, ask_id)
    if ask is None or ask.mentor_id != user_id:
        raise FollowUpRefused("not_the_mentor")
    followup = followups.of_ask(team_id, ask_id)
    if followup is None:
        if not followups.enabled_for(team_id, ask.asker_id):
            raise FollowUpRefused("followups_off")
        zone = followups.zone_of(team_id, ask.asker_id)
        due = machine.next_working_time(now, zone)
        return followups.create(team_id, ask.id, ask.asker_id, user_id, ask.matched_at or now, due)
    return _change(
        followups,
        team_id,
        followup.id,
        now,
        lambda f: machine.ask_how_it_went(f, user_id, now, followups.zone_of(team_id, f.mentee_id)),
    )


def switch(followups: FollowUpRepository, team_id: str, user_id: str, enabled: bool, now: datetime) -> list[FollowUp]:
    """Turn the member's follow-ups on or off; off cancels the ones still open, returned."""
    followups.set_enabled(team_id, user_id, enabled)
    if enabled:
        return []
    cancelled = []
    for followup in followups.open_of_mentee(team_id, user_id):
        try:
            after = _change(followups, team_id, followup.id, now, machine.cancel)
        except FollowUpRefused:
            continue
        if after.status is FollowUpStatus.CANCELLED:
            cancelled.append(after)
    return cancelled


def own_followup(
    followups: FollowUpRepository, team_id: str, followup_id: int, user_id: str, as_mentor: bool = False
) -> FollowUp:
    """The follow-up, if this member is its mentee (or mentor); ids from Slack are not trusted."""
    followup = followups.get(team_id, followup_id)
    if followup is None:
        raise FollowUpRefused("not_yours")
    if (followup.mentor_id if as_mentor else followup.mentee_id) != user_id:
        raise FollowUpRefused("not_the_mentor" if as_mentor else "not_yours", followup)
    return followup
