"""AskRepository against real SQLite and PostgreSQL: what ranking is told, and races settled by the database."""

from datetime import datetime, timedelta, timezone

from bot import asking
from bot.asks import AskPolicy, AskStatus, CandidateStatus
from bot.skills import SkillKind, normalize_skill

TEAM = "T1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
POLICY = AskPolicy()
SQL = normalize_skill("SQL")


def offer(repositories, *user_ids: str, skill: str = "SQL") -> None:
    for user_id in user_ids:
        repositories.profiles.add_skills(TEAM, user_id, SkillKind.OFFER, [normalize_skill(skill)])


def start(repositories, asker: str = "UASK", question: str = "A SQL question", now: datetime = NOW):
    return asking.start_ask(repositories.asks, repositories.profiles, TEAM, asker, question, now, POLICY)


def by_user(candidates) -> dict:
    return {candidate.user_id: candidate for candidate in candidates}


def test_candidates_are_everyone_who_offers_the_skill_with_their_load(repositories):
    offer(repositories, "UANA", "UBEN", "UCAT")
    offer(repositories, "UDAN", skill="Go")
    start(repositories, asker="UX1")  # notifies the three: one open ask each

    found = by_user(repositories.asks.mentor_candidates(TEAM, SQL, "UASK", NOW, POLICY))

    assert set(found) == {"UANA", "UBEN", "UCAT"}
    assert all(candidate.recent_asks == 1 and candidate.open_asks == 1 for candidate in found.values())


def test_asks_older_than_the_window_no_longer_count_as_recent(repositories):
    offer(repositories, "UANA")
    start(repositories, asker="UX1", now=NOW - POLICY.recent_window - timedelta(hours=1))

    [candidate] = repositories.asks.mentor_candidates(TEAM, SQL, "UASK", NOW, POLICY)

    assert candidate.recent_asks == 0


def test_a_mentor_who_helped_on_this_skill_is_known_and_so_is_give_and_take(repositories):
    offer(repositories, "UANA", "UBEN")
    offer(repositories, "UANA", skill="Go")
    offer(repositories, "UASK", skill="Go")
    first = start(repositories).ask
    asking.accept_ask(repositories.asks, TEAM, first.id, "UANA", NOW)
    go = asking.start_ask(repositories.asks, repositories.profiles, TEAM, "UBEN", "A #go question", NOW, POLICY)
    asking.accept_ask(repositories.asks, TEAM, go.ask.id, "UASK", NOW)

    found = by_user(repositories.asks.mentor_candidates(TEAM, SQL, "UASK", NOW, POLICY))

    assert found["UANA"].helped_asker_on_skill and not found["UANA"].helped_by_asker
    assert found["UBEN"].helped_by_asker and not found["UBEN"].helped_asker_on_skill


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
