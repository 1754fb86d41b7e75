"""AskRepository against real SQLite and PostgreSQL: what ranking is told, and races settled by the database."""

import dataclasses
import threading
from datetime import timedelta

from bot.asks import services as ask_services
from bot.asks.model import AskStatus, CandidateStatus
from bot.followups.model import FollowUpPolicy
from bot.members.model import SkillKind, normalize_skill
from storage.db import Store
from tests.support.asks import NOW, POLICY, TEAM, offer, start

SQL = normalize_skill("SQL")


def test_offerers_are_everyone_who_offers_the_skill_and_whether_they_were_asked_lately(repositories):
    offer(repositories, "UANA", "UBEN", "UCAT")
    offer(repositories, "UDAN", skill="Go")
    start(repositories, asker="UX1")  # notifies the three

    recent = {o.user_id: o.recently_asked for o in repositories.asks.offerers(TEAM, SQL, NOW - timedelta(days=1))}
    later = {o.user_id: o.recently_asked for o in repositories.asks.offerers(TEAM, SQL, NOW + timedelta(seconds=1))}

    assert recent == {"UANA": True, "UBEN": True, "UCAT": True}
    assert later == {"UANA": False, "UBEN": False, "UCAT": False}


def test_counted_asks_are_the_recent_ones_the_accepted_ones_and_the_unanswered_ones_apart(repositories):
    offer(repositories, "UANA", "UBEN")
    start(repositories, asker="UX1", now=NOW - POLICY.recent_window - timedelta(hours=1))  # too old to count
    taken = start(repositories, asker="UX2", now=NOW - timedelta(days=2)).ask
    ask_services.accept_ask(repositories, TEAM, taken.id, "UANA", NOW - timedelta(days=2), FollowUpPolicy())
    start(repositories, asker="UX3")  # waiting for an answer from both

    counts = repositories.asks.count_asks(TEAM, ["UANA", "UBEN", "UNOBODY"], NOW, POLICY)

    # (recent, accepted and holding a slot, waiting for an answer)
    assert counts == {"UANA": (2, 1, 1), "UBEN": (2, 0, 1)}


def test_an_accepted_ask_stops_holding_a_slot_after_two_weeks(repositories):
    offer(repositories, "UANA")
    taken = start(repositories, asker="UX1", now=NOW - POLICY.busy_after_accepting - timedelta(hours=1)).ask
    ask_services.accept_ask(
        repositories, TEAM, taken.id, "UANA", NOW - POLICY.busy_after_accepting - timedelta(hours=1), FollowUpPolicy()
    )

    assert repositories.asks.count_asks(TEAM, ["UANA"], NOW, POLICY) == {"UANA": (1, 0, 0)}


def test_queued_asks_are_listed_oldest_first_per_workspace_and_are_due_at_their_deadline(repositories):
    offer(repositories, "UANA")
    for asker in ("UX1", "UX2", "UX3"):  # UANA's three pending requests
        start(repositories, asker=asker)
    first = start(repositories, asker="UX4", now=NOW + timedelta(minutes=1)).ask
    second = start(repositories, asker="UX5", now=NOW + timedelta(minutes=2)).ask

    assert [ask.status for ask in (first, second)] == [AskStatus.QUEUED, AskStatus.QUEUED]
    assert [ask.id for ask in repositories.asks.queued(TEAM, 10)] == [first.id, second.id]
    assert repositories.asks.queued("TOTHER", 10) == []
    assert repositories.asks.teams_with_queued() == [TEAM]
    due = repositories.asks.due(NOW + timedelta(minutes=1) + POLICY.timeout)
    assert first.id in {ask.id for ask in due} and second.id not in {ask.id for ask in due}


def test_a_queued_ask_leaves_the_queue_once_however_many_free_up_at_once(repositories):
    offer(repositories, "UANA", "UBEN")
    waiting = [start(repositories, asker=f"UX{n}").ask for n in range(3)]  # three requests to each
    queued = start(repositories, asker="UQUEUE", now=NOW + timedelta(minutes=1)).ask
    assert queued.status is AskStatus.QUEUED
    ask_services.pass_ask(repositories, TEAM, waiting[0].id, "UANA", NOW, POLICY)

    first = ask_services.route_queued(repositories, TEAM, NOW + timedelta(minutes=2), POLICY)
    again = ask_services.route_queued(repositories, TEAM, NOW + timedelta(minutes=2), POLICY)

    assert [(routed.ask.id, [m.user_id for m in routed.notify]) for routed in first] == [(queued.id, ["UANA"])]
    assert again == ()
    assert not repositories.asks.transition(queued.id, {AskStatus.QUEUED}, AskStatus.OPEN, NOW)  # the fence


def test_a_mentor_who_helped_on_this_skill_is_known_and_so_is_give_and_take(repositories):
    offer(repositories, "UANA", "UBEN")
    offer(repositories, "UANA", skill="Go")
    offer(repositories, "UASK", skill="Go")
    first = start(repositories).ask
    ask_services.accept_ask(repositories, TEAM, first.id, "UANA", NOW, FollowUpPolicy())
    go = ask_services.start_ask(repositories, TEAM, "UBEN", "A #go question about joins", NOW, POLICY)
    ask_services.accept_ask(repositories, TEAM, go.ask.id, "UASK", NOW, FollowUpPolicy())

    history = repositories.asks.history_with(TEAM, "UASK", {"UANA", "UBEN", "UCAT"})

    assert history["UANA"].mentored_asker_on == (("sql", "SQL"),) and not history["UANA"].helped_by_asker
    assert history["UBEN"].helped_by_asker and history["UBEN"].mentored_asker_on == ()
    assert "UCAT" not in history


def test_only_one_of_two_racing_accepts_wins(repositories):
    offer(repositories, "UANA", "UBEN")
    ask = start(repositories).ask

    assert repositories.asks.transition(ask.id, {AskStatus.OPEN}, AskStatus.MATCHED, NOW, mentor_id="UANA")
    assert not repositories.asks.transition(ask.id, {AskStatus.OPEN}, AskStatus.MATCHED, NOW, mentor_id="UBEN")
    assert repositories.asks.get(TEAM, ask.id).mentor_id == "UANA"


def test_a_candidate_answers_once(repositories):
    offer(repositories, "UANA")
    ask = start(repositories).ask

    assert repositories.asks.respond(ask.id, "UANA", CandidateStatus.DECLINED, NOW)
    assert not repositories.asks.respond(ask.id, "UANA", CandidateStatus.ACCEPTED, NOW)


def test_due_asks_are_the_open_ones_past_their_deadline(repositories):
    offer(repositories, "UANA")
    late = start(repositories, now=NOW - POLICY.timeout - timedelta(minutes=1)).ask
    start(repositories, asker="UOTHER")

    assert [ask.id for ask in repositories.asks.due(NOW)] == [late.id]


def test_an_ask_is_invisible_from_another_workspace(repositories):
    offer(repositories, "UANA")
    ask = start(repositories).ask

    assert repositories.asks.get("T2", ask.id) is None


def test_two_transactions_freeing_mentors_at_once_send_a_queued_ask_once(migrated_engine):
    """A real race, on PostgreSQL: both rank the queued ask before either moves it; the
    guarded QUEUED -> OPEN update lets one send it and the other, once the first commits,
    finds it open. (SQLite's BEGIN IMMEDIATE runs them one after the other.)"""
    team, store = "TRACE", Store(migrated_engine)
    racing = migrated_engine.dialect.name == "postgresql"
    try:
        with store.transaction() as work:
            for user_id in ("UANA", "UBEN"):
                work.profiles.add_skills(team, user_id, SkillKind.OFFER, [SQL])
            waiting = [
                ask_services.start_ask(work, team, f"UX{n}", "A question about SQL joins", NOW, POLICY).ask
                for n in range(3)
            ]
            queued = ask_services.start_ask(work, team, "UQ", "A question about SQL joins", NOW, POLICY).ask
            assert queued.status is AskStatus.QUEUED
            ask_services.pass_ask(work, team, waiting[0].id, "UANA", NOW, POLICY)
        both_read = threading.Barrier(2, timeout=10)
        routed: list[tuple] = []

        def free_up() -> None:
            with store.transaction() as work:
                if racing:
                    work.asks.queued(team, 20)  # each sees it queued before either moves it
                    both_read.wait()
                routed.append(ask_services.route_queued(work, team, NOW, POLICY))

        threads = [threading.Thread(target=free_up) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(len(sent) for sent in routed) == [0, 1]
        with store.transaction() as work:
            assert work.asks.get(team, queued.id).status is AskStatus.OPEN
            assert work.asks.asked(queued.id) == {"UANA"}
    finally:
        with store.transaction() as work:
            work.forgetting.forget_workspace(team)


def test_a_line_full_of_one_skill_does_not_hold_back_an_ask_of_another(repositories):
    offer(repositories, "UANA")
    offer(repositories, "UGUS", skill="Go")
    for n in range(3):  # UANA's three pending requests, then more SQL asks than one page of the line
        start(repositories, asker=f"UX{n}")
    sql_line = [start(repositories, asker=f"UQ{n}", now=NOW + timedelta(seconds=n)).ask for n in range(25)]
    for n in range(3):  # UGUS's three
        start(repositories, asker=f"UY{n}", question="A question about Go channels")
    go = start(repositories, asker="UGO", question="A question about Go channels", now=NOW + timedelta(minutes=1)).ask
    assert {ask.status for ask in [*sql_line, go]} == {AskStatus.QUEUED}
    first_go = repositories.asks.pending_of(TEAM, "UY0")[0]
    ask_services.pass_ask(repositories, TEAM, first_go.id, "UGUS", NOW, POLICY)  # UGUS has room again

    routed = ask_services.route_queued(repositories, TEAM, NOW + timedelta(minutes=2), POLICY)

    assert [(sent.ask.id, [m.user_id for m in sent.notify]) for sent in routed] == [(go.id, ["UGUS"])]


def test_a_member_who_took_an_ask_from_the_channel_counts_as_helping(repositories):
    offer(repositories, "UFAY", skill="Knitting")
    repositories.profiles.save(dataclasses.replace(repositories.profiles.get(TEAM, "UFAY"), capacity=1))
    nobody = start(repositories, asker="UX1", question="How do I negotiate a raise? #negotiation").ask
    repositories.program.save_settings(
        TEAM, dataclasses.replace(repositories.program.settings(TEAM), program_channel="CPROGRAM")
    )
    posted = ask_services.post_to_channel(repositories, TEAM, nobody.id, "UX1", False, NOW, POLICY).ask
    ask_services.claim_ask(repositories, TEAM, posted.id, "UFAY", NOW, FollowUpPolicy())

    knitting = start(repositories, asker="UX2", question="How do I knit a sock heel? #knitting").ask

    assert knitting.status is AskStatus.QUEUED  # her one slot holds the question she took
