"""AskRepository against real SQLite and PostgreSQL: what ranking is told, and races settled by the database."""

from datetime import timedelta

from bot.asks import services as ask_services
from bot.asks.model import AskStatus, CandidateStatus
from bot.followups.model import FollowUpPolicy
from bot.members.model import normalize_skill
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


def test_counted_asks_are_the_recent_ones_and_the_ones_held_open(repositories):
    offer(repositories, "UANA", "UBEN")
    start(repositories, asker="UX1", now=NOW - POLICY.recent_window - timedelta(hours=1))  # too old to count
    taken = start(repositories, asker="UX2", now=NOW - timedelta(days=2)).ask
    ask_services.accept_ask(repositories, TEAM, taken.id, "UANA", NOW - timedelta(days=2), FollowUpPolicy())
    start(repositories, asker="UX3")  # waiting for an answer from both

    counts = repositories.asks.count_asks(TEAM, ["UANA", "UBEN", "UNOBODY"], NOW, POLICY)

    assert counts == {"UANA": (2, 2), "UBEN": (2, 1)}


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
