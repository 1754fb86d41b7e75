"""CommandJobRepository against real SQLite and PostgreSQL: a command's work is claimed by one
worker at a time, comes back when its worker's lease runs out or its worker has ended, and
only the worker that holds it can mark it done."""

from datetime import timedelta

from bot.deliveries import DeliveryKind
from storage.command_jobs import ACTION, COMMAND, EVENT, ClaimedJob, NewCommandJob
from tests.support.asks import NOW, TEAM

LEASE = timedelta(minutes=2)
KNOWN = frozenset({(COMMAND, "offer"), (COMMAND, "ask")})


def queue_offer(repositories, user_id: str = "UANA") -> None:
    repositories.command_jobs.queue([NewCommandJob(TEAM, user_id, "offer", "SQL", "https://hooks.example/1")], NOW)


def claim(repositories, at=NOW, claimer: str = "host:1") -> ClaimedJob | None:
    return repositories.command_jobs.claim(at, at + LEASE, KNOWN, claimer)


def test_a_queued_command_is_claimed_once_with_what_the_member_typed(repositories):
    queue_offer(repositories)

    first = claim(repositories)

    assert first is not None
    assert (first.user_id, first.name, first.argument, first.attempts) == ("UANA", "offer", "SQL", 1)
    assert first.response_url == "https://hooks.example/1"
    assert claim(repositories) is None  # held: no second worker gets it


def test_a_command_whose_lease_ran_out_is_claimed_again_and_only_the_new_claim_can_finish_it(repositories):
    queue_offer(repositories)
    stale = claim(repositories)

    again = claim(repositories, at=NOW + LEASE + timedelta(seconds=1), claimer="host:2")

    assert again is not None and again.attempts == 2
    assert repositories.command_jobs.finish(stale) is False  # its work must roll back
    assert repositories.command_jobs.finish(again) is True
    assert repositories.command_jobs.waiting() == 0


def test_the_commands_of_an_ended_worker_are_due_at_once(repositories):
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UBEN")
    claim(repositories, claimer="host:dead")
    claim(repositories, claimer="host:alive")

    released = repositories.command_jobs.release_claims(NOW, lambda claimer: claimer == "host:dead")

    assert released == 1
    taken = claim(repositories, claimer="host:3")
    assert taken is not None and (taken.user_id, taken.attempts) == ("UANA", 2)
    assert claim(repositories, claimer="host:3") is None  # the living worker keeps its own


def test_a_subcommand_this_version_does_not_know_is_left_for_one_that_does(repositories):
    repositories.command_jobs.queue([NewCommandJob(TEAM, "UANA", "mentorship", "x", "https://hooks.example/2")], NOW)

    assert claim(repositories) is None
    assert repositories.command_jobs.waiting() == 1


def test_forgetting_a_member_drops_their_commands_not_done_yet(repositories):
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UBEN")

    repositories.forgetting.forget(TEAM, "UANA", "UGONE")

    left = claim(repositories)
    assert left is not None and left.user_id == "UBEN"
    assert claim(repositories) is None


def test_giving_a_command_up_queues_one_dm_to_its_member_and_only_for_the_claim_that_holds_it(repositories):
    queue_offer(repositories)
    stale = claim(repositories)
    current = claim(repositories, at=NOW + LEASE + timedelta(seconds=1), claimer="host:2")

    assert repositories.command_jobs.give_up(stale, NOW, DeliveryKind.COMMAND_NOT_DONE) is False
    assert repositories.command_jobs.give_up(current, NOW, DeliveryKind.COMMAND_NOT_DONE) is True

    [dm] = repositories.outbox.claim(NOW, NOW + LEASE, 10)
    assert (dm.kind, dm.recipient, dm.key) == (DeliveryKind.COMMAND_NOT_DONE, "UANA", "offer")
    assert repositories.command_jobs.waiting() == 0


def test_a_click_is_claimed_with_the_request_slack_sent_and_an_action_id_longer_than_a_subcommand(repositories):
    payload = '{"body": {"type": "block_actions"}, "context": {"team_id": "T1"}}'
    action_id = "followup_choice_" + "x" * 100
    click = NewCommandJob(TEAM, "UANA", action_id, "", "https://hooks.example/3", ACTION, payload)
    repositories.command_jobs.queue([click], NOW)

    assert claim(repositories) is None  # a command's worker knows no click
    taken = repositories.command_jobs.claim(NOW, NOW + LEASE, {(ACTION, action_id)}, "host:1")

    assert taken is not None
    assert (taken.surface, taken.name, taken.payload) == (ACTION, action_id, payload)


def test_a_member_s_jobs_are_claimed_in_the_order_they_were_recorded_and_others_do_not_wait(repositories):
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UBEN")

    first = claim(repositories, claimer="host:1")
    second = claim(repositories, claimer="host:2")  # UANA's next waits for her first

    assert first is not None and second is not None
    assert (first.user_id, second.user_id) == ("UANA", "UBEN")
    assert claim(repositories, claimer="host:3") is None
    assert repositories.command_jobs.finish(first)
    later = claim(repositories, claimer="host:3")
    assert later is not None and later.user_id == "UANA" and later.id > first.id


def test_giving_up_on_an_event_nobody_made_tells_nobody(repositories):
    repositories.command_jobs.queue([NewCommandJob(TEAM, "", "team_join", "", "", EVENT, "{}")], NOW)
    job = repositories.command_jobs.claim(NOW, NOW + LEASE, {(EVENT, "team_join")}, "host:1")
    assert job is not None

    assert repositories.command_jobs.give_up(job, NOW, None) is True
    assert repositories.command_jobs.waiting() == 0
    assert repositories.outbox.claim(NOW, NOW + LEASE, 10) == []


def test_a_job_done_holds_its_members_next_until_its_worker_ends_it_or_dies(repositories):
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UBEN")
    queue_offer(repositories, "UBEN")
    anas = claim(repositories, claimer="host:1")
    bens = claim(repositories, claimer="host:dead")
    assert anas is not None and bens is not None
    assert repositories.command_jobs.mark_done(anas) and repositories.command_jobs.mark_done(bens)
    assert repositories.command_jobs.waiting() == 2  # the second of each: done ones are not waiting
    assert claim(repositories, claimer="host:2") is None  # each waits for its member's first to end

    repositories.command_jobs.release_claims(NOW, lambda claimer: claimer == "host:dead")
    after_the_dead = claim(repositories, claimer="host:2")
    assert after_the_dead is not None and after_the_dead.user_id == "UBEN"  # its worker died: ended
    assert claim(repositories, claimer="host:2") is None
    assert repositories.command_jobs.finish(anas)  # its worker ends it, Home tab redrawn
    after_the_end = claim(repositories, claimer="host:2")
    assert after_the_end is not None and after_the_end.user_id == "UANA"


def test_a_job_done_whose_worker_was_not_seen_to_die_stops_holding_its_member_once_its_lease_runs_out(repositories):
    queue_offer(repositories, "UANA")
    queue_offer(repositories, "UANA")
    elsewhere = claim(repositories, claimer="other-machine:1")
    assert elsewhere is not None and repositories.command_jobs.mark_done(elsewhere)

    later = NOW + LEASE + timedelta(seconds=1)
    next_one = claim(repositories, at=later, claimer="host:2")
    assert next_one is not None and next_one.attempts == 1  # the second offer, not the first again
    repositories.command_jobs.release_claims(later, lambda claimer: False)
    assert repositories.command_jobs.finish(elsewhere) is False  # cleared: nothing of it is left
