"""Issue 21's "Done when", end to end through the real app over signed HTTP against the fake
Slack, on the test's clock: an admin creates, in the modal, a weekly program of threes for
#eng-nyc across an "Office" category; three members join the channel and pick their offices
with the welcome DM's buttons, and a fourth joins and leaves; the scheduler's round groups the
three across offices, its introduction offers a conversation starter, and a thank-you after
"We met" reaches its receiver once; a second program of the workspace, monthly pairs joined
with `/mentor join`, runs on its own cadence. That the migration keeps old data intact is
tests/integration/test_programs_migration.py's part (SQLite and PostgreSQL)."""

from datetime import date

from bot import ids
from bot.rounds.model import MONTHLY
from jobs.rounds import run_due_rounds
from tests.e2e.test_channel_programs import (
    ADMIN,
    CHANNEL,
    KEY,
    create,
    dms_to,
    form,
    joins,
    members_of,
    pairs_of_anyone,
)
from tests.e2e.test_round_starters import press, questions_in
from tests.e2e.test_round_thanks import thanked, thanks_form
from tests.e2e.test_rounds import group_dms, group_posts, groups_of, intros
from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM, default_user
from tests.support.members import button_value, say

OFFICES = {"UANA": "NYC", "UBEN": "London", "UCAT": "Remote", "UDAN": "NYC"}
PAIRS = ("UMIA", "UNED")


def held(app, key: str, first: date = date(2026, 11, 1), last: date = date(2026, 12, 31)) -> list[date]:
    """The dates of the program's rounds from `first` to `last` (this autumn), as recorded."""
    with app.store.reading() as work:
        return sorted(work.rounds.held_between(DEFAULT_TEAM, key, first, last))


def pick_office(app, user_id: str) -> None:
    """The member presses their office's button in the program's welcome DM."""
    [welcome] = [call for call in dms_to(app, user_id) if "Welcome to *Eng NYC*" in call.args["text"]]
    office = OFFICES[user_id]
    action_id = ids.PICK_CATEGORY[("NYC", "London", "Remote").index(office)]
    where = (welcome.args["channel"], welcome.response["ts"])
    assert app.slack.click(action_id, user_id, button_value(welcome.args, action_id), message=where).status == 200
    app.settle()


def test_a_channel_program_of_threes_across_offices_and_a_monthly_program_each_run_on_their_own(mentor):
    fake = mentor.fake_slack
    fake.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    for user_id in (*OFFICES, *PAIRS):
        fake.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    fake.channel_members[CHANNEL] = [BOT_USER]

    # Monday 23 November 9:30. Eng NYC: every week on Wednesday, in threes, across Office.
    create(mentor, form(WEEKDAY={"type": "static_select", "selected_option": {"value": "2"}}))
    create(
        mentor,
        pairs_of_anyone(
            "Monthly pairs", None, CADENCE={"type": "static_select", "selected_option": {"value": str(MONTHLY)}}
        ),
    )
    with mentor.store.reading() as work:
        [monthly] = [program for program in work.rounds.programs(DEFAULT_TEAM) if program.name == "Monthly pairs"]
    assert "across Office" in str(say(mentor, "programs", ADMIN)["blocks"])

    for user_id in OFFICES:
        joins(mentor, user_id, INVITER=ADMIN)
        pick_office(mentor, user_id)
    joins(mentor, "UDAN", fixture="events/member_left_channel")
    for user_id in PAIRS:
        assert "Joined Monthly pairs" in say(mentor, f"join {monthly.key}", user_id)["text"]
    assert members_of(mentor) == ["UANA", "UBEN", "UCAT"]

    mentor.clock.advance(days=2, minutes=35)  # Wednesday 25 November 10:05: Eng NYC's round
    run_due_rounds(mentor.deps)
    assert (held(mentor, KEY), held(mentor, monthly.key)) == ([date(2026, 11, 25)], [])

    [intro] = intros(mentor)
    [group] = groups_of(mentor, [intro])
    assert group == {"UANA", "UBEN", "UCAT"}  # UDAN left; the monthly program's members wait for theirs
    with mentor.store.reading() as work:
        offices = work.rounds.picks(DEFAULT_TEAM, "office", sorted(group))
    assert sorted(offices.values()) == ["London", "NYC", "Remote"]  # one from each office

    where = (intro.args["channel"], intro.response["ts"])
    assert button_value(intro.args, ids.ROUND_STARTER)  # "Give us a question"
    press(mentor, intro, where, "UANA")
    assert len(questions_in(mentor, intro.args["channel"])) == 1

    mentor.clock.advance(days=3)  # Saturday 28 November 10:05: halfway to Eng NYC's next round
    run_due_rounds(mentor.deps)
    [checkin] = group_posts(mentor, "Halfway to the next round")
    assert checkin.args["channel"] == intro.args["channel"]
    group_id = button_value(checkin.args, ids.CHECKIN_CHOICES["met"])
    where = (checkin.args["channel"], checkin.response["ts"])
    assert mentor.slack.click(ids.CHECKIN_CHOICES["met"], "UANA", group_id, message=where).status == 200
    mentor.settle()
    for _ in range(2):  # sent twice (a double click): it reaches UBEN once
        mentor.slack.submit_view(ids.THANKS_VIEW, thanks_form(["UBEN"]), "UANA", private_metadata=group_id)
        mentor.settle()
    [thanks] = thanked(mentor, "UBEN")
    assert "<@UANA> thanks you" in thanks.args["text"] and thanked(mentor, "UCAT") == []

    mentor.clock.advance(days=3)  # Tuesday 1 December 10:05, the month's first weekday: Monthly pairs
    run_due_rounds(mentor.deps)
    assert (held(mentor, KEY), held(mentor, monthly.key)) == ([date(2026, 11, 25)], [date(2026, 12, 1)])
    assert [frozenset(PAIRS)] == [members for members in groups_of(mentor, intros(mentor)) if members != group]
    assert len(intros(mentor)) == 2 and len(group_dms(mentor)) == 2  # Eng NYC's next is Wednesday's
    assert members_of(mentor, monthly.key) == sorted(PAIRS)
