"""The follow-up use cases on the rolled-back repositories: only the mentee answers and only
the mentor asks how it went, whatever id a button carries; "Ask how it went" plans a
follow-up an older ask never had."""

import pytest

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy
from bot.followups import services as followup_services
from bot.followups.model import FollowUpPolicy, FollowUpRefused, FollowUpStatus
from bot.members.model import SkillKind, normalize_skill
from tests.support.asks import NOW, TEAM


def helped(repositories, followups_on: bool = True):
    """UANA said "I can help" with UASK's ask; the accepted ask."""
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, [normalize_skill("SQL")])
    repositories.followups.set_enabled(TEAM, "UASK", followups_on)
    routed = ask_services.start_ask(repositories, TEAM, "UASK", "A #sql question about joins", NOW, AskPolicy())
    return ask_services.accept_ask(repositories, TEAM, routed.ask.id, "UANA", NOW, FollowUpPolicy())


@pytest.mark.parametrize(
    "act",
    [
        lambda work, followup_id, user: followup_services.answer(
            work, TEAM, followup_id, user, "helped", NOW, FollowUpPolicy()
        ),
        lambda work, followup_id, user: followup_services.add_note(work, TEAM, followup_id, user, "Hi", None, NOW),
        lambda work, followup_id, user: followup_services.report_now(work, TEAM, followup_id, user, NOW),
        lambda work, followup_id, user: followup_services.share(work, TEAM, followup_id, user, True, NOW),
        lambda work, followup_id, user: followup_services.own_followup(work, TEAM, followup_id, user),
    ],
    ids=["answer", "add a note", "send now", "let it count", "open the note modal"],
)
def test_a_follow_up_id_that_is_not_the_mentees_changes_nothing(repositories, act):
    followup = helped(repositories).followup

    for followup_id, user in ((followup.id, "USTRANGER"), (followup.id + 1000, "UASK")):
        with pytest.raises(FollowUpRefused) as refused:
            act(repositories, followup_id, user)
        assert refused.value.reason == "not_yours"
    assert repositories.followups.get(TEAM, followup.id) == followup


def test_only_the_mentor_can_reply_or_ask_how_it_went(repositories):
    accepted = helped(repositories)

    with pytest.raises(FollowUpRefused) as reply:
        followup_services.own_followup(repositories, TEAM, accepted.followup.id, "UASK", as_mentor=True)
    with pytest.raises(FollowUpRefused) as asking:
        followup_services.ask_how_it_went(repositories, TEAM, accepted.ask.id, "UASK", NOW)

    assert reply.value.reason == asking.value.reason == "not_the_mentor"


def test_nobody_but_the_mentor_can_plan_a_follow_up_with_ask_how_it_went(repositories):
    accepted = helped(repositories, followups_on=False)
    repositories.followups.set_enabled(TEAM, "UASK", True)

    for ask_id, user in ((accepted.ask.id, "UASK"), (accepted.ask.id, "USTRANGER"), (accepted.ask.id + 1000, "UANA")):
        with pytest.raises(FollowUpRefused) as refused:
            followup_services.ask_how_it_went(repositories, TEAM, ask_id, user, NOW)
        assert refused.value.reason == "not_the_mentor"
    assert repositories.followups.of_ask(TEAM, accepted.ask.id) is None


def test_ask_how_it_went_plans_a_follow_up_for_an_ask_that_had_none(repositories):
    accepted = helped(repositories, followups_on=False)
    assert accepted.followup is None
    with pytest.raises(FollowUpRefused) as off:
        followup_services.ask_how_it_went(repositories, TEAM, accepted.ask.id, "UANA", NOW)
    repositories.followups.set_enabled(TEAM, "UASK", True)

    planned = followup_services.ask_how_it_went(repositories, TEAM, accepted.ask.id, "UANA", NOW)

    assert off.value.reason == "followups_off"
    assert planned.status is FollowUpStatus.SCHEDULED and (planned.mentee_id, planned.mentor_id) == ("UASK", "UANA")
    assert repositories.followups.of_ask(TEAM, accepted.ask.id) == planned
