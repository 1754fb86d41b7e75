"""Follow-ups and the outbox against real SQLite and PostgreSQL: a step applies once, a
DM is queued once, and a claimed DM belongs to one sender."""

from datetime import timedelta

from bot.asks import services as ask_services
from bot.deliveries import DeliveryKind
from bot.followups import services as followup_services
from bot.followups.model import FollowUpPolicy, FollowUpStatus, due_step
from tests.support.asks import NOW, TEAM, offer, start

LEASE = timedelta(minutes=10)


def accepted_followup(repositories, delay_days: int = 0):
    offer(repositories, "UANA")
    ask = start(repositories).ask
    policy = FollowUpPolicy(delay=timedelta(days=delay_days))
    return ask_services.accept_ask(repositories, TEAM, ask.id, "UANA", NOW, policy).followup


def test_an_accepted_ask_gets_one_follow_up_however_often_it_is_scheduled(repositories):
    followup = accepted_followup(repositories)
    again = repositories.followups.create(TEAM, followup.ask_id, "UASK", "UANA", NOW, NOW)

    assert again.id == followup.id and followup.status is FollowUpStatus.SCHEDULED
    assert followup.question == "A question about SQL joins" and followup.skill.label == "SQL"


def test_two_steps_computed_from_the_same_version_apply_once_and_queue_one_dm(repositories):
    followup = accepted_followup(repositories)
    step = due_step(followup, NOW, repositories.followups.zone_of(TEAM, "UASK"), FollowUpPolicy())

    assert repositories.followups.apply(step, NOW) is True
    assert repositories.followups.apply(step, NOW) is False  # a second job run, or a racing click
    stored = repositories.followups.get(TEAM, followup.id)
    assert (stored.status, stored.cycle, stored.version) == (FollowUpStatus.SENT, 1, 1)
    assert len(repositories.outbox.claim(NOW, NOW + LEASE, 10)) == 1


def test_a_claim_is_exclusive_until_its_lease_runs_out(repositories):
    followup = accepted_followup(repositories)
    followup_services.advance_due(repositories, TEAM, followup.id, NOW, FollowUpPolicy())

    [claim] = repositories.outbox.claim(NOW, NOW + LEASE, 10)
    assert repositories.outbox.claim(NOW, NOW + LEASE, 10) == []  # another sender gets nothing
    later = NOW + LEASE
    [reclaim] = repositories.outbox.claim(later, later + LEASE, 10)  # the first sender went quiet

    assert (claim.kind, claim.recipient, claim.in_flight) == (DeliveryKind.FOLLOWUP_PROMPT, "UASK", False)
    assert reclaim.id == claim.id and reclaim.in_flight and reclaim.attempts == 2
    assert not repositories.outbox.sent_together([(claim, "DUASK", "1.1")], later)  # the stale sender wakes up: ignored
    assert repositories.outbox.counts(TEAM) == {"sending": 1}
    assert repositories.outbox.sent_together([(reclaim, "DUASK", "1.2")], later)
    assert repositories.outbox.counts(TEAM) == {"sent": 1}
    assert repositories.followups.by_message(TEAM, "DUASK", "1.2").id == followup.id


def test_an_answer_cancels_the_prompt_still_queued(repositories):
    followup = accepted_followup(repositories)
    sent = followup_services.advance_due(repositories, TEAM, followup.id, NOW, FollowUpPolicy())
    followup_services.answer(repositories, TEAM, sent.id, "UASK", "not_relevant", NOW, FollowUpPolicy())

    # The prompt's redraw stays queued: its sender finds no prompt in Slack and drops it.
    assert repositories.outbox.counts(TEAM) == {"cancelled": 1, "pending": 1}


def test_turning_follow_ups_off_cancels_open_ones_and_plans_no_new_ones(repositories):
    followup = accepted_followup(repositories, delay_days=7)

    cancelled = followup_services.switch(repositories, TEAM, "UASK", False, NOW)

    assert [f.id for f in cancelled] == [followup.id]
    assert repositories.followups.get(TEAM, followup.id).status is FollowUpStatus.CANCELLED
    second = start(repositories, question="Another SQL question").ask
    accepted = ask_services.accept_ask(repositories, TEAM, second.id, "UANA", NOW, FollowUpPolicy())
    assert accepted.followup is None
    assert followup_services.schedule_after_accept(repositories, accepted.ask, NOW, FollowUpPolicy()) is None


def test_only_the_claims_of_ended_processes_are_taken_over(repositories):
    import os
    import socket
    import subprocess

    from jobs.outbox import gone

    ended = subprocess.Popen(["true"])  # a process that has come and gone
    ended.wait()
    dead_pid = ended.pid
    host = socket.gethostname()
    for asker in ("UASK", "UBOB"):
        offer(repositories, "UANA")
        ask = start(repositories, asker=asker).ask
        ask_services.accept_ask(repositories, TEAM, ask.id, "UANA", NOW, FollowUpPolicy(delay=timedelta(0)))
    for team_id, followup_id in repositories.followups.due(NOW, 10):
        followup_services.advance_due(repositories, team_id, followup_id, NOW, FollowUpPolicy())
    [alive] = repositories.outbox.claim(NOW, NOW + LEASE, 1, claimer=f"{host}:{os.getpid()}")
    [dead] = repositories.outbox.claim(NOW, NOW + LEASE, 1, claimer=f"{host}:{dead_pid}")

    assert repositories.outbox.release_claims(NOW, gone) == 1
    [taken_over] = repositories.outbox.claim(NOW, NOW + LEASE, 10)
    assert (taken_over.id, taken_over.in_flight) == (dead.id, True) and alive.id != dead.id
