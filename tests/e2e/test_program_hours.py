"""A program's own hour and time zone (issue 21), end to end through the real app over signed
HTTP against the fake Slack, on the test's clock: while the workspace runs its rounds at 10:00
UTC, an admin creates in the modal a weekly program at 09:00 America/New_York; the list, the
welcome DM and the join reply say so, its day-before notice and its round come at 09:00 in New
York (14:00 UTC in November), and coffee chats still run at 10:00 UTC. A zone that is no
zone is refused beside its field, and nothing is stored."""

from datetime import date

from bot import ids
from bot.ids import ProgramField
from jobs.rounds import run_due_rounds
from tests.e2e.test_channel_programs import ADMIN, create, dms_to, joins, pairs_of_anyone
from tests.e2e.test_programs_done import held
from tests.e2e.test_rounds import groups_of, intros
from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM, default_user
from tests.support.members import say

CHANNEL = "CEASTCOAST"
KEY = "east-coast"
AT_NINE_IN_NEW_YORK = "at 09:00 America/New_York"


def east_coast(**changed) -> dict:
    """Weekly pairs of anyone on Tuesdays at 09:00 in New York, for #east-coast."""
    return pairs_of_anyone(
        "East coast",
        CHANNEL,
        **{
            "WEEKDAY": {"type": "static_select", "selected_option": {"value": "1"}},
            "HOUR": {"type": "static_select", "selected_option": {"value": "9"}},
            "TIME_ZONE": {"type": "static_select", "selected_option": {"value": "America/New_York"}},
            **changed,
        },
    )


def notices_to(app, user_id: str) -> list:
    return [call for call in dms_to(app, user_id) if call.args["text"].startswith("Tomorrow I'll")]


def test_a_program_at_nine_in_new_york_runs_there_while_coffee_chats_keep_the_workspaces_hour(mentor):
    fake = mentor.fake_slack
    fake.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    for user_id in ("UANA", "UBEN", "UCAT", "UDAN"):
        fake.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    fake.channel_members[CHANNEL] = [BOT_USER]

    # Monday 23 November 09:30 UTC; the workspace's rounds are at 10:00 UTC (no settings saved).
    create(mentor, east_coast())
    [created] = dms_to(mentor, ADMIN)
    assert f"every week on Tuesday {AT_NINE_IN_NEW_YORK}, in pairs" in created.args["text"]
    listed = str(say(mentor, "programs", ADMIN)["blocks"])
    assert f"East coast*\\nCoffee chats every week on Tuesday {AT_NINE_IN_NEW_YORK}" in listed
    assert "Coffee chats every 2 weeks on Monday at 10:00 UTC" in listed
    for user_id in ("UANA", "UBEN"):
        joins(mentor, user_id, channel=CHANNEL)
        [welcome] = dms_to(mentor, user_id)
        assert f"Next round: *Tuesday 24 November {AT_NINE_IN_NEW_YORK}*" in welcome.args["text"]
    for user_id in ("UCAT", "UDAN"):
        joined = say(mentor, "join coffee", user_id)
        assert f"join <#{CHANNEL}> for East coast every week on Tuesdays {AT_NINE_IN_NEW_YORK}" in str(joined["blocks"])

    mentor.clock.advance(minutes=35)  # Monday 10:05 UTC: coffee's round; 05:05 in New York
    run_due_rounds(mentor.deps)
    assert (held(mentor, "coffee"), held(mentor, KEY)) == ([date(2026, 11, 23)], [])
    assert groups_of(mentor, intros(mentor)) == [frozenset({"UCAT", "UDAN"})]
    assert notices_to(mentor, "UANA") == []  # a day before 09:00 New York is not yet

    mentor.clock.advance(hours=3, minutes=50)  # Monday 13:55 UTC: 08:55 in New York
    run_due_rounds(mentor.deps)
    assert notices_to(mentor, "UANA") == []
    mentor.clock.advance(minutes=10)  # Monday 14:05 UTC: 09:05 in New York, the day before
    run_due_rounds(mentor.deps)
    assert [len(notices_to(mentor, user_id)) for user_id in ("UANA", "UBEN", "UCAT")] == [1, 1, 0]

    mentor.clock.advance(hours=20)  # Tuesday 10:05 UTC: the workspace's hour, not East coast's
    run_due_rounds(mentor.deps)
    assert held(mentor, KEY) == []
    mentor.clock.advance(hours=3, minutes=50)  # Tuesday 13:55 UTC
    run_due_rounds(mentor.deps)
    assert held(mentor, KEY) == []
    mentor.clock.advance(minutes=10)  # Tuesday 14:05 UTC: 09:05 in New York
    run_due_rounds(mentor.deps)
    assert held(mentor, KEY) == [date(2026, 11, 24)]
    assert groups_of(mentor, intros(mentor))[1:] == [frozenset({"UANA", "UBEN"})]
    assert held(mentor, "coffee") == [date(2026, 11, 23)]


def test_in_summer_its_round_is_still_at_nine_in_new_york_an_hour_earlier_in_utc(mentor):
    fake = mentor.fake_slack
    fake.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    for user_id in ("UANA", "UBEN"):
        fake.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    fake.channel_members[CHANNEL] = [BOT_USER]
    create(mentor, east_coast())
    for user_id in ("UANA", "UBEN"):
        joins(mentor, user_id, channel=CHANNEL)

    mentor.clock.advance(days=225, hours=3, minutes=25)  # Tuesday 6 July 2027 12:55 UTC: 08:55 in New York
    run_due_rounds(mentor.deps)
    assert held(mentor, KEY, date(2027, 7, 1), date(2027, 7, 31)) == []
    mentor.clock.advance(minutes=10)  # 13:05 UTC: 09:05 in New York (daylight saving time)
    run_due_rounds(mentor.deps)
    assert held(mentor, KEY, date(2027, 7, 1), date(2027, 7, 31)) == [date(2027, 7, 6)]


def test_a_zone_that_is_no_zone_is_refused_beside_its_field_and_nothing_is_stored(mentor):
    mentor.fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    mentor.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    for zone in ("America/Gotham", "../../etc/passwd"):
        values = east_coast(TIME_ZONE={"type": "static_select", "selected_option": {"value": zone}})
        reply = mentor.slack.submit_view(ids.NEW_PROGRAM_VIEW, values, user_id=ADMIN)

        assert reply.json()["response_action"] == "errors"
        assert "not a time zone" in reply.json()["errors"][ProgramField.TIME_ZONE]
    mentor.settle()
    with mentor.store.reading() as work:
        assert [program.key for program in work.rounds.programs(DEFAULT_TEAM)] == ["coffee", "reverse"]
    assert dms_to(mentor, ADMIN) == []
