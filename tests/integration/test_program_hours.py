"""A program's own round hour and time zone as stored and used, on the rolled-back
repositories (SQLite, and PostgreSQL with TEST_DATABASE_URL): its schedule is its own where it
has one and the workspace's (`/mentor settings`) otherwise, its days are counted in its zone,
and the new program modal offers the zones the workspace's members are in."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.program.model import ProgramSettings
from bot.rounds import services as round_services
from bot.rounds.model import PlannedGroup, Program
from bot.rounds.schedule import Schedule
from tests.support.asks import NOW, TEAM

AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_a_program_keeps_its_own_hour_and_zone_while_the_others_follow_the_settings(repositories):
    repositories.program.save_settings(TEAM, ProgramSettings(round_hour=8, time_zone="Europe/Paris"))
    own = repositories.rounds.create_program(
        TEAM, Program("", "East", every_weeks=1, hour=9, time_zone="America/New_York"), NOW
    )
    follows = repositories.rounds.create_program(TEAM, Program("", "Follows", every_weeks=4, weekday=2), NOW)

    assert repositories.rounds.program(TEAM, own.key) == own
    assert repositories.rounds.schedule(TEAM, own.key) == Schedule(1, 0, 9, ZoneInfo("America/New_York"))
    assert repositories.rounds.schedule(TEAM, follows.key) == Schedule(4, 2, 8, ZoneInfo("Europe/Paris"))
    assert repositories.rounds.schedule(TEAM, "coffee") == Schedule(2, 0, 8, ZoneInfo("Europe/Paris"))
    repositories.program.save_settings(TEAM, ProgramSettings(round_hour=11))
    assert repositories.rounds.schedule(TEAM, own.key).hour == 9
    assert repositories.rounds.schedule(TEAM, "coffee") == Schedule(2, 0, 11, None)


def test_a_round_held_today_in_the_programs_zone_is_the_current_pairing_while_utc_is_still_on_yesterday(
    repositories,
):
    program = repositories.rounds.create_program(
        TEAM, Program("", "Kiwi", every_weeks=1, hour=9, time_zone="Pacific/Auckland"), NOW
    )
    for user_id in ("UANA", "UBEN"):
        round_services.join(repositories, TEAM, user_id, program.key)
    monday = date(2026, 12, 7)  # 09:00 in Auckland is 20:00 UTC on Sunday 6 December
    group = PlannedGroup(members=("UANA", "UBEN"), proposer="UANA", teaching=(), reasons=(), question="Why?")
    assert repositories.rounds.record(TEAM, program.key, monday, NOW, [group], {})

    now = round_services.rounds_now(repositories, TEAM, "UANA", datetime(2026, 12, 6, 21, 0, tzinfo=UTC))

    assert [(pairing.program.key, pairing.held_on, pairing.partners) for pairing in now.current] == [
        (program.key, monday, ("UBEN",))
    ]
    assert dict(now.next_on)[program] == datetime(2026, 12, 14, 9, 0, tzinfo=AUCKLAND)


def test_the_modal_offers_first_the_zones_most_members_are_in(repositories):
    for user_id, zone in (("UA", "Asia/Tokyo"), ("UB", "Europe/Paris"), ("UC", "Europe/Paris"), ("UD", None)):
        repositories.profiles.record_slack_profile(TEAM, user_id, 3600, zone, False, NOW)
    repositories.profiles.record_slack_profile(TEAM, "UGONE", 0, "Africa/Lagos", True, NOW)  # left Slack

    assert repositories.rounds.members_zones(TEAM, 100) == ["Europe/Paris", "Asia/Tokyo"]
    assert repositories.rounds.members_zones(TEAM, 1) == ["Europe/Paris"]
