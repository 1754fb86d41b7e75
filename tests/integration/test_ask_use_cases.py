"""The ask use cases on the rolled-back repositories (real SQLite, and PostgreSQL when
TEST_DATABASE_URL is set): who is asked next, widening and closing, the give-first reminder,
the follow-up an accept plans, and ids from Slack that point at someone else's ask."""

from datetime import datetime, timedelta

import pytest

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy, AskStatus, CandidateStatus
from bot.asks.services import AskUnavailable
from bot.errors import InvalidInput
from bot.followups.model import FollowUpPolicy, FollowUpStatus
from bot.members import services as member_services
from bot.members.model import SkillKind, normalize_skill
from tests.support.asks import NOW, TEAM

POLICY = AskPolicy(fanout=2)
MENTORS = ("UANA", "UBEN", "UCAT", "UDAN", "UEVE")


@pytest.fixture
def work(repositories):
    """Five members who offer SQL, and an asker who offers nothing."""
    for user_id in MENTORS:
        repositories.profiles.add_skills(TEAM, user_id, SkillKind.OFFER, [normalize_skill("SQL")])
    repositories.profiles.add_skills(TEAM, "UASK", SkillKind.WANT, [normalize_skill("SQL")])
    return repositories


def ask(work, question: str = "A #sql question about joins", asker: str = "UASK", now: datetime = NOW):
    return ask_services.start_ask(work, TEAM, asker, question, now, POLICY)


def asked(routed) -> list[str]:
    return [mentor.user_id for mentor in routed.notify]


def test_an_ask_reaches_the_fanout_first_and_each_pass_brings_in_the_next_candidate(work):
    routed = ask(work)
    first, second = asked(routed)

    passed = ask_services.pass_ask(work, TEAM, routed.ask.id, first, NOW, POLICY)

    assert routed.ask.status is AskStatus.OPEN and len(set(MENTORS) & {first, second}) == 2
    assert len(passed.notify) == 1 and passed.notify[0].user_id not in (first, second)
    assert not passed.unanswered and passed.mine.user_id == first
    assert work.asks.candidate_status(routed.ask.id, first) is CandidateStatus.DECLINED


def test_when_everyone_has_passed_the_ask_closes_unanswered(work):
    routed = ask(work)
    waiting = asked(routed)
    passes = []
    while waiting:
        passed = ask_services.pass_ask(work, TEAM, routed.ask.id, waiting.pop(0), NOW, POLICY)
        waiting += asked(passed)
        passes.append(passed)

    assert len(passes) == len(MENTORS)
    assert [p.unanswered for p in passes] == [False] * (len(MENTORS) - 1) + [True]
    assert passes[-1].ask.status is AskStatus.UNANSWERED


def test_an_ask_nobody_accepts_is_widened_once_then_closed(work):
    routed = ask(work)

    widened = ask_services.expire_ask(work, routed.ask, NOW + POLICY.timeout, POLICY)
    closed = ask_services.expire_ask(work, widened.ask, NOW + 2 * POLICY.timeout, POLICY)

    assert len(widened.notify) == POLICY.fanout and not set(asked(widened)) & set(asked(routed))
    assert widened.ask.widened and widened.ask.status is AskStatus.OPEN and not widened.unanswered
    assert widened.ask.deadline_at == NOW + 2 * POLICY.timeout
    assert closed.notify == () and closed.unanswered and closed.ask.status is AskStatus.UNANSWERED
    assert {n.user_id for n in closed.closed} == set(asked(routed)) | set(asked(widened))


def test_someone_who_asks_three_times_and_offers_nothing_is_reminded_once_to_give(work):
    reminded = [
        ask(work, f"SQL question number {n}", now=NOW + timedelta(minutes=n)).give_first_reminder for n in range(4)
    ]

    assert reminded == [False, False, True, False]


def test_someone_who_offers_a_skill_is_never_reminded_to_give(work):
    work.profiles.add_skills(TEAM, "UASK", SkillKind.OFFER, [normalize_skill("Go")])

    reminded = [
        ask(work, f"SQL question number {n}", now=NOW + timedelta(minutes=n)).give_first_reminder for n in range(4)
    ]

    assert reminded == [False] * 4


def test_the_first_i_can_help_wins_closes_the_others_and_plans_the_follow_up(work):
    routed = ask(work)
    winner, other = asked(routed)

    accepted = ask_services.accept_ask(work, TEAM, routed.ask.id, winner, NOW, FollowUpPolicy())

    assert accepted.ask.status is AskStatus.MATCHED and accepted.ask.mentor_id == winner
    assert [n.user_id for n in accepted.others] == [other]
    assert accepted.followup.status is FollowUpStatus.SCHEDULED and accepted.followup.mentor_id == winner
    assert work.followups.of_ask(TEAM, routed.ask.id) == accepted.followup
    with pytest.raises(AskUnavailable) as late:
        ask_services.accept_ask(work, TEAM, routed.ask.id, other, NOW, FollowUpPolicy())
    assert late.value.reason == "matched"


def test_an_accept_plans_no_follow_up_for_a_mentee_who_turned_them_off(work):
    work.followups.set_enabled(TEAM, "UASK", False)
    routed = ask(work)

    accepted = ask_services.accept_ask(work, TEAM, routed.ask.id, asked(routed)[0], NOW, FollowUpPolicy())

    assert accepted.followup is None and work.followups.of_ask(TEAM, routed.ask.id) is None


@pytest.mark.parametrize(
    "act",
    [
        lambda work, ask_id, user: ask_services.accept_ask(work, TEAM, ask_id, user, NOW, FollowUpPolicy()),
        lambda work, ask_id, user: ask_services.pass_ask(work, TEAM, ask_id, user, NOW, POLICY),
        lambda work, ask_id, user: ask_services.cancel_ask(work, TEAM, ask_id, user, NOW),
        lambda work, ask_id, user: ask_services.choose_skill(work, TEAM, ask_id, user, "Go", NOW, POLICY),
    ],
    ids=["accept", "pass", "cancel", "choose a skill"],
)
def test_an_ask_id_that_is_not_the_members_changes_nothing(work, act):
    routed = ask(work)
    stranger = next(user for user in MENTORS if user not in asked(routed))
    other_workspace = ask_services.start_ask(work, "T2", "UASK", "A #sql question about joins", NOW, POLICY).ask

    for ask_id, user in ((routed.ask.id, stranger), (routed.ask.id + 1000, "UASK"), (other_workspace.id, "UASK")):
        with pytest.raises(AskUnavailable) as refused:
            act(work, ask_id, user)
        assert refused.value.reason == "not_yours"
    assert work.asks.get(TEAM, routed.ask.id) == routed.ask


def test_only_the_asker_can_cancel_and_only_while_nobody_has_taken_it(work):
    routed = ask(work)
    ask_services.accept_ask(work, TEAM, routed.ask.id, asked(routed)[0], NOW, FollowUpPolicy())

    with pytest.raises(AskUnavailable) as refused:
        ask_services.cancel_ask(work, TEAM, routed.ask.id, "UASK", NOW)

    assert refused.value.reason == "matched"


def test_the_find_a_mentor_modal_refuses_an_empty_question_or_a_skill_not_in_the_vocabulary(work):
    assert ask_services.check_ask(work, TEAM, "How do I index?", "sql").label == "SQL"
    with pytest.raises(InvalidInput):
        ask_services.check_ask(work, TEAM, "   ", "sql")
    with pytest.raises(InvalidInput):
        ask_services.check_ask(work, TEAM, "How do I index?", "forged")


def test_a_candidate_slack_cannot_message_is_passed_over_and_left_out_of_later_asks(work):
    routed = ask(work)
    gone = asked(routed)[0]

    member_services.set_deactivated(work, TEAM, gone, True, NOW)  # as the sender does for a DM Slack refused
    passed = ask_services.pass_unreachable(work, TEAM, routed.ask.id, gone, NOW, POLICY)
    everyone = AskPolicy(fanout=len(MENTORS))
    later = ask_services.start_ask(work, TEAM, "UNEW", "Another #sql question about joins", NOW, everyone)

    assert len(passed.notify) == 1 and passed.notify[0].user_id not in asked(routed)
    assert work.asks.candidate_status(routed.ask.id, gone) is CandidateStatus.CLOSED
    assert set(asked(later)) == set(MENTORS) - {gone}
