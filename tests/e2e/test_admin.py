"""Program admins end to end: settings that the next scheduled run follows, figures, charts
and a CSV export in the admin's DM; and members who are not admins see none of it."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bot import ids
from bot.ids import SettingsField
from bot.program.disclosure import MIN_PEOPLE, TOO_FEW
from bot.program.model import Period
from bot.rounds import services as round_services
from bot.rounds.model import COFFEE, RoundKind
from jobs.outbox import LEASE, drain
from jobs.rounds import run_due_rounds
from storage import models
from tests.e2e.test_home_tab import home_of
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.forms import settings_form
from tests.support.members import NOTE, answer_followup, say
from tests.support.program import answers_from
from tests.support.rounds import run_rounds_now
from tests.support.running_app import FakeClock, RunningApp, app_environ

ADMIN, OWNER, MEMBER = "UADMIN", "UOWNER", "UMEMBER"
QUESTION_WORDS = "speed up a slow"  # from the question `helped` asks


@pytest.fixture
def program(fake_slack, sqlite_url):
    """A workspace admin (in Slack), an owner, a member; MENTOR_ADMINS names nobody."""
    fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    fake_slack.users[OWNER] = {**default_user(OWNER, DEFAULT_TEAM), "is_owner": True}
    fake_slack.users[MEMBER] = default_user(MEMBER, DEFAULT_TEAM)
    running = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url))
    yield running
    running.stop()


def closed_loop(mentor) -> None:
    """UANA helped UASK with SQL; a week later UASK said it helped, let it count, and added a note."""
    answer_followup(mentor, share=True, note=NOTE)


def uploads_to(mentor, user_id: str, count: int):
    files = mentor.fake_slack.uploaded(count=count)
    assert {upload.channel_id for upload in files} == {"D" + user_id}
    return files


@pytest.mark.parametrize("text", ["stats", "stats chart", "stats 30d", "export", "settings"])
def test_a_member_who_is_not_an_admin_is_refused_politely_and_sees_nothing(program, text):
    closed_loop(program)

    reply = say(program, text, MEMBER)

    assert "for the program's admins" in reply["text"] and reply.get("response_type", "ephemeral") == "ephemeral"
    program.settle()
    assert program.fake_slack.files == [] and program.fake_slack.calls("views.open") == []
    assert "Asks" not in str(reply["blocks"]) and QUESTION_WORDS not in str(reply)


def test_stats_give_admins_the_figures_of_the_last_90_days(program):
    closed_loop(program)

    reply = say(program, "stats", ADMIN)

    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "*Asks* made: 1 · found a mentor: 100%" in text
    assert "*Closing the loop* follow-ups sent: 1 · loops closed: fewer than 5 answers" in text  # one mentee's
    assert "Outcomes mentees let count: fewer than 5 answers" in text
    assert "*Reciprocity* fewer than 5 answers" in text  # one gave, the other received
    assert "Check-ins: no answers yet" in text and "Learned: no answers yet" in text
    assert QUESTION_WORDS not in text and "40 ms" not in text


def test_an_owner_and_someone_in_mentor_admins_are_admins_too(fake_slack, sqlite_url):
    fake_slack.users[OWNER] = {**default_user(OWNER, DEFAULT_TEAM), "is_owner": True}
    running = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url, MENTOR_ADMINS="UPEOPLE"))
    try:
        for user_id in (OWNER, "UPEOPLE"):
            assert "*Asks* made: 0" in str(say(running, "stats 2w", user_id)["blocks"])
        assert "for the program's admins" in say(running, "stats", MEMBER)["text"]
    finally:
        running.stop()


def test_a_malformed_period_is_explained_and_nothing_is_computed(program):
    reply = say(program, "stats yesterday", ADMIN)

    assert "like `30d`, `12w` or `6m`" in reply["text"]


def test_the_chart_reaches_the_admins_dm_as_a_png(program):
    closed_loop(program)

    reply = say(program, "stats chart", ADMIN)

    assert "Working on the charts" in reply["text"]
    [chart] = uploads_to(program, ADMIN, 1)
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n") and chart.filename.endswith(".png")
    program.settle()
    assert "Sent the charts to your DMs" in program.fake_slack.calls("response_url")[-1].args["text"]


def test_the_export_has_figures_and_anonymous_relationships_without_any_text(program):
    closed_loop(program)

    say(program, "export", ADMIN)

    figures, relationships = uploads_to(program, ADMIN, 2)
    table = {(program, name): value for program, name, value in csv.reader(io.StringIO(figures.content.decode()))}
    assert (table["", "asks_made"], table["", "loops_closed"], table["", "outcome_helped_counted"]) == (
        "1",
        TOO_FEW,
        TOO_FEW,
    )
    rows = list(csv.DictReader(io.StringIO(relationships.content.decode())))
    assert [(row["kind"], row["skills"], row["giver"], row["receiver"], row["status"]) for row in rows] == [
        ("ask", "SQL", "P0001", "P0002", "sent")  # that P0002 answered, and how, is one person's answer
    ]
    everything = figures.content + relationships.content
    for private in (QUESTION_WORDS, "40 ms", "UASK", "UANA"):
        assert private.encode() not in everything


def test_settings_open_with_the_defaults_and_the_next_scheduled_run_follows_them(fake_slack, sqlite_url):
    fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    # Wednesday 25 November 2026, 13:55 UTC: 14:55 in Paris.
    clock = FakeClock(datetime(2026, 11, 25, 13, 55, tzinfo=UTC))
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), clock=clock)
    try:
        for user_id in ("UANA", "UBEN"):
            say(mentor, "offer SQL", user_id)
            say(mentor, "join coffee", user_id)
        assert mentor.slack.command("settings", user_id=ADMIN).status == 200
        [modal] = fake_slack.wait_for("views.open")
        assert modal.args["view"]["callback_id"] == ids.SETTINGS_VIEW
        assert "Every 2 weeks" in str(modal.args["view"]["blocks"])

        weekly_wednesday_3pm_paris = settings_form(
            CADENCE={"selected_option": {"value": "1"}},
            WEEKDAY={"selected_option": {"value": "2"}},
            HOUR={"selected_option": {"value": "15"}},
            TIME_ZONE={"value": "Europe/Paris"},
        )
        reply = mentor.slack.submit_view(ids.SETTINGS_VIEW, weekly_wednesday_3pm_paris, ADMIN)
        assert reply.status == 200 and reply.body == ""
        mentor.settle()

        assert run_due_rounds(mentor.deps) == 0  # 14:55 in Paris: not yet
        clock.advance(minutes=5)
        assert run_due_rounds(mentor.deps) == 1  # 15:00 in Paris, on a Wednesday, without a restart
        saved = [call for call in fake_slack.calls("chat.postMessage") if call.args["channel"] == "D" + ADMIN]
        assert "Coffee chats every week on Wednesday at 15:00 Europe/Paris" in saved[0].args["text"]
    finally:
        mentor.stop()


@pytest.mark.parametrize("reverse_on, rounds", [(True, 1), (False, 0)])
def test_reverse_mentoring_switched_off_pairs_nobody(fake_slack, sqlite_url, reverse_on, rounds):
    fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    clock = FakeClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))  # the first weekday of December
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), clock=clock)
    try:
        switch = {"selected_options": [{"value": "on"}] if reverse_on else []}
        mentor.slack.submit_view(ids.SETTINGS_VIEW, settings_form(REVERSE=switch), ADMIN)
        for user_id, stage, offers, wants in (("UJUNIOR", "early", "Go", "SQL"), ("USENIOR", "senior", "SQL", "Go")):
            say(mentor, f"offer {offers}", user_id)
            say(mentor, f"learn {wants}", user_id)
            say(mentor, "join reverse", user_id)
            with mentor.store.transaction() as repositories:
                repositories.session.execute(
                    update(models.Member).where(models.Member.user_id == user_id).values(career_stage=stage)
                )

        run_due_rounds(mentor.deps)

        with mentor.store.transaction() as repositories:
            assert repositories.program.figures(DEFAULT_TEAM, Period(clock())).of("reverse").rounds == rounds
        home = str(home_of(mentor, "UJUNIOR"))  # in reverse mentoring: the Home tab says why no round comes
        assert ("admins have paused reverse mentoring" in home) is not reverse_on
    finally:
        mentor.stop()


@pytest.mark.parametrize(
    "field, element, message",
    [
        ("TIME_ZONE", {"value": "Mars/Olympus_Mons"}, "not a time zone name"),
        ("ASK_TIMEOUT", {"value": "0"}, "from 1 to 168"),
        ("CADENCE", {"selected_option": {"value": "3"}}, "how often"),
        ("CHANNEL", {"selected_conversation": "not a channel"}, "Choose a channel"),
    ],
)
def test_a_bad_setting_is_explained_in_the_modal_and_nothing_changes(program, field, element, message):
    reply = program.slack.submit_view(ids.SETTINGS_VIEW, settings_form(**{field: element}), ADMIN)

    assert reply.json()["response_action"] == "errors"
    assert message in reply.json()["errors"][getattr(SettingsField, field)]
    with program.store.transaction() as repositories:
        assert repositories.program.settings(DEFAULT_TEAM).coffee_every_weeks == 2
        assert repositories.session.get(models.Workspace, DEFAULT_TEAM) is None


def test_a_forged_settings_submission_from_a_member_changes_nothing(program):
    values = settings_form(CADENCE={"selected_option": {"value": "1"}})

    reply = program.slack.submit_view(ids.SETTINGS_VIEW, values, MEMBER)

    assert reply.json()["response_action"] == "errors"
    with program.store.transaction() as repositories:
        assert repositories.program.settings(DEFAULT_TEAM).coffee_every_weeks == 2


def test_admins_see_the_program_on_their_home_tab_and_members_do_not(program):
    closed_loop(program)

    program.slack.app_home_opened(ADMIN)
    program.slack.app_home_opened(MEMBER)
    program.settle()

    homes = {
        call.args["user_id"]: str(call.args["view"]["blocks"]) for call in program.fake_slack.calls("views.publish")
    }
    assert "Mentoring program (admins)" in homes[ADMIN] and "*Asks* made: 1" in homes[ADMIN]
    assert "Mentoring program" not in homes[MEMBER]


def test_the_home_tab_export_button_sends_the_csv_and_refuses_members(program):
    program.slack.click(ids.SEND_EXPORT, MEMBER, "90")
    program.settle()
    assert program.fake_slack.files == []
    refusal = [call for call in program.fake_slack.calls("chat.postMessage") if call.args["channel"] == "D" + MEMBER]
    assert "for the program's admins" in refusal[0].args["text"]

    program.slack.click(ids.SEND_EXPORT, ADMIN, "90")

    assert len(uploads_to(program, ADMIN, 2)) == 2


def test_each_round_is_announced_once_in_the_program_channel_without_names(program):
    program.slack.submit_view(ids.SETTINGS_VIEW, settings_form(CHANNEL={"selected_conversation": "CPROGRAM"}), ADMIN)
    for user_id in ("UANA", "UBEN", "UCAL", "UDEV"):
        say(program, "offer SQL", user_id)
        say(program, "join coffee", user_id)

    run_rounds_now(program.deps, RoundKind.COFFEE)
    run_rounds_now(program.deps, RoundKind.COFFEE)  # the same day again: nothing new

    [post] = [call for call in program.fake_slack.calls("chat.postMessage") if call.args["channel"] == "CPROGRAM"]
    assert post.args["text"] == ":coffee: This round of coffee chats introduced 4 people in 2 intros."
    assert "<@" not in json.dumps(post.args["blocks"])
    assert all("CPROGRAM" not in call.args["users"] for call in program.fake_slack.calls("conversations.open"))


def test_without_a_program_channel_nothing_is_posted_to_a_channel(program):
    for user_id in ("UANA", "UBEN"):
        say(program, "join coffee", user_id)

    run_rounds_now(program.deps, RoundKind.COFFEE)

    assert all(call.args["channel"].startswith("D") for call in program.fake_slack.calls("chat.postMessage"))


def test_an_announcement_a_crashed_sender_may_have_posted_is_dropped_not_posted_twice(program):
    program.slack.submit_view(ids.SETTINGS_VIEW, settings_form(CHANNEL={"selected_conversation": "CPROGRAM"}), ADMIN)
    for user_id in ("UANA", "UBEN"):
        say(program, "join coffee", user_id)
    now = program.clock()
    with program.store.transaction() as repositories:
        assert round_services.run_round(repositories, DEFAULT_TEAM, COFFEE, now.date(), now).created
    with program.store.transaction() as repositories:
        claims = repositories.outbox.claim(now, now + LEASE, 10)  # ...and the sender dies holding them
    assert {claim.recipient for claim in claims} == {"UANA,UBEN", "CPROGRAM"}

    program.clock.advance(seconds=LEASE.total_seconds() + 1)
    drain(program.deps)

    posted = [call.args["channel"] for call in program.fake_slack.calls("chat.postMessage")]
    assert "CPROGRAM" not in posted and "DUANAUBEN" in posted  # the introduction still went


def test_joining_reverse_mentoring_while_it_is_off_says_so(program):
    program.slack.submit_view(ids.SETTINGS_VIEW, settings_form(REVERSE={"selected_options": []}), ADMIN)

    reply = say(program, "join reverse", MEMBER)

    assert "paused reverse mentoring for now" in reply["text"]
    assert "paused" not in say(program, "join coffee", MEMBER)["text"]


def test_settings_the_deployment_fixes_are_shown_as_fixed_and_the_confirmation_states_what_applies(
    fake_slack, sqlite_url
):
    fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    environ = app_environ(fake_slack, sqlite_url, MENTOR_ASK_TIMEOUT_HOURS="24", MENTOR_FOLLOWUP_DAYS="3")
    mentor = RunningApp(fake_slack, environ)
    try:
        assert mentor.slack.command("settings", user_id=ADMIN).status == 200
        [modal] = fake_slack.wait_for("views.open")
        view = modal.args["view"]
        fields = {block["block_id"] for block in view["blocks"] if block["type"] == "input"}
        assert {SettingsField.ASK_TIMEOUT, SettingsField.FOLLOWUP_DAYS}.isdisjoint(fields)
        shown = json.dumps(view["blocks"])
        assert "24 h" in shown and "MENTOR_ASK_TIMEOUT_HOURS" in shown and "3 days" in shown
        assert "can't be changed here" in shown

        # Slack sends only the fields the modal has.
        values = settings_form(CADENCE={"selected_option": {"value": "1"}})
        for fixed in (SettingsField.ASK_TIMEOUT, SettingsField.FOLLOWUP_DAYS):
            del values[fixed]
        reply = mentor.slack.submit_view(ids.SETTINGS_VIEW, values, ADMIN)
        assert reply.status == 200 and reply.body == ""
        mentor.settle()

        [saved] = [call for call in fake_slack.calls("chat.postMessage") if call.args["channel"] == "D" + ADMIN]
        text = saved.args["text"]
        assert "asks wait 24 h (fixed by the deployment)" in text
        assert "follow-ups after 3 days (fixed by the deployment)" in text
        assert "48 h" not in text and "7 days" not in text
    finally:
        mentor.stop()


# Issue 19: a figure built from members' answers shows only once 5 people's answers stand behind
# it. Each person below answered every question once (tests.support.program.answers_from).
WITHHELD = (
    "Check-ins: fewer than 5 answers",
    "Learned: fewer than 5 answers",
    "loops closed: fewer than 5 answers",
    "Outcomes mentees let count: fewer than 5 answers",
    "*Reciprocity* fewer than 5 answers",
)
SHOWN = (
    "Check-ins: We met 100%",
    "Learned: A lot 100%",
    "loops closed: 100%",
    "Outcomes mentees let count: It helped 100%",
    f"*Reciprocity* 100% of the {MIN_PEOPLE} members",
)


def assert_answers_shown(text: str, shown: bool) -> None:
    for phrase in SHOWN if shown else WITHHELD:
        assert phrase in text, phrase
    for phrase in WITHHELD if shown else SHOWN:
        assert phrase not in text, phrase


@pytest.mark.parametrize("people", [MIN_PEOPLE - 1, MIN_PEOPLE])
def test_stats_show_figures_from_answers_only_once_five_people_answered(program, people):
    answers_from(program, people)

    reply = say(program, "stats", ADMIN)

    assert_answers_shown(json.dumps(reply["blocks"], ensure_ascii=False), shown=people >= MIN_PEOPLE)


def test_one_person_answering_many_times_counts_once(program):
    answers_from(program, MIN_PEOPLE - 1, again=MIN_PEOPLE)  # 9 check-ins, from 4 people

    reply = say(program, "stats", ADMIN)

    assert "Check-ins: fewer than 5 answers" in json.dumps(reply["blocks"], ensure_ascii=False)


@pytest.mark.parametrize("people", [MIN_PEOPLE - 1, MIN_PEOPLE])
def test_the_admins_home_shows_figures_from_answers_only_once_five_people_answered(program, people):
    answers_from(program, people)

    program.slack.app_home_opened(ADMIN)
    program.settle()

    [home] = program.fake_slack.calls("views.publish")
    assert_answers_shown(json.dumps(home.args["view"]["blocks"], ensure_ascii=False), shown=people >= MIN_PEOPLE)


@pytest.mark.parametrize("people", [MIN_PEOPLE - 1, MIN_PEOPLE])
def test_the_export_holds_figures_from_answers_only_once_five_people_answered(program, people):
    answers_from(program, people)

    say(program, "export", ADMIN)

    figures, relationships = uploads_to(program, ADMIN, 2)
    table = {(program, name): value for program, name, value in csv.reader(io.StringIO(figures.content.decode()))}
    answered = (("coffee", "checkin_met"), ("reverse", "learned_a_lot"), ("", "loops_closed"))
    answered += (("", "outcome_helped_counted"),)
    helped = tuple(
        ("", name) for name in ("members_who_gave_help", "members_who_received_help", "members_who_did_both")
    )
    expected = str(people) if people >= MIN_PEOPLE else TOO_FEW
    assert {name: table[name] for name in answered + helped} == dict.fromkeys(answered + helped, expected)
    assert table["", "asks_made"] == str(people)  # counts of what Mentor did are always there
    rows = list(csv.DictReader(io.StringIO(relationships.content.decode())))
    assert {row["status"] for row in rows} == {"sent", "introduced"}  # never one person's answer


def closed_loop_pixels(png: bytes) -> int:
    """Pixels of the "Loops closed" bars' colour in the loops panel, below its legend."""
    from PIL import Image

    from bot.program.charts import CLOSED_COLOUR

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    colour = tuple(int(CLOSED_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    panel = image.crop((width // 2, height // 8, width, height))
    counts = {found: count for count, found in panel.getcolors(panel.width * panel.height) or []}
    return counts.get(colour, 0)


@pytest.mark.parametrize("people", [MIN_PEOPLE - 1, MIN_PEOPLE])
def test_the_chart_draws_loops_closed_only_once_five_people_answered(program, people):
    answers_from(program, people)

    say(program, "stats chart", ADMIN)

    [chart] = uploads_to(program, ADMIN, 1)
    assert (closed_loop_pixels(chart.content) > 0) is (people >= MIN_PEOPLE)
