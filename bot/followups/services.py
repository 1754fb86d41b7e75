"""Use cases of closing the loop. Each is handed the unit of work (bot.unit_of_work) and the
time, applies one step of bot.followups.model, and returns the follow-up as it now stands;
the caller owns the transaction and sends the queued direct messages afterwards.

A refusal is a FollowUpRefused whose `reason` says why: the follow-up is not this member's
("not_yours", "not_the_mentor"), their follow-ups are off ("followups_off"), or a click
and the job kept racing for it ("busy")."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.asks.model import Ask
from bot.followups import model as machine
from bot.followups.model import FollowUp, FollowUpPolicy, FollowUpRefused, FollowUpStatus, Step
from bot.followups.repository import FollowUpRepository
from bot.unit_of_work import UnitOfWork

# A click and the job may compute a step from the same version; the loser tries again
# on the fresh state, a few times at most.
ATTEMPTS = 3


def policy_for(work: UnitOfWork, team_id: str, days_override: int | None) -> FollowUpPolicy:
    """The workspace's follow-up delay, unless the deployment overrides it (MENTOR_FOLLOWUP_DAYS)."""
    days = work.followups.followup_days(team_id) if days_override is None else days_override
    return FollowUpPolicy(delay=timedelta(days=days))


def schedule_after_accept(work: UnitOfWork, ask: Ask, now: datetime, policy: FollowUpPolicy) -> FollowUp | None:
    """A mentor said "I can help": plan to ask the mentee how it went. None when the
    mentee has turned follow-ups off."""
    followups = work.followups
    if ask.mentor_id is None or not followups.enabled_for(ask.team_id, ask.asker_id):
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
        if followups.apply(machine.with_redraw(step), now):
            return replace(step.after, version=followup.version + 1)
    raise FollowUpRefused("busy")


def advance_due(
    work: UnitOfWork, team_id: str, followup_id: int, now: datetime, policy: FollowUpPolicy
) -> FollowUp | None:
    """The job's step for one follow-up whose due time has come; None when it is gone, or
    was moved by a click in the meantime (the next run looks again)."""
    followups = work.followups
    try:
        return _change(
            followups,
            team_id,
            followup_id,
            now,
            lambda followup: machine.due_step(followup, now, followups.zone_of(team_id, followup.mentee_id), policy),
        )
    except FollowUpRefused:
        return None


def answer(
    work: UnitOfWork,
    team_id: str,
    followup_id: int,
    user_id: str,
    choice: str,
    now: datetime,
    policy: FollowUpPolicy,
) -> FollowUp:
    """The mentee's answer: It helped, Mixed, Didn't help, Not yet or Not relevant. Raises
    FollowUpRefused."""
    followups = work.followups
    return _change(
        followups,
        team_id,
        followup_id,
        now,
        lambda followup: machine.answer(followup, user_id, choice, now, followups.zone_of(team_id, user_id), policy),
    )


def add_note(
    work: UnitOfWork,
    team_id: str,
    followup_id: int,
    user_id: str,
    text: str | None,
    shared: bool | None,
    now: datetime,
) -> FollowUp:
    """The mentee's note for their mentor (and, unless None, whether the answer counts).
    Raises FollowUpRefused."""
    return _change(work.followups, team_id, followup_id, now, lambda f: machine.add_note(f, user_id, text, shared))


def in_thread(
    work: UnitOfWork, team_id: str, channel: str, thread_ts: str, ts: str, user_id: str, text: str, now: datetime
) -> tuple[FollowUp, bool] | None:
    """A message in the thread of one of a follow-up's DMs: the mentee's note until the mentor
    has heard how it went, then a message for the other of the pair. (The follow-up, whether
    it is relayed); None if the thread is not a follow-up's. Raises FollowUpRefused."""
    followup = work.followups.by_message(team_id, channel, thread_ts)
    if followup is None:
        return None
    if user_id == followup.mentee_id and not machine.mentor_told(followup):
        return add_note(work, team_id, followup.id, user_id, text, None, now), False
    return relay(work, team_id, followup.id, user_id, text, f"ts:{ts}", now), True


def relay(
    work: UnitOfWork, team_id: str, followup_id: int, user_id: str, text: str | None, source: str, now: datetime
) -> FollowUp:
    """What one of the pair wrote to the other (in a thread, or the mentor's reply modal):
    kept and queued to reach the other once, whatever `source` repeats it. Raises FollowUpRefused."""
    followup = work.followups.get(team_id, followup_id)
    if followup is None:
        raise FollowUpRefused("not_yours")
    recipient, message = machine.relay_to(followup, user_id, text)
    message_id, _ = work.followups.record_message(team_id, followup.id, user_id, source, message, now)
    work.followups.queue_relay(followup, recipient, message_id, now)
    return followup


def report_now(work: UnitOfWork, team_id: str, followup_id: int, user_id: str, now: datetime) -> FollowUp:
    """ "Send without a note": the mentor hears the outcome now. Raises FollowUpRefused."""
    return _change(work.followups, team_id, followup_id, now, lambda f: machine.report_now(f, user_id))


def share(work: UnitOfWork, team_id: str, followup_id: int, user_id: str, shared: bool, now: datetime) -> FollowUp:
    """ "Let it count", anonymised, in the program's figures, or not. Raises FollowUpRefused."""
    return _change(work.followups, team_id, followup_id, now, lambda f: machine.share(f, user_id, shared))


def ask_how_it_went(work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime) -> FollowUp:
    """ "Ask how it went", from the group DM or the mentor's Home tab. An ask taken before
    follow-ups existed gets one now. Raises FollowUpRefused for anyone but the ask's mentor,
    or when the mentee turned follow-ups off."""
    followups = work.followups
    ask = work.asks.get(team_id, ask_id)
    if ask is None or ask.mentor_id != user_id:
        raise FollowUpRefused("not_the_mentor")
    followup = followups.of_ask(team_id, ask_id)
    if followup is None:
        if not followups.enabled_for(team_id, ask.asker_id):
            raise FollowUpRefused("followups_off")
        zone = followups.zone_of(team_id, ask.asker_id)
        due = machine.next_working_time(now, zone)
        created = followups.create(team_id, ask.id, ask.asker_id, user_id, ask.matched_at or now, due)
        if created is None:
            raise FollowUpRefused("busy")
        return created
    return _change(
        followups,
        team_id,
        followup.id,
        now,
        lambda f: machine.ask_how_it_went(f, user_id, now, followups.zone_of(team_id, f.mentee_id)),
    )


def switch(work: UnitOfWork, team_id: str, user_id: str, enabled: bool, now: datetime) -> list[FollowUp]:
    """Turn the member's follow-ups on or off; off cancels the ones still open, returned."""
    work.followups.set_enabled(team_id, user_id, enabled)
    return [] if enabled else cancel_open(work, team_id, user_id, now)


def cancel_open(work: UnitOfWork, team_id: str, mentee_id: str, now: datetime) -> list[FollowUp]:
    """Stop asking the mentee (follow-ups off, or Slack can no longer reach them): their open
    follow-ups are cancelled, with the prompts still to go; answers already given stand.
    Returns the ones cancelled."""
    followups = work.followups
    cancelled = []
    for followup in followups.open_of_mentee(team_id, mentee_id):
        try:
            after = _change(followups, team_id, followup.id, now, machine.cancel)
        except FollowUpRefused:
            continue
        if after.status is FollowUpStatus.CANCELLED:
            cancelled.append(after)
    return cancelled


def own_followup(work: UnitOfWork, team_id: str, followup_id: int, user_id: str, as_mentor: bool = False) -> FollowUp:
    """The follow-up, if this member is its mentee (or mentor); ids from Slack are not trusted.
    Raises FollowUpRefused."""
    followup = work.followups.get(team_id, followup_id)
    if followup is None:
        raise FollowUpRefused("not_yours")
    if (followup.mentor_id if as_mentor else followup.mentee_id) != user_id:
        raise FollowUpRefused("not_the_mentor" if as_mentor else "not_yours", followup)
    return followup
