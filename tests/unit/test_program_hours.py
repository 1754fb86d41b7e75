"""Each program's own round hour and time zone (issue 21: "a cadence ...; weekday, hour, time
zone"): when its notices and rounds fall, in its zone, and how its when reads wherever it is
shown; the new program modal's hour and zone fields, within Block Kit's limits."""

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, available_timezones

import pytest

from bot.ids import WORKSPACE_DEFAULT, ProgramField
from bot.rounds import messages as round_messages
from bot.rounds import program_messages
from bot.rounds.model import COFFEE, Joined, Membership, Program, RoundKind, RoundsNow
from bot.rounds.programs import Listed, Welcome
from bot.rounds.schedule import Schedule, due_round, month_end_due, notice_due, starts_at, when

NEW_YORK = ZoneInfo("America/New_York")
WORKSPACE = Schedule(hour=10)  # 10:00 UTC, every two weeks on Mondays
EAST = Program("east", "East <coast> & co", every_weeks=1, weekday=0, hour=9, time_zone="America/New_York")


def test_a_program_with_its_own_hour_and_zone_keeps_them_and_one_without_follows_the_workspace():
    assert WORKSPACE.of(EAST) == Schedule(every_weeks=1, weekday=0, hour=9, zone=NEW_YORK)
    assert WORKSPACE.of(COFFEE) == WORKSPACE
    paris = Schedule(hour=8, zone=ZoneInfo("Europe/Paris"))
    assert paris.of(Program("own-hour", "Own hour", hour=17)) == Schedule(hour=17, zone=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    "odd", [Program("x", "X", hour=24), Program("x", "X", time_zone="Mars/Olympus_Mons"), Program("x", "X", weekday=6)]
)
def test_a_stored_value_no_form_checked_falls_back_to_the_workspaces(odd):
    assert WORKSPACE.of(odd) == WORKSPACE


@pytest.mark.parametrize(
    ("monday", "utc_hour"),
    [(date(2026, 12, 7), 14), (date(2026, 7, 6), 13)],  # winter: UTC-5; summer: UTC-4
)
def test_rounds_and_notices_of_a_new_york_program_fall_at_its_hour_there(monday, utc_hour):
    schedule = WORKSPACE.of(EAST)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=UTC).replace(hour=utc_hour)

    assert starts_at(monday, schedule) == start
    assert due_round(start.replace(hour=utc_hour - 1), schedule) is None  # 10:00 UTC: coffee's hour, not its
    assert due_round(start, schedule) == monday
    day_before = start.replace(day=monday.day - 1)
    assert notice_due(day_before.replace(hour=utc_hour - 1), schedule) is None
    assert notice_due(day_before, schedule) == monday


def test_a_reverse_program_of_its_own_asks_at_month_end_from_its_hour_in_its_zone():
    schedule = WORKSPACE.of(Program("later", "Later", RoundKind.REVERSE, every_weeks=0, hour=9, time_zone="Asia/Tokyo"))
    last_weekday = date(2026, 12, 31)  # a Thursday: 09:00 in Tokyo is 00:00 UTC that day

    assert not month_end_due(datetime(2026, 12, 30, 23, 55, tzinfo=UTC), schedule)
    assert month_end_due(datetime(2026, 12, 31, 0, 5, tzinfo=UTC), schedule)
    assert not month_end_due(datetime(2026, 12, 31, 0, 5, tzinfo=UTC), WORKSPACE)  # 10:00 UTC's is later
    assert starts_at(last_weekday, schedule) == datetime(2026, 12, 31, 0, 0, tzinfo=UTC)


def test_its_when_reads_with_its_own_hour_and_zone_and_the_workspaces_otherwise():
    assert when(WORKSPACE.of(EAST)) == "every week on Mondays at 09:00 America/New_York"
    assert when(WORKSPACE) == "every two weeks on Mondays at 10:00 UTC"
    assert (
        when(Schedule(every_weeks=0, hour=7, zone=NEW_YORK))
        == "each month on its first weekday at 07:00 America/New_York"
    )


def test_the_programs_list_says_each_programs_hour_and_zone_with_its_name_escaped_once():
    listed = program_messages.programs_list([Listed(COFFEE, 4, WORKSPACE), Listed(EAST, 2, WORKSPACE.of(EAST))])
    shown = json.dumps(listed["blocks"])

    assert "Coffee chats every 2 weeks on Monday at 10:00 UTC, in pairs" in shown
    assert "*East &lt;coast&gt; &amp; co*\\nCoffee chats every week on Monday at 09:00 America/New_York" in shown


def test_the_welcome_dm_says_the_next_round_at_the_programs_hour_in_its_zone():
    welcome = program_messages.welcome(Welcome(EAST, WORKSPACE.of(EAST), date(2026, 12, 7)))

    assert "every week on Mondays at 09:00 America/New_York, I introduce you" in welcome["text"]
    assert "Next round: *Monday 7 December at 09:00 America/New_York*" in welcome["text"]
    assert "East &lt;coast&gt; &amp; co" in welcome["text"]


def test_joining_and_the_home_tab_say_when_in_each_programs_own_zone():
    membership = Membership(frozenset({"coffee"}))
    reply = round_messages.joined(Joined(COFFEE, membership), date(2026, 12, 1), ((EAST, WORKSPACE.of(EAST)),))
    assert "`/mentor join east`: East &lt;coast&gt; &amp; co, every week on Mondays at 09:00 America/New_York" in (
        json.dumps(reply["blocks"])
    )
    now = RoundsNow(
        membership,
        next_on=(
            (COFFEE, starts_at(date(2026, 12, 7), WORKSPACE)),
            (EAST, starts_at(date(2026, 12, 7), WORKSPACE.of(EAST))),
        ),
        joined=(COFFEE, EAST),
    )
    home = json.dumps(round_messages.home_blocks(now, "UA", date(2026, 12, 1)))
    assert "coffee chats on Monday 7 December at 10:00 UTC" in home
    assert "East &lt;coast&gt; &amp; co on Monday 7 December at 09:00 America/New_York" in home


def zone_field(modal: dict) -> dict:
    return next(block["element"] for block in modal["blocks"] if block["block_id"] == ProgramField.TIME_ZONE)


def test_the_modal_offers_the_workspaces_hour_and_zone_first_then_its_members_zones_within_block_kits_limits():
    members_zones = ["Asia/Tokyo", *sorted(available_timezones())[:150], "Not/A_Zone"]
    modal = program_messages.program_modal([], Schedule(hour=8, zone=ZoneInfo("Europe/Paris")), members_zones)
    hours = next(block["element"] for block in modal["blocks"] if block["block_id"] == ProgramField.HOUR)
    zones = zone_field(modal)

    assert hours["initial_option"] == hours["options"][0]
    assert hours["options"][0]["text"]["text"] == "The workspace's (08:00)"
    assert [option["text"]["text"] for option in hours["options"][1:]] == [f"{hour:02d}:00" for hour in range(24)]
    values = [option["value"] for option in zones["options"]]
    assert zones["initial_option"] == zones["options"][0]
    assert zones["options"][0]["text"]["text"] == "The workspace's (Europe/Paris)"
    assert values[:3] == [WORKSPACE_DEFAULT, "Asia/Tokyo", "Africa/Abidjan"]
    assert len(values) == len(set(values)) == 100 and "Not/A_Zone" not in values
    assert all(len(option["text"]["text"]) <= 75 for option in zones["options"])


def test_a_workspace_whose_members_gave_no_zone_is_offered_common_zones():
    values = [option["value"] for option in zone_field(program_messages.program_modal([], WORKSPACE))["options"]]

    assert values[0] == WORKSPACE_DEFAULT and {"America/New_York", "Europe/London", "Asia/Tokyo"} <= set(values)
