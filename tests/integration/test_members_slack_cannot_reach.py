"""A member Slack can no longer reach, on the rolled-back repositories (SQLite and PostgreSQL):
marked gone by the one use case, whoever they leave alone in a fresh round is told once and,
in coffee chats, joins another pair of it; and which candidates Slack is asked about before
a round."""

from datetime import date, timedelta

from sqlalchemy import select

from bot.deliveries import DeliveryKind
from bot.members import services as member_services
from bot.members.model import SkillKind, Standing, normalize_skill
from bot.rounds import services as round_services
from bot.rounds.model import COFFEE, REVERSE, PartnerGone, PlannedGroup, RoundKind
from storage import models
from tests.support.asks import NOW, TEAM

MONDAY = NOW.date()


def held(repositories, *groups: tuple[str, ...], kind: RoundKind = RoundKind.COFFEE, on: date = MONDAY) -> list[int]:
    """A round of `kind` held `on` that day with these groups, every member opted in; their ids."""
    for user_id in {user_id for group in groups for user_id in group}:
        round_services.join(repositories, TEAM, user_id, kind)
    planned = [PlannedGroup(members=g, proposer=g[0], teaching=(), reasons=(), question="Why?") for g in groups]
    assert repositories.rounds.record(TEAM, kind, on, NOW, planned, {})
    return [group.id for group in repositories.rounds.groups_of_round(TEAM, _round_id(repositories, kind, on))]


def _round_id(repositories, kind: RoundKind, on: date) -> int:
    return repositories.session.scalar(
        select(models.Round.id).where(
            models.Round.team_id == TEAM, models.Round.kind == kind.value, models.Round.held_on == on
        )
    )


def queued(repositories, kind: DeliveryKind) -> list[tuple[str, str]]:
    """(recipient, status) of the deliveries of `kind`."""
    rows = repositories.session.execute(
        select(models.Delivery.recipient, models.Delivery.status)
        .where(models.Delivery.kind == kind.value)
        .order_by(models.Delivery.id)
    )
    return [tuple(row) for row in rows]


def test_someone_left_alone_in_a_fresh_coffee_round_joins_the_other_pair_and_is_told_once(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, [normalize_skill("SQL")])
    repositories.profiles.add_skills(TEAM, "UCAT", SkillKind.WANT, [normalize_skill("SQL")])
    left, other = held(repositories, ("UANA", "UBEN"), ("UCAT", "UDAN"))

    told = member_services.set_deactivated(repositories, TEAM, "UBEN", True, NOW + timedelta(days=1))
    again = member_services.set_deactivated(repositories, TEAM, "UBEN", True, NOW + timedelta(days=1))

    assert (told, again) == (("UANA",), ())
    intro = repositories.rounds.introduction(TEAM, other, "UCAT,UDAN,UANA")
    assert intro.group.members == ("UCAT", "UDAN", "UANA") and intro.joined == ("UANA",)
    assert intro.group.teaching == (("UANA", "UCAT", ("SQL",)),)
    assert repositories.rounds.partner_gone(TEAM, left, "UANA") == PartnerGone(COFFEE, ("UBEN",), ("UCAT", "UDAN"))
    assert queued(repositories, DeliveryKind.ROUND_INTRODUCTION) == [
        ("UANA,UBEN", "pending"),  # renders as nobody now: UANA moved, UBEN gone
        ("UCAT,UDAN", "cancelled"),  # had not gone yet: the trio's goes instead
        ("UCAT,UDAN,UANA", "pending"),
    ]
    assert repositories.rounds.introduction(TEAM, left, "UANA,UBEN") is None
    assert queued(repositories, DeliveryKind.ROUND_PARTNER_GONE) == [("UANA", "pending")]
    next_round = repositories.rounds.history(TEAM, RoundKind.COFFEE, 6)
    assert frozenset({"UANA", "UBEN"}) not in next_round and frozenset({"UANA", "UCAT"}) in next_round


def test_a_pair_someone_never_wants_to_meet_is_not_joined_and_they_are_told_they_are_in_next_time(repositories):
    left, _ = held(repositories, ("UANA", "UBEN"), ("UCAT", "UDAN"))
    repositories.rounds.set_never(TEAM, "UDAN", ["UANA"])

    told = member_services.set_deactivated(repositories, TEAM, "UBEN", True, NOW)

    assert told == ("UANA",)
    assert repositories.rounds.partner_gone(TEAM, left, "UANA") == PartnerGone(COFFEE, ("UBEN",))


def test_nobody_is_regrouped_or_told_once_the_round_is_no_longer_fresh(repositories):
    held(repositories, ("UANA", "UBEN"), ("UCAT", "UDAN"))

    told = member_services.set_deactivated(repositories, TEAM, "UBEN", True, NOW + timedelta(days=4))

    assert told == () and queued(repositories, DeliveryKind.ROUND_PARTNER_GONE) == []
    assert [
        g.members for g in repositories.rounds.groups_of_round(TEAM, _round_id(repositories, RoundKind.COFFEE, MONDAY))
    ] == [
        ("UANA",),
        ("UCAT", "UDAN"),
    ]


def test_in_reverse_mentoring_the_one_left_alone_is_told_and_stays_where_they_are(repositories):
    [pair, _] = held(repositories, ("UJUN", "USEN"), ("UJ2", "US2"), kind=RoundKind.REVERSE)

    told = member_services.set_deactivated(repositories, TEAM, "USEN", True, NOW)

    assert told == ("UJUN",)
    assert repositories.rounds.partner_gone(TEAM, pair, "UJUN") == PartnerGone(REVERSE, ("USEN",))


def test_a_trio_with_someone_gone_goes_on_and_nobody_is_told(repositories):
    [trio] = held(repositories, ("UCAT", "UANA", "UBEN"))  # UCAT was to propose a time

    told = member_services.set_deactivated(repositories, TEAM, "UCAT", True, NOW)

    assert told == ()
    intro = repositories.rounds.introduction(TEAM, trio, "UCAT,UANA,UBEN").group
    assert (intro.members, intro.proposer) == (("UANA", "UBEN"), "UANA")
    assert repositories.rounds.checkin_answer(TEAM, trio) == (("UANA", "UBEN"), None, None)


def test_a_member_gone_gets_no_more_follow_ups(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, [normalize_skill("SQL")])
    followup = repositories.followups.create(TEAM, _an_ask(repositories), "UASK", "UANA", NOW, NOW + timedelta(days=7))

    member_services.set_deactivated(repositories, TEAM, "UASK", True, NOW)

    assert repositories.followups.get(TEAM, followup.id).status.value == "cancelled"


def _an_ask(repositories) -> int:
    ask = models.Ask(team_id=TEAM, asker_id="UASK", question="Q?", status="matched", created_at=NOW, mentor_id="UANA")
    repositories.session.add(ask)
    repositories.session.flush()
    return ask.id


def test_slack_is_asked_before_a_round_about_candidates_not_checked_lately_oldest_first(repositories):
    for user_id in ("UANA", "UBEN", "UCAT", "UDAN", "UEVE"):
        round_services.join(repositories, TEAM, user_id, "coffee")
    repositories.profiles.record_slack_profile(TEAM, "UANA", 0, None, False, NOW - timedelta(days=1))  # lately
    repositories.profiles.record_slack_profile(TEAM, "UBEN", 0, None, False, NOW - timedelta(days=30))
    repositories.profiles.record_slack_profile(TEAM, "UCAT", 0, None, False, NOW - timedelta(days=9))
    round_services.pause(repositories, TEAM, "UDAN", "2w", MONDAY)  # not in this round
    for user_id in ("UANA", "UBEN", "UCAT", "UEVE"):  # what Slack said of them is known
        member_services.note_standing(repositories, TEAM, user_id, Standing.MEMBER, NOW)

    unchecked = repositories.rounds.unchecked(TEAM, RoundKind.COFFEE, MONDAY, NOW - timedelta(days=7), 10)
    first_two = repositories.rounds.unchecked(TEAM, RoundKind.COFFEE, MONDAY, NOW - timedelta(days=7), 2)

    assert unchecked == ["UEVE", "UBEN", "UCAT"] and first_two == ["UEVE", "UBEN"]


def test_a_row_whose_standing_is_not_known_is_checked_before_a_round_whatever_its_time_zone_said(repositories):
    for user_id in ("UANA", "UBEN"):
        round_services.join(repositories, TEAM, user_id, "coffee")
        repositories.profiles.record_slack_profile(TEAM, user_id, 0, None, False, NOW - timedelta(days=1))
    member_services.note_standing(repositories, TEAM, "UBEN", Standing.MEMBER, NOW)

    assert repositories.rounds.unchecked(TEAM, RoundKind.COFFEE, MONDAY, NOW - timedelta(days=7), 10) == ["UANA"]
