"""People Mentor is not for, end to end through the real app: Slack Connect users from another
organisation, and guests while the program leaves them out. They are told, privately, that
Mentor is for members of the workspace; nothing is stored for them, no colleague's question
reaches them and no round pairs them. With the admins' setting on, guests take part."""

import pytest
from sqlalchemy import func, select

from bot import ids
from bot.rounds.model import RoundKind
from jobs.followups import run_due_followups
from storage import models
from tests.support.fake_slack import DEFAULT_TEAM, default_user, guest, stranger
from tests.support.forms import settings_form
from tests.support.members import ask, helped, posted_to, say
from tests.support.rounds import run_rounds_now
from tests.support.running_app import RunningApp, app_environ
from tests.support.slack_fixtures import OTHER_ORGANISATION, replay

FOR_MEMBERS = "Mentor is for members of Example"  # Example: the workspace's name, as auth.test gives it
ADMIN = "UADMIN"


def stored_about(mentor, user_id: str) -> int:
    """Rows that name `user_id` anywhere Mentor keeps people, and events handled at all."""
    with mentor.store.transaction() as repositories:
        session = repositories.session
        members = session.scalar(select(func.count()).where(models.Member.user_id == user_id))
        events = session.scalar(select(func.count()).select_from(models.ProcessedEvent))
        deliveries = session.scalar(select(func.count()).where(models.Delivery.recipient == user_id))
    return members + events + deliveries


def answers(mentor) -> list[str]:
    return [call.args.get("text", "") for call in mentor.fake_slack.calls("response_url")]


@pytest.fixture
def connect(mentor):
    """UNORA, from another company, reaches the workspace through a Slack Connect channel."""
    mentor.fake_slack.users["UNORA"] = stranger("UNORA", OTHER_ORGANISATION)
    return mentor


def test_a_colleagues_question_never_reaches_someone_from_another_organisation_who_offered_the_skill(connect):
    replay(connect.slack, "commands/mentor", USER="UNORA", TEXT="offer SQL")
    connect.settle()

    [told] = answers(connect)
    assert FOR_MEMBERS in told and "another organisation" in told
    assert stored_about(connect, "UNORA") == 0

    reply = ask(connect, "How do I read a query plan? #sql", "UASK")
    assert "Nobody who offers *SQL*" in reply["text"]
    assert posted_to(connect, "DUNORA") == []


@pytest.mark.parametrize(
    ("fixture", "values"),
    [
        ("interactions/block_actions_slack_connect", {"ACTION_ID": ids.JOIN_ROUND, "VALUE": RoundKind.COFFEE.value}),
        ("interactions/block_actions_home", {"ACTION_ID": ids.PAUSE_ROUNDS, "VALUE": "2w"}),
        ("interactions/block_actions_message", {"ACTION_ID": ids.FOLLOWUPS_OFF}),
        ("commands/mentor", {"TEXT": "join coffee"}),
        ("commands/mentor", {"TEXT": "learn delegation"}),
        ("commands/mentor", {"TEXT": "followups off"}),
        ("commands/mentor", {"TEXT": "network"}),
    ],
)
def test_someone_from_another_organisation_is_told_who_mentor_is_for_and_nothing_is_stored(connect, fixture, values):
    reply = replay(connect.slack, fixture, USER="UNORA", **values)
    connect.settle()

    assert reply.status == 200
    told = [*answers(connect), *(call.args["view"] for call in connect.fake_slack.calls("views.open"))]
    assert len(told) == 1 and FOR_MEMBERS in str(told[0])
    assert stored_about(connect, "UNORA") == 0
    assert connect.fake_slack.calls("views.publish") == []


def test_the_profile_modal_and_the_home_tab_of_someone_from_another_organisation_say_why_and_store_nothing(connect):
    replay(connect.slack, "events/app_home_opened", USER="UNORA")
    connect.settle()
    [home] = connect.fake_slack.calls("views.publish")
    assert home.args["user_id"] == "UNORA" and FOR_MEMBERS in str(home.args["view"])

    submitted = replay(
        connect.slack,
        "interactions/view_submission",
        USER="UNORA",
        USER_TEAM=OTHER_ORGANISATION,
        CALLBACK_ID=ids.PROFILE_VIEW,
        VALUES={ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": "SQL"}}},
    )
    assert submitted.json()["response_action"] == "errors"
    assert FOR_MEMBERS in submitted.json()["errors"][ids.ProfileField.OFFERS]

    replay(connect.slack, "commands/mentor", USER="UNORA", TEXT="profile")
    connect.settle()
    assert connect.fake_slack.calls("views.open") == [] and FOR_MEMBERS in answers(connect)[-1]
    assert stored_about(connect, "UNORA") == 0


def test_a_direct_message_from_someone_from_another_organisation_is_answered_and_not_recorded(connect):
    replay(connect.slack, "events/message_im", USER="UNORA", CHANNEL="DUNORA", TEXT="hi, can I join in?")
    connect.settle()

    [answer] = posted_to(connect, "DUNORA")
    assert FOR_MEMBERS in answer.args["text"]
    assert stored_about(connect, "UNORA") == 0


def test_when_slack_cannot_say_who_someone_is_nothing_is_done_for_them_blindly(mentor):
    mentor.fake_slack.errors["users.info"] = "fatal_error"

    told = say(mentor, "offer SQL", "UNEW")

    assert "couldn't check with Slack who you are" in told["text"]
    assert stored_about(mentor, "UNEW") == 0


def test_a_member_is_asked_of_slack_until_their_row_holds_it_then_not_again(mentor):
    say(mentor, "offer SQL", "UANA")  # new: asked of Slack
    say(mentor, "learn Go", "UANA")  # a row now exists: what Slack said is kept on it
    looked_up = len(mentor.fake_slack.calls("users.info"))
    mentor.settle()
    mentor.clock.advance(hours=1)

    say(mentor, "learn Rust", "UANA")
    mentor.slack.click(ids.JOIN_ROUND, "UANA", "coffee")
    mentor.settle()

    assert len(mentor.fake_slack.calls("users.info")) == looked_up + 1  # the Home tab redrawn asks if she's an admin


# --- guests ------------------------------------------------------------------------------------


def test_a_guest_who_joins_the_workspace_is_not_welcomed(mentor):
    replay(mentor.slack, "events/team_join_guest", USER="UGIA")
    mentor.settle()

    assert posted_to(mentor, "DUGIA") == []
    assert stored_about(mentor, "UGIA") == 0


def test_a_member_who_becomes_a_guest_leaves_the_next_round_and_is_not_put_back_when_a_member_again(mentor):
    for user_id in ("UANA", "UBEN", "UCAT"):
        say(mentor, "join coffee", user_id)
    mentor.settle()

    replay(mentor.slack, "events/user_change_guest", USER="UBEN")
    mentor.settle()
    mentor.fake_slack.users["UBEN"] = guest("UBEN", DEFAULT_TEAM)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    mentor.settle()

    groups = [call.args["users"] for call in mentor.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    assert groups == ["UANA,UCAT"] or groups == ["UCAT,UANA"]
    refused = say(mentor, "join coffee", "UBEN")
    assert (
        FOR_MEMBERS in refused["text"]
        and "Guests can take part once the program's admins include them" in (refused["text"])
    )

    replay(mentor.slack, "events/user_change_guest", USER="UBEN", RESTRICTED=False)  # a full member again
    mentor.settle()
    mentor.fake_slack.users["UBEN"] = default_user("UBEN", DEFAULT_TEAM)
    with mentor.store.transaction() as repositories:
        assert "coffee" not in repositories.rounds.membership(DEFAULT_TEAM, "UBEN").programs  # people opt in
    assert "Joined coffee chats" in say(mentor, "join coffee", "UBEN")["text"]


def test_a_member_made_a_guest_while_the_event_was_missed_is_found_before_the_next_round(mentor):
    for user_id in ("UANA", "UBEN", "UCAT"):
        say(mentor, "join coffee", user_id)
    mentor.settle()
    mentor.fake_slack.users["UBEN"] = guest("UBEN", DEFAULT_TEAM)  # no user_change reached Mentor
    mentor.clock.advance(days=8)

    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    groups = [call.args["users"] for call in mentor.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    assert sorted(sorted(group.split(",")) for group in groups) == [["UANA", "UCAT"]]


def test_a_member_made_a_guest_unheard_who_is_refused_leaves_the_rounds_there_and_then(mentor):
    say(mentor, "join coffee", "UBEN")
    mentor.fake_slack.users["UBEN"] = guest("UBEN", DEFAULT_TEAM)  # no user_change reached Mentor
    mentor.clock.advance(minutes=11)  # past what the process remembers of what Slack said

    refused = say(mentor, "offer SQL", "UBEN")

    assert FOR_MEMBERS in refused["text"]
    with mentor.store.transaction() as repositories:
        assert "coffee" not in repositories.rounds.membership(DEFAULT_TEAM, "UBEN").programs


def test_a_mentee_who_becomes_a_guest_is_not_asked_how_the_advice_went(mentor):
    helped(mentor)  # UANA helps UASK with SQL
    replay(mentor.slack, "events/user_change_guest", USER="UASK")
    mentor.settle()

    mentor.clock.advance(days=8)
    run_due_followups(mentor.deps)

    assert not [call for call in posted_to(mentor, "DUASK") if "did you try it" in call.args["text"]]


def test_a_guest_made_a_full_member_unheard_is_let_in_once_slack_is_asked_again(mentor):
    say(mentor, "offer SQL", "UBEN")
    replay(mentor.slack, "events/user_change_guest", USER="UBEN")
    mentor.settle()
    mentor.fake_slack.users["UBEN"] = default_user("UBEN", DEFAULT_TEAM)  # promoted; no event reached Mentor
    mentor.clock.advance(minutes=11)

    answer = say(mentor, "join coffee", "UBEN")

    assert "Joined coffee chats" in answer["text"]


def test_a_member_who_offers_a_skill_then_becomes_a_guest_is_not_asked(mentor):
    say(mentor, "offer SQL", "UBEN")
    replay(mentor.slack, "events/user_change_guest", USER="UBEN", ULTRA_RESTRICTED=True)
    mentor.settle()

    reply = ask(mentor, "How do I read a query plan? #sql", "UASK")

    assert "Nobody who offers *SQL*" in reply["text"]
    assert posted_to(mentor, "DUBEN") == []


@pytest.fixture
def admin_app(fake_slack, sqlite_url):
    fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    running = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url))
    yield running
    running.stop()


def test_with_the_admins_setting_on_guests_are_welcomed_join_rounds_and_are_paired(admin_app):
    mentor = admin_app
    mentor.fake_slack.users["UGIA"] = guest("UGIA", DEFAULT_TEAM, single_channel=True)
    saved = mentor.slack.submit_view(
        ids.SETTINGS_VIEW, settings_form(GUESTS={"selected_options": [{"value": "in"}]}), ADMIN
    )
    assert saved.status == 200 and saved.body == ""
    mentor.settle()
    [confirmation] = posted_to(mentor, "D" + ADMIN)
    assert "guests included" in confirmation.args["text"]

    replay(mentor.slack, "events/team_join_guest", USER="UGIA")
    mentor.settle()
    assert "You're not enrolled in anything" in posted_to(mentor, "DUGIA")[0].args["text"]

    assert "Joined coffee chats" in say(mentor, "join coffee", "UGIA")["text"]
    say(mentor, "join coffee", "UANA")
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    mentor.settle()
    groups = {call.args["users"] for call in mentor.fake_slack.calls("conversations.open") if "," in call.args["users"]}
    assert groups in ({"UGIA,UANA"}, {"UANA,UGIA"})
