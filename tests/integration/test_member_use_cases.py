"""The member use cases on the rolled-back repositories: what the profile modal says of rounds,
members leaving and coming back, the welcome, and forgetting a member with open asks."""

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy, AskStatus
from bot.followups.model import FollowUpPolicy
from bot.members import services as member_services
from bot.members.model import Profile, RoundPreferences, SkillKind, normalize_skill
from bot.rounds import services as round_services
from bot.rounds.model import RoundKind
from storage.asks import AskRepository
from tests.support.asks import NOW, TEAM

PROFILE = Profile(TEAM, "UANA", offers=(normalize_skill("SQL"),), objectives="Lead a release")


def test_the_profile_modal_sets_never_pairs_rounds_and_situations_with_the_profile(repositories):
    round_services.join(repositories, TEAM, "UANA", RoundKind.COFFEE)
    preferences = RoundPreferences(
        never=("UBEN", "UCAT"), rounds=frozenset({RoundKind.REVERSE}), situations=frozenset({"new_country"})
    )

    saved = member_services.save_profile(repositories, PROFILE, preferences)

    membership = repositories.rounds.membership(TEAM, "UANA")
    assert saved.objectives == "Lead a release" and repositories.profiles.get(TEAM, "UANA") == saved
    assert (membership.in_coffee, membership.in_reverse) == (False, True)
    assert repositories.rounds.never_of(TEAM, "UANA") == ["UBEN", "UCAT"]
    assert repositories.rounds.situations_of(TEAM, "UANA") == {"new_country"}


def test_what_the_profile_modal_did_not_hold_stays_as_it_was(repositories):
    member_services.save_profile(
        repositories,
        PROFILE,
        RoundPreferences(never=("UBEN",), rounds=frozenset({RoundKind.COFFEE}), situations=frozenset({"first_job"})),
    )

    member_services.save_profile(repositories, PROFILE, RoundPreferences())

    membership = repositories.rounds.membership(TEAM, "UANA")
    assert (membership.in_coffee, membership.in_reverse) == (True, False)
    assert repositories.rounds.never_of(TEAM, "UANA") == ["UBEN"]
    assert repositories.rounds.situations_of(TEAM, "UANA") == {"first_job"}


def test_a_member_deactivated_in_slack_leaves_every_round_and_one_reactivated_is_reachable_again(repositories):
    for kind in RoundKind:
        round_services.join(repositories, TEAM, "UANA", kind)

    member_services.set_deactivated(repositories, TEAM, "UANA", True, NOW)
    gone = repositories.rounds.membership(TEAM, "UANA")
    round_services.join(repositories, TEAM, "UANA", RoundKind.COFFEE)
    absent = repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())
    member_services.set_deactivated(repositories, TEAM, "UANA", False, NOW)

    assert (gone.in_coffee, gone.in_reverse) == (False, False) and absent == []
    assert [m.user_id for m in repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())] == ["UANA"]


def test_a_newcomer_is_welcomed_once(repositories):
    assert member_services.welcome(repositories, TEAM, "UNEW", NOW) is True
    assert member_services.welcome(repositories, TEAM, "UNEW", NOW) is False


def test_forgetting_a_member_withdraws_their_open_asks_first(repositories):
    repositories.profiles.add_skills(TEAM, "UBEN", SkillKind.OFFER, [normalize_skill("SQL")])
    open_ask = ask_services.start_ask(repositories, TEAM, "UANA", "A #sql question", NOW, AskPolicy()).ask

    forgotten, withdrawn = member_services.forget_member(repositories, TEAM, "UANA", "XTOMB", NOW)

    assert [cancelled.ask.id for cancelled in withdrawn] == [open_ask.id]
    assert [n.user_id for n in withdrawn[0].closed] == ["UBEN"]
    assert withdrawn[0].ask.status is AskStatus.CANCELLED and forgotten.asks == 1
    assert repositories.asks.pending_of(TEAM, "UANA") == []


def test_an_ask_taken_while_its_asker_is_forgotten_does_not_stop_the_forgetting(repositories, monkeypatch):
    repositories.profiles.add_skills(TEAM, "UBEN", SkillKind.OFFER, [normalize_skill("SQL")])
    open_ask = ask_services.start_ask(repositories, TEAM, "UANA", "A #sql question", NOW, AskPolicy()).ask
    stale = repositories.asks.pending_of(TEAM, "UANA")  # read just before UBEN's "I can help" lands
    ask_services.accept_ask(repositories, TEAM, open_ask.id, "UBEN", NOW, FollowUpPolicy())
    monkeypatch.setattr(AskRepository, "pending_of", lambda self, team_id, user_id: stale)

    forgotten, withdrawn = member_services.forget_member(repositories, TEAM, "UANA", "XTOMB", NOW)

    assert withdrawn == [] and forgotten.asks == 1  # the taken ask's question went with the rest
