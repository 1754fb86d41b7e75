"""OutboxRepository against real SQLite and PostgreSQL: a claimed delivery comes back with its
kind and the row it is about, typed, and a kind this version does not know is left alone."""

from datetime import date, timedelta

from bot.asks.services import direct_messages, on_screen
from bot.deliveries import DeliveryKind
from bot.rounds.model import PlannedGroup, RoundKind, Unmatched
from storage import models
from storage.outbox import About, queue_deliveries
from tests.support.asks import NOW, TEAM, offer, start

LEASE = timedelta(minutes=10)


def claim_all(repositories):
    return repositories.outbox.claim(NOW, NOW + LEASE, 100)


def test_a_claim_carries_the_kind_and_what_it_is_about_as_queued(repositories):
    held_on = date(2026, 11, 23)
    queued = {
        DeliveryKind.WELCOME: About.welcome("UNEW"),
        DeliveryKind.ROUND_NOTICE: About.round_notice("reverse", held_on),
        DeliveryKind.ROUND_UNMATCHED: About.round_unmatched("coffee", held_on),
        DeliveryKind.ROUND_QUIET: About.round_quiet("coffee", held_on),
        DeliveryKind.ROUND_ANNOUNCEMENT: About.round_announcement(7, "eng-nyc", held_on),
    }
    for kind, about in queued.items():
        queue_deliveries(repositories.session, TEAM, about, [("UA", kind, kind.value)], NOW)

    claimed = {claim.kind: claim.about for claim in claim_all(repositories)}

    assert claimed == queued
    assert claimed[DeliveryKind.ROUND_QUIET].program == "coffee"
    assert claimed[DeliveryKind.ROUND_ANNOUNCEMENT].program == "eng-nyc"


def test_a_round_queues_each_introduction_about_its_group(repositories):
    group = PlannedGroup(members=("UA", "UB"), proposer="UA", teaching=(), reasons=(), question="Why?")
    unmatched = {"UC": Unmatched.NO_FIT}
    repositories.rounds.record(TEAM, RoundKind.COFFEE, date(2026, 11, 23), NOW, [group], unmatched=unmatched)

    claimed = {claim.kind: claim for claim in claim_all(repositories)}

    intro, unmatched = claimed[DeliveryKind.ROUND_INTRODUCTION], claimed[DeliveryKind.ROUND_UNMATCHED]
    assert intro.recipient == "UA,UB" and intro.about.group_id is not None
    assert repositories.rounds.checkin_answer(TEAM, intro.about.group_id) == (("UA", "UB"), None, None)
    assert (unmatched.recipient, unmatched.about.program, unmatched.about.held_on) == (
        "UC",
        "coffee",
        date(2026, 11, 23),
    )


def test_a_kind_this_version_does_not_know_is_left_for_a_sender_that_does(repositories):
    repositories.session.add(
        models.Delivery(
            team_id=TEAM,
            subject="from-a-newer-version:1",
            kind="newer_kind",
            recipient="UA",
            key="newer_kind",
            status="pending",
            available_at=NOW - timedelta(hours=1),  # due first
            attempts=0,
            created_at=NOW,
        )
    )
    repositories.profiles.queue_welcome(TEAM, "UNEW", NOW)

    claimed = claim_all(repositories)

    assert [claim.kind for claim in claimed] == [DeliveryKind.WELCOME]
    assert repositories.outbox.counts(TEAM) == {"pending": 1, "sending": 1}


def test_each_new_asks_first_request_goes_ahead_of_the_others_and_of_a_round_queued_before(repositories):
    """A round's DMs queued first, then two asks' requests: the sender takes each ask's
    best-ranked request, then the asks' other requests, then the round, the oldest first."""
    held_on = date(2026, 11, 23)
    notices = [(user, DeliveryKind.ROUND_NOTICE, "notice") for user in ("UR1", "UR2")]
    queue_deliveries(repositories.session, TEAM, About.round_notice(RoundKind.COFFEE, held_on), notices, NOW)
    offer(repositories, "UANA", "UBEN")
    later = NOW + timedelta(minutes=1)
    best, rest = [], []
    for asker in ("UASK", "UOTHER"):
        routed = start(repositories, asker=asker, now=later)
        repositories.asks.queue_dms(routed.ask, direct_messages(routed), later, on_screen=on_screen(routed))
        best.append((routed.ask.id, routed.notify[0].user_id))
        rest += [(routed.ask.id, mentor.user_id) for mentor in routed.notify[1:]]

    claimed = repositories.outbox.claim(later, later + LEASE, 100)

    order = [(claim.about.ask_id, claim.recipient) for claim in claimed]
    assert len(rest) == 2
    assert order == [*best, *rest, (None, "UR1"), (None, "UR2")]


def test_one_sender_at_a_time_holds_a_workspaces_lane_until_its_lease_runs_out(repositories):
    outbox = repositories.outbox
    for team in (TEAM, "TOTHER"):
        queue_deliveries(repositories.session, team, About.welcome("UA"), [("UA", DeliveryKind.WELCOME, "w")], NOW)
    assert sorted(team for team, _ in outbox.workspaces_due(NOW)) == sorted([TEAM, "TOTHER"])

    assert outbox.take_lane(TEAM, "host:1/1", NOW, NOW + LEASE) is not None
    assert outbox.take_lane(TEAM, "host:2/1", NOW, NOW + LEASE) is None
    assert [team for team, _ in outbox.workspaces_due(NOW)] == ["TOTHER"]  # the other sender's to send

    later = NOW + LEASE
    assert outbox.take_lane(TEAM, "host:2/1", later, later + LEASE) is not None  # the first one went quiet
    assert not outbox.renew_lane(TEAM, "host:1/1", later + LEASE)
    assert not outbox.release_lane(TEAM, "host:1/1", 0.0, "{}")


def test_a_lane_let_go_hands_its_pace_on_to_the_next_holder(repositories):
    outbox = repositories.outbox
    queue_deliveries(repositories.session, TEAM, About.welcome("UA"), [("UA", DeliveryKind.WELCOME, "w")], NOW)
    outbox.take_lane(TEAM, "host:1/1", NOW, NOW + LEASE)

    assert outbox.release_lane(TEAM, "host:1/1", 1234.5, '{"conversations.open": [1200.0]}')

    assert outbox.workspaces_due(NOW) == [(TEAM, 1234.5)]
    taken = outbox.take_lane(TEAM, "host:2/1", NOW, NOW + LEASE)
    assert taken is not None and taken.paced_calls == '{"conversations.open": [1200.0]}'


def queue_welcomes(repositories, count: int) -> None:
    for n in range(count):
        user_id = f"U{n:03d}"
        queue_deliveries(
            repositories.session, TEAM, About.welcome(user_id), [(user_id, DeliveryKind.WELCOME, "w")], NOW
        )


def test_a_lane_claims_its_next_deliveries_at_once_and_a_sender_whose_lease_ran_out_records_nothing(repositories):
    queue_welcomes(repositories, 5)
    outbox = repositories.outbox

    first = outbox.claim(NOW, NOW + LEASE, 3, claimer="host:1", team_id=TEAM)
    assert [(claim.recipient, claim.attempts, claim.in_flight) for claim in first] == [
        ("U000", 1, False),
        ("U001", 1, False),
        ("U002", 1, False),
    ]
    assert [claim.recipient for claim in outbox.claim(NOW, NOW + LEASE, 5, team_id=TEAM)] == ["U003", "U004"]

    later = NOW + LEASE  # the first sender went quiet: its claims are taken over, as in flight
    second = outbox.claim(later, later + LEASE, 5, claimer="host:2", team_id=TEAM)
    assert [(claim.recipient, claim.attempts, claim.in_flight) for claim in second[:3]] == [
        ("U000", 2, True),
        ("U001", 2, True),
        ("U002", 2, True),
    ]
    assert not outbox.sent_together([(first[0], "D000", "1.0")], later)  # too late: not its claim any more
    assert not outbox.give_back(first[1:], later)
    assert outbox.sent_together([(second[0], "D000", "2.0")], later)
    assert outbox.counts(TEAM) == {"sent": 1, "sending": 4}


def test_claims_given_back_untried_go_again_at_once_as_if_never_claimed(repositories):
    queue_welcomes(repositories, 3)
    outbox = repositories.outbox
    held = outbox.claim(NOW, NOW + LEASE, 3, claimer="host:1", team_id=TEAM)
    assert outbox.retry_later(held[0], NOW, "timeout")  # tried once: Slack's answer was unclear
    [retried] = outbox.claim(NOW, NOW + LEASE, 1, claimer="host:1", team_id=TEAM)

    assert outbox.give_back([retried, *held[1:]], NOW) == 3

    again = outbox.claim(NOW, NOW + LEASE, 3, claimer="host:2", team_id=TEAM)
    # Untried here: as before the claim, the retry's first try still counted (so it looks before posting).
    assert [(claim.recipient, claim.attempts, claim.in_flight) for claim in again] == [
        ("U000", 2, False),
        ("U001", 1, False),
        ("U002", 1, False),
    ]


def test_a_claim_in_flight_given_back_stays_in_flight(repositories):
    queue_welcomes(repositories, 1)
    outbox = repositories.outbox
    outbox.claim(NOW, NOW + LEASE, 1, claimer="host:1", team_id=TEAM)  # and that sender died
    later = NOW + LEASE
    [taken_over] = outbox.claim(later, later + LEASE, 1, claimer="host:2", team_id=TEAM)

    assert outbox.give_back([taken_over], later) == 1

    [again] = outbox.claim(later, later + LEASE, 1, claimer="host:3", team_id=TEAM)
    assert (again.attempts, again.in_flight) == (3, True)  # it may be in Slack: look before posting
