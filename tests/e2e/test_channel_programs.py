"""Programs on channels (issue 21), end to end through the real app over signed HTTP against
the fake Slack: an admin creates a program in the modal, confirms enrolling the channel's
members, and manages programs from `/mentor programs`; joining the channel joins the program
(with a welcome DM and buttons to pick one's office), leaving it leaves. Bots, Slack Connect
users and Mentor itself are never enrolled; on an org-wide install the org owns the rows."""

import json

import pytest

from bot import ids
from bot.ids import NEW_CATEGORY, ProgramField
from bot.rounds.model import Program, ProgramStatus
from jobs.rounds import run_due_rounds
from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM, Installation, default_user, stranger
from tests.support.members import button_value, install, posted_to, say
from tests.support.slack_fixtures import ENTERPRISE, OTHER_ORGANISATION, replay

ADMIN = "UADMIN"
GRID_WORKSPACE = "TGRIDWS1"  # a workspace of the org ENTERPRISE
CHANNEL = "CENGNYC"
KEY = "eng-nyc"


def form(**changed) -> dict:
    """The new program modal's `state.values` as Slack sends them: "Eng NYC", weekly threes
    across a new category "Office: NYC, London, Remote" in #eng-nyc, but for `changed`
    elements (by ProgramField attribute name)."""
    elements = {
        "NAME": {"type": "plain_text_input", "value": "Eng NYC"},
        "KIND": {"type": "static_select", "selected_option": {"value": "coffee"}},
        "CADENCE": {"type": "static_select", "selected_option": {"value": "1"}},
        "WEEKDAY": {"type": "static_select", "selected_option": {"value": "1"}},
        "GROUP_SIZE": {"type": "static_select", "selected_option": {"value": "3"}},
        "INTRO": {"type": "radio_buttons", "selected_option": {"value": "across"}},
        "CATEGORY": {"type": "static_select", "selected_option": {"value": NEW_CATEGORY}},
        "CATEGORY_NAME": {"type": "plain_text_input", "value": "Office"},
        "CATEGORY_OPTIONS": {"type": "plain_text_input", "value": "NYC, London, Remote"},
        "CHANNEL": {"type": "conversations_select", "selected_conversation": CHANNEL},
        **changed,
    }
    return {getattr(ProgramField, name): {getattr(ProgramField, name): element} for name, element in elements.items()}


def pairs_of_anyone(name: str, channel: str | None, **changed) -> dict:
    """The modal's `state.values` for pairs of anyone called `name`, without a category, in
    `channel` (None: none), but for `changed` elements (as form's)."""
    return form(
        **{
            "NAME": {"type": "plain_text_input", "value": name},
            "GROUP_SIZE": {"type": "static_select", "selected_option": {"value": "2"}},
            "INTRO": {"type": "radio_buttons", "selected_option": {"value": "anyone"}},
            "CATEGORY": {"type": "static_select", "selected_option": None},
            "CATEGORY_NAME": {"type": "plain_text_input", "value": None},
            "CATEGORY_OPTIONS": {"type": "plain_text_input", "value": None},
            "CHANNEL": {"type": "conversations_select", "selected_conversation": channel},
            **changed,
        }
    )


@pytest.fixture
def workspace(mentor):
    """An admin; members UANA, UBEN, UCAT; #eng-nyc with Mentor, the admin, UANA, UBEN, another
    app's bot and UNORA from another company (a Slack Connect channel)."""
    fake = mentor.fake_slack
    fake.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    for user_id in ("UANA", "UBEN", "UCAT"):
        fake.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    fake.users["UBOTTY"] = {**default_user("UBOTTY", DEFAULT_TEAM), "is_bot": True}
    fake.users["UNORA"] = stranger("UNORA", OTHER_ORGANISATION)
    fake.channel_members[CHANNEL] = [BOT_USER, ADMIN, "UANA", "UBEN", "UBOTTY", "UNORA"]
    return mentor


def create(app, values: dict | None = None):
    reply = app.slack.submit_view(ids.NEW_PROGRAM_VIEW, values or form(), user_id=ADMIN)
    assert reply.status == 200
    app.settle()
    return reply


def members_of(app, key: str = KEY, team_id: str = DEFAULT_TEAM) -> list[str]:
    with app.store.reading() as work:
        return work.rounds.program_members(team_id, key)


def dms_to(app, user_id: str) -> list:
    return posted_to(app, "D" + user_id)


def joins(app, user_id: str, channel: str = CHANNEL, fixture: str = "events/member_joined_channel", **values):
    reply = replay(app.slack, fixture, USER=user_id, CHANNEL=channel, USER_TEAM=DEFAULT_TEAM, **values)
    assert reply.status == 200, reply.body
    app.settle()


def test_an_admin_creates_a_program_and_confirms_enrolling_the_people_of_its_channel(workspace):
    assert create(workspace).body == ""  # the modal closed: created

    [offer] = dms_to(workspace, ADMIN)
    assert f"Enroll the 5 members of <#{CHANNEL}>?" in offer.args["text"] and "across Office" in offer.args["text"]
    assert members_of(workspace) == []  # nobody before the admin says so

    before = len(workspace.fake_slack.calls("response_url"))
    enroll = (offer.args["channel"], offer.response["ts"])
    value = button_value(offer.args, ids.ENROLL_CHANNEL)
    assert workspace.slack.click(ids.ENROLL_CHANNEL, ADMIN, value, message=enroll).status == 200
    told = workspace.fake_slack.wait_for("response_url", count=before + 1)[before].args
    workspace.settle()

    assert "Enrolled 3 members" in told["text"] and "2 others were left out" in told["text"]
    assert told["replace_original"] is True
    assert members_of(workspace) == [ADMIN, "UANA", "UBEN"]
    for user_id in ("UANA", "UBEN", ADMIN):
        [welcome] = dms_to(workspace, user_id)[-1:]
        assert "Welcome to *Eng NYC*" in welcome.args["text"] and "every week" in welcome.args["text"]
        shown = json.dumps(welcome.args["blocks"])
        assert all(f'"{KEY}:{office}"' in shown for office in ("NYC", "London", "Remote"))
    assert dms_to(workspace, "UNORA") == [] and dms_to(workspace, "UBOTTY") == []


def test_the_modal_says_what_to_fix_and_stores_nothing(workspace):
    cases = [
        (form(NAME={"type": "plain_text_input", "value": "  "}), ProgramField.NAME),
        (form(CATEGORY_OPTIONS={"type": "plain_text_input", "value": "NYC"}), ProgramField.CATEGORY_OPTIONS),
        (form(CATEGORY={"type": "static_select", "selected_option": None}), ProgramField.CATEGORY),
        (form(KIND={"type": "static_select", "selected_option": {"value": "reverse"}}), ProgramField.GROUP_SIZE),
    ]
    for values, field in cases:
        reply = workspace.slack.submit_view(ids.NEW_PROGRAM_VIEW, values, user_id=ADMIN)
        assert reply.json()["response_action"] == "errors"
        assert field in reply.json()["errors"]

    with workspace.store.reading() as work:
        assert [program.key for program in work.rounds.programs(DEFAULT_TEAM)] == ["coffee", "reverse"]
        assert work.rounds.categories(DEFAULT_TEAM) == []


def test_a_channel_mentor_is_not_in_or_another_program_has_is_refused_beside_the_channel(workspace):
    workspace.fake_slack.channel_members["CNOBOT"] = ["UANA"]
    reply = workspace.slack.submit_view(
        ids.NEW_PROGRAM_VIEW,
        form(CHANNEL={"type": "conversations_select", "selected_conversation": "CNOBOT"}),
        user_id=ADMIN,
    )
    assert "/invite @Mentor" in reply.json()["errors"][ProgramField.CHANNEL]

    create(workspace)
    again = workspace.slack.submit_view(
        ids.NEW_PROGRAM_VIEW,
        form(
            NAME={"type": "plain_text_input", "value": "Other"},
            CATEGORY_NAME={"type": "plain_text_input", "value": "Floor"},
        ),
        user_id=ADMIN,
    )
    assert "already has a program" in again.json()["errors"][ProgramField.CHANNEL]
    with workspace.store.reading() as work:  # the second category was not kept either
        assert [category.name for category in work.rounds.categories(DEFAULT_TEAM)] == ["Office"]
        assert len(work.rounds.programs(DEFAULT_TEAM)) == 3


def test_someone_who_is_not_an_admin_can_neither_list_nor_create_programs(workspace):
    assert "Programs are for the program's admins" in say(workspace, "programs", "UANA")["text"]
    reply = workspace.slack.submit_view(ids.NEW_PROGRAM_VIEW, form(), user_id="UANA")
    assert reply.json()["response_action"] == "errors"
    assert members_of(workspace) == [] and len(workspace.fake_slack.calls("conversations.members")) == 0


def test_joining_the_channel_joins_the_program_picking_an_office_and_leaving_it_leaves(workspace):
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    create(workspace)
    [ready] = dms_to(workspace, ADMIN)
    assert "Everyone who joins" in ready.args["text"]

    joins(workspace, "UCAT", INVITER="UANA")

    assert members_of(workspace) == ["UCAT"]
    [welcome] = dms_to(workspace, "UCAT")
    assert "Which *Office* are you in?" in json.dumps(welcome.args["blocks"])
    before = len(workspace.fake_slack.calls("response_url"))
    published = len(workspace.fake_slack.calls("views.publish"))
    where = (welcome.args["channel"], welcome.response["ts"])
    assert workspace.slack.click(ids.PICK_CATEGORY[1], "UCAT", f"{KEY}:London", message=where).status == 200
    picked = workspace.fake_slack.wait_for("response_url", count=before + 1)[before].args
    assert "your Office is *London*" in picked["text"]
    with workspace.store.reading() as work:
        assert work.rounds.picks(DEFAULT_TEAM, "office", ["UCAT"]) == {"UCAT": "London"}
    [home] = [call.args for call in workspace.fake_slack.wait_for("views.publish", count=published + 1)[published:]]
    assert home["user_id"] == "UCAT"
    home = json.dumps(home["view"])
    assert "Your *Office*: *London*" in home

    joins(workspace, "UCAT", fixture="events/member_left_channel")

    assert members_of(workspace) == []
    assert len(dms_to(workspace, "UCAT")) == 1  # leaving is quiet


def pick_requests(app, user_id: str) -> list:
    return [call for call in dms_to(app, user_id) if "Tomorrow is the next round of *Eng NYC*" in call.args["text"]]


def test_a_member_who_has_not_picked_an_office_is_asked_once_the_day_before_a_round(workspace):
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    create(workspace)  # weekly on Tuesdays, at the workspace's round hour (10:00)
    for user_id in ("UANA", "UBEN", "UCAT"):
        joins(workspace, user_id)
    [welcome] = dms_to(workspace, "UCAT")
    where = (welcome.args["channel"], welcome.response["ts"])
    assert workspace.slack.click(ids.PICK_CATEGORY[1], "UCAT", f"{KEY}:London", message=where).status == 200
    workspace.settle()

    workspace.clock.advance(minutes=35)  # Monday 10:05: the day before Tuesday's round
    run_due_rounds(workspace.deps)
    run_due_rounds(workspace.deps)  # the scheduler runs often, and on several replicas

    [asked] = pick_requests(workspace, "UANA")
    assert len(pick_requests(workspace, "UBEN")) == 1 and pick_requests(workspace, "UCAT") == []
    assert [button_value(asked.args, action_id) for action_id in ids.PICK_CATEGORY[:3]] == [
        f"{KEY}:NYC",
        f"{KEY}:London",
        f"{KEY}:Remote",
    ]
    assert "Which *Office* are you in?" in json.dumps(asked.args["blocks"])

    where = (asked.args["channel"], asked.response["ts"])
    assert workspace.slack.click(ids.PICK_CATEGORY[0], "UANA", f"{KEY}:NYC", message=where).status == 200
    workspace.settle()
    with workspace.store.reading() as work:
        assert work.rounds.picks(DEFAULT_TEAM, "office", ["UANA", "UBEN"]) == {"UANA": "NYC"}

    workspace.clock.advance(days=7)  # the next Monday: UBEN still has not picked, and was asked already
    run_due_rounds(workspace.deps)
    assert len(pick_requests(workspace, "UBEN")) == 1 and len(pick_requests(workspace, "UANA")) == 1


def test_mentor_a_bot_and_someone_from_another_organisation_joining_the_channel_are_not_enrolled(workspace):
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    create(workspace)

    joins(workspace, BOT_USER)
    joins(workspace, "UBOTTY")
    reply = replay(
        workspace.slack,
        "events/member_joined_channel_slack_connect",
        USER="UNORA",
        CHANNEL=CHANNEL,
        USER_TEAM=OTHER_ORGANISATION,
    )
    assert reply.status == 200
    workspace.settle()

    assert members_of(workspace) == []
    assert dms_to(workspace, "UNORA") == [] and dms_to(workspace, "UBOTTY") == []


def test_admins_pause_resume_and_archive_programs_from_the_list(workspace):
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    create(workspace)
    listed = say(workspace, "programs", ADMIN)
    assert "*Eng NYC*" in json.dumps(listed["blocks"])
    assert "Coffee chats every week on Tuesday at 10:00 UTC, in threes, across Office" in json.dumps(listed["blocks"])

    def press(action_id: str, key: str) -> dict:
        before = len(workspace.fake_slack.calls("response_url"))
        assert workspace.slack.click(action_id, ADMIN, key, message=("DUADMIN", "1.0")).status == 200
        return workspace.fake_slack.wait_for("response_url", count=before + 1)[before].args

    assert "*paused*" in json.dumps(press(ids.PAUSE_PROGRAM, KEY)["blocks"])
    assert "can't be archived" in press(ids.ARCHIVE_PROGRAM, "coffee")["text"]
    press(ids.ARCHIVE_PROGRAM, KEY)

    with workspace.store.reading() as work:
        assert work.rounds.program(DEFAULT_TEAM, KEY).status is ProgramStatus.ARCHIVED
        assert work.rounds.program(DEFAULT_TEAM, "coffee").status is ProgramStatus.ACTIVE
        assert work.rounds.program_of_channel(DEFAULT_TEAM, CHANNEL) is None  # free for another program
    joins(workspace, "UCAT")  # an archived program's channel joins nobody
    assert members_of(workspace) == []


def test_joining_a_program_by_command_asks_for_the_office(workspace):
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER]
    create(workspace, form(CHANNEL={"type": "conversations_select", "selected_conversation": None}))

    reply = say(workspace, f"join {KEY}", "UANA")

    assert "Joined Eng NYC" in reply["text"]
    assert button_value(reply, ids.PICK_CATEGORY[0]) == f"{KEY}:NYC"


def test_on_an_org_wide_install_joining_a_channel_enrolls_the_member_in_the_orgs_program(multi_workspace, fake_slack):
    fake_slack.oauth_codes["code-org"] = Installation(
        None, None, "xoxb-org-token", enterprise_id=ENTERPRISE, enterprise_name="Globular", org_wide=True
    )
    install(multi_workspace, "code-org")
    fake_slack.users["UANA"] = default_user("UANA", GRID_WORKSPACE, ENTERPRISE)
    fake_slack.channel_members[CHANNEL] = [BOT_USER, "UANA"]
    with multi_workspace.store.transaction() as work:
        work.rounds.create_program(ENTERPRISE, Program("", "Eng NYC", channel=CHANNEL), multi_workspace.deps.clock())

    reply = replay(
        multi_workspace.slack,
        "events/member_joined_channel_org_wide",
        USER="UANA",
        CHANNEL=CHANNEL,
        TEAM=GRID_WORKSPACE,
        USER_TEAM=GRID_WORKSPACE,
    )
    assert reply.status == 200
    multi_workspace.settle()

    assert members_of(multi_workspace, team_id=ENTERPRISE) == ["UANA"]
    assert members_of(multi_workspace, team_id=GRID_WORKSPACE) == []
    [welcome] = posted_to(multi_workspace, "DUANA")
    assert "Welcome to *Eng NYC*" in welcome.args["text"] and welcome.token == "xoxb-org-token"


def offered(app) -> tuple[str, str]:
    """The admin's "Enroll N" message, once the program is created: (channel, ts)."""
    [offer] = dms_to(app, ADMIN)
    return offer.args["channel"], offer.response["ts"]


def confirm(app, where: tuple[str, str], timeout: float = 5.0) -> dict:
    before = len(app.fake_slack.calls("response_url"))
    assert app.slack.click(ids.ENROLL_CHANNEL, ADMIN, KEY, message=where).status == 200
    told = app.fake_slack.wait_for("response_url", count=before + 1, timeout=timeout)[before].args
    app.settle()
    return told


def test_a_big_channel_is_enrolled_page_by_page(workspace):
    crowd = [f"U{number:05d}" for number in range(250)]
    workspace.fake_slack.channel_members[CHANNEL] = [BOT_USER, *crowd]
    create(workspace)

    told = confirm(workspace, offered(workspace), timeout=60)  # a users.info call for each of 250 people

    assert "Enrolled 250 members" in told["text"]
    assert members_of(workspace) == crowd
    pages = workspace.fake_slack.calls("conversations.members")
    assert len(pages) == 4 and all(call.response["ok"] for call in pages)  # two for the offer, two to enroll


def looked_up(app) -> list[str]:
    return [call.args["user"] for call in app.fake_slack.calls("users.info")]


def test_members_mentor_knows_are_enrolled_and_join_without_asking_slack_who_they_are(workspace):
    for user_id in ("UANA", "UBEN", "UCAT"):  # members who used Mentor: their standing is on their row
        say(workspace, "offer SQL", user_id)
        say(workspace, "learn Go", user_id)
    workspace.clock.advance(minutes=11)  # what Slack said of them is no longer remembered in the process
    create(workspace)
    before = len(looked_up(workspace))

    told = confirm(workspace, offered(workspace))

    assert "Enrolled 3 members" in told["text"] and members_of(workspace) == [ADMIN, "UANA", "UBEN"]
    asked = looked_up(workspace)[before:]
    assert not {"UANA", "UBEN"} & set(asked)  # known members: no users.info call
    assert {"UBOTTY", "UNORA"} <= set(asked)  # a bot and a stranger are still asked about, and left out

    before = len(looked_up(workspace))
    joins(workspace, "UCAT")
    assert members_of(workspace) == [ADMIN, "UANA", "UBEN", "UCAT"] and looked_up(workspace)[before:] == []


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_a_channel_slack_will_not_list_when_the_admin_confirms_enrolls_nobody_and_says_why(workspace, error):
    create(workspace)
    where = offered(workspace)
    workspace.fake_slack.errors_for[("conversations.members", CHANNEL)] = error  # Mentor removed meanwhile

    told = confirm(workspace, where)

    assert f"couldn't read who is in <#{CHANNEL}> ({error})" in told["text"] and "/invite @Mentor" in told["text"]
    assert members_of(workspace) == []


def test_the_new_program_modal_opens_from_the_command_and_the_admins_home_tab_for_admins_only(workspace):
    fake = workspace.fake_slack
    assert workspace.slack.command("programs new", user_id=ADMIN).status == 200
    fake.wait_for("views.open")
    assert workspace.slack.app_home_opened(ADMIN).status == 200
    [home] = [call.args["view"] for call in fake.wait_for("views.publish") if call.args["user_id"] == ADMIN]
    assert any(
        element.get("action_id") == ids.NEW_PROGRAM for block in home["blocks"] for element in block.get("elements", [])
    )

    assert workspace.slack.click(ids.NEW_PROGRAM, ADMIN).status == 200
    fake.wait_for("views.open", count=2)  # clicks run on workers: the admin's first, then UANA's
    assert workspace.slack.click(ids.NEW_PROGRAM, "UANA").status == 200
    opened = fake.wait_for("views.open", count=3)
    assert [call.args["view"].get("callback_id") for call in opened[:2]] == [ids.NEW_PROGRAM_VIEW] * 2
    assert "Programs are for the program's admins" in json.dumps(opened[2].args["view"])  # UANA's, refused
