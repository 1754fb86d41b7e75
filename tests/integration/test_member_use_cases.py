"""The member use cases on the rolled-back repositories: what the profile modal says of rounds,
members leaving and coming back, the welcome, and forgetting a member with open asks."""

import pytest

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy, AskStatus
from bot.followups.model import FollowUpPolicy
from bot.members import services as member_services
from bot.members.model import NotAMember, Profile, RoundPreferences, SkillKind, Standing, normalize_skill
from bot.program.model import ProgramSettings
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
    assert membership.programs == {"reverse"}
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
    assert membership.programs == {"coffee"}
    assert repositories.rounds.never_of(TEAM, "UANA") == ["UBEN"]
    assert repositories.rounds.situations_of(TEAM, "UANA") == {"first_job"}


def test_a_member_deactivated_in_slack_leaves_every_round_and_one_reactivated_is_reachable_again(repositories):
    for kind in (RoundKind.COFFEE, RoundKind.REVERSE):
        round_services.join(repositories, TEAM, "UANA", kind)

    member_services.set_deactivated(repositories, TEAM, "UANA", True, NOW)
    gone = repositories.rounds.membership(TEAM, "UANA")
    round_services.join(repositories, TEAM, "UANA", RoundKind.COFFEE)
    absent = repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())
    member_services.set_deactivated(repositories, TEAM, "UANA", False, NOW)

    assert gone.programs == frozenset() and absent == []
    assert [m.user_id for m in repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())] == ["UANA"]


def test_a_newcomer_is_welcomed_once(repositories):
    assert member_services.welcome(repositories, TEAM, "UNEW", Standing.MEMBER, NOW) is True
    assert member_services.welcome(repositories, TEAM, "UNEW", Standing.MEMBER, NOW) is False


def test_forgetting_a_member_withdraws_their_open_asks_first(repositories):
    repositories.profiles.add_skills(TEAM, "UBEN", SkillKind.OFFER, [normalize_skill("SQL")])
    open_ask = ask_services.start_ask(repositories, TEAM, "UANA", "A #sql question about joins", NOW, AskPolicy()).ask

    forgotten, withdrawn = member_services.forget_member(repositories, TEAM, "UANA", "XTOMB", NOW)

    assert [cancelled.ask.id for cancelled in withdrawn] == [open_ask.id]
    assert [n.user_id for n in withdrawn[0].closed] == ["UBEN"]
    assert withdrawn[0].ask.status is AskStatus.CANCELLED and forgotten.asks == 1
    assert repositories.asks.pending_of(TEAM, "UANA") == []


def test_an_ask_taken_while_its_asker_is_forgotten_does_not_stop_the_forgetting(repositories, monkeypatch):
    repositories.profiles.add_skills(TEAM, "UBEN", SkillKind.OFFER, [normalize_skill("SQL")])
    open_ask = ask_services.start_ask(repositories, TEAM, "UANA", "A #sql question about joins", NOW, AskPolicy()).ask
    stale = repositories.asks.pending_of(TEAM, "UANA")  # read just before UBEN's "I can help" lands
    ask_services.accept_ask(repositories, TEAM, open_ask.id, "UBEN", NOW, FollowUpPolicy())
    monkeypatch.setattr(AskRepository, "pending_of", lambda self, team_id, user_id: stale)

    forgotten, withdrawn = member_services.forget_member(repositories, TEAM, "UANA", "XTOMB", NOW)

    assert withdrawn == [] and forgotten.asks == 1  # the taken ask's question went with the rest


def offer_sql(repositories, user_id: str) -> None:
    repositories.profiles.add_skills(TEAM, user_id, SkillKind.OFFER, [normalize_skill("SQL")])


def test_what_slack_says_of_someone_is_kept_only_on_a_row_they_already_have(repositories):
    assert member_services.admit(repositories, TEAM, "UNEW") is None  # unknown: the caller asks Slack
    assert member_services.admit(repositories, TEAM, "UNEW", Standing.MEMBER) is Standing.MEMBER
    assert repositories.profiles.get(TEAM, "UNEW") is None  # still nobody's profile

    with pytest.raises(NotAMember) as refused:
        member_services.admit(repositories, TEAM, "UEXT", Standing.OUTSIDER)
    assert refused.value.standing is Standing.OUTSIDER and repositories.profiles.get(TEAM, "UEXT") is None

    offer_sql(repositories, "UANA")
    member_services.note_standing(repositories, TEAM, "UANA", Standing.MEMBER, NOW)
    assert member_services.admit(repositories, TEAM, "UANA") is Standing.MEMBER  # no need to ask again


def test_an_old_row_refused_as_a_guest_keeps_that_standing_and_leaves_the_rounds(repositories):
    """A row from before standings were kept, whose member became a guest unheard: what Slack
    says is recorded, and they leave the rounds, even though the request is then refused."""
    offer_sql(repositories, "UOLD")
    round_services.join(repositories, TEAM, "UOLD", RoundKind.COFFEE)

    member_services.note_standing(repositories, TEAM, "UOLD", Standing.GUEST, NOW)
    with pytest.raises(NotAMember):
        member_services.admit(repositories, TEAM, "UOLD", Standing.GUEST)

    assert repositories.profiles.standing(TEAM, "UOLD") is Standing.GUEST
    assert "coffee" not in repositories.rounds.membership(TEAM, "UOLD").programs


def test_a_guest_takes_part_only_while_the_program_includes_guests(repositories):
    offer_sql(repositories, "UGIA")
    round_services.join(repositories, TEAM, "UGIA", RoundKind.COFFEE)
    member_services.note_standing(repositories, TEAM, "UGIA", Standing.GUEST, NOW)

    with pytest.raises(NotAMember):
        member_services.admit(repositories, TEAM, "UGIA")
    assert "coffee" not in repositories.rounds.membership(TEAM, "UGIA").programs  # left, not deactivated
    [offerer] = repositories.asks.offerers(TEAM, normalize_skill("SQL"), NOW)
    assert offerer.deactivated is True
    assert member_services.welcome(repositories, TEAM, "UNEWGUEST", Standing.GUEST, NOW) is False

    repositories.program.save_settings(TEAM, ProgramSettings(guests_included=True))

    assert member_services.admit(repositories, TEAM, "UGIA") is Standing.GUEST
    [offerer] = repositories.asks.offerers(TEAM, normalize_skill("SQL"), NOW)
    assert offerer.deactivated is False
    round_services.join(repositories, TEAM, "UGIA", RoundKind.COFFEE)
    round_services.join(repositories, TEAM, "UANA", RoundKind.COFFEE)
    available = repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())
    assert sorted(m.user_id for m in available) == ["UANA", "UGIA"]
    assert member_services.welcome(repositories, TEAM, "UNEWGUEST", Standing.GUEST, NOW) is True


def test_an_outsider_saved_before_standings_were_kept_is_left_out_once_slack_says_so(repositories):
    offer_sql(repositories, "UEXT")  # a row from before migration 0009: nothing known of them
    round_services.join(repositories, TEAM, "UEXT", RoundKind.COFFEE)
    round_services.join(repositories, TEAM, "UANA", RoundKind.COFFEE)

    member_services.note_standing(repositories, TEAM, "UEXT", Standing.OUTSIDER, NOW)

    assert [m.user_id for m in repositories.rounds.available(TEAM, RoundKind.COFFEE, NOW.date())] == ["UANA"]
    [offerer] = repositories.asks.offerers(TEAM, normalize_skill("SQL"), NOW)
    assert offerer.deactivated is True
