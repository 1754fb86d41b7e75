"""Enterprise Grid, end to end in OAuth mode: a workspace of an org installed on its own, and
an org-wide install. One rule says whose data a request is (README, "Whose data a request
belongs to"), the same for commands, clicks, submissions, events, the Home tab, jobs and
uninstall. Every request here is a fixture from tests/fixtures/slack, shaped as Slack sends it."""

import json
import logging

import pytest

from bot import ids
from bot.rounds.model import RoundKind
from tests.support.fake_slack import Installation, default_user
from tests.support.members import NOTE, answer_followup, install, posted_to, rows_of
from tests.support.rounds import run_rounds_now
from tests.support.running_app import SIGNING_SECRET
from tests.support.slack_fixtures import ENTERPRISE, replay
from tests.support.slack_requests import SlackSender

GRID_WORKSPACE = "TGRIDWS1"
OTHER_WORKSPACE = "TGRIDWS2"  # another workspace of the same org
ORG_TOKEN = "xoxb-org-token"
WORKSPACE_TOKEN = "xoxb-grid-workspace-token"


@pytest.fixture
def org_wide(multi_workspace, fake_slack):
    """Mentor installed across the whole org ENTERPRISE, with members in two of its workspaces."""
    fake_slack.oauth_codes["code-org"] = Installation(
        None, None, ORG_TOKEN, enterprise_id=ENTERPRISE, enterprise_name="Globular", org_wide=True
    )
    install(multi_workspace, "code-org")
    for user_id, workspace in (("UANA", GRID_WORKSPACE), ("UBEN", GRID_WORKSPACE), ("UCAT", OTHER_WORKSPACE)):
        fake_slack.users[user_id] = default_user(user_id, workspace, ENTERPRISE)
    return multi_workspace


def test_an_org_wide_install_ends_on_the_page_where_the_admin_adds_mentor_to_workspaces(multi_workspace, fake_slack):
    fake_slack.oauth_codes["code-org"] = Installation(None, None, ORG_TOKEN, enterprise_id=ENTERPRISE, org_wide=True)

    landing = install(multi_workspace, "code-org")

    assert "https://globular.enterprise.slack.com/manage/organization/apps/profile/AMENTOR/workspaces/add" in landing


@pytest.fixture
def grid_workspace(multi_workspace, fake_slack):
    """Mentor installed in one workspace of the org ENTERPRISE, as a plain workspace app."""
    fake_slack.oauth_codes["code-ws"] = Installation(
        GRID_WORKSPACE, "Grid one", WORKSPACE_TOKEN, enterprise_id=ENTERPRISE, enterprise_name="Globular"
    )
    install(multi_workspace, "code-ws")
    return multi_workspace


def command(app, fixture: str, text: str, user_id: str, team_id: str = GRID_WORKSPACE) -> dict:
    """A /mentor command from the fixture; its answer through response_url."""
    before = len(app.fake_slack.calls("response_url"))
    reply = replay(app.slack, fixture, TEXT=text, USER=user_id, TEAM=team_id)
    assert reply.status == 200, reply.body
    return app.fake_slack.wait_for("response_url", count=before + 1)[before].args


def home_of(app, user_id: str) -> str:
    [*_, published] = [call for call in app.fake_slack.calls("views.publish") if call.args["user_id"] == user_id]
    return json.dumps(published.args["view"])


def test_org_wide_commands_events_and_clicks_keep_one_members_data_together(org_wide):
    command(org_wide, "commands/mentor_org_wide", "offer SQL", "UANA")

    assert replay(org_wide.slack, "events/app_home_opened_org_wide", USER="UANA", TEAM=GRID_WORKSPACE).status == 200
    org_wide.settle()

    home = home_of(org_wide, "UANA")
    assert "SQL" in home and "Welcome to Mentor" not in home
    assert rows_of(org_wide, ENTERPRISE) > 0 and rows_of(org_wide, GRID_WORKSPACE) == 0


def test_org_wide_a_member_is_one_member_in_every_workspace_of_the_org(org_wide):
    command(org_wide, "commands/mentor_org_wide", "offer SQL", "UANA", team_id=GRID_WORKSPACE)

    answer = command(org_wide, "commands/mentor_org_wide", "offer", "UANA", team_id=OTHER_WORKSPACE)

    assert "haven't listed any skills" not in answer["text"] and "SQL" in answer["text"]


def test_org_wide_a_profile_saved_from_the_home_tab_is_the_one_commands_see(org_wide):
    values = {ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": "Hiring"}}}
    reply = replay(
        org_wide.slack,
        "interactions/view_submission_org_wide",
        USER="UANA",
        TEAM=OTHER_WORKSPACE,
        CALLBACK_ID=ids.PROFILE_VIEW,
        VALUES=values,
    )
    assert reply.status == 200, reply.body

    assert "Hiring" in command(org_wide, "commands/mentor_org_wide", "offer", "UANA", team_id=GRID_WORKSPACE)["text"]


def test_org_wide_rounds_introduce_members_from_the_orgs_workspaces_with_the_org_token(org_wide):
    for user_id, workspace in (("UANA", GRID_WORKSPACE), ("UCAT", OTHER_WORKSPACE)):
        command(org_wide, "commands/mentor_org_wide", "join coffee", user_id, team_id=workspace)

    run_rounds_now(org_wide.deps, RoundKind.COFFEE)

    opened = [call for call in org_wide.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    assert [set(call.args["users"].split(",")) for call in opened] == [{"UANA", "UCAT"}]
    assert {call.token for call in opened} == {ORG_TOKEN}
    posted = [call for call in org_wide.fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUANAUCAT"]
    assert posted and all(call.response["ok"] for call in posted)


def test_org_wide_a_member_deactivated_in_the_org_leaves_the_rounds(org_wide):
    for user_id, workspace in (("UANA", GRID_WORKSPACE), ("UBEN", GRID_WORKSPACE), ("UCAT", OTHER_WORKSPACE)):
        command(org_wide, "commands/mentor_org_wide", "join coffee", user_id, team_id=workspace)

    reply = replay(org_wide.slack, "events/user_change_org_wide", USER="UANA", TEAM=GRID_WORKSPACE, DELETED=True)
    org_wide.settle()
    run_rounds_now(org_wide.deps, RoundKind.COFFEE)

    assert reply.status == 200
    opened = [call for call in org_wide.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    assert [set(call.args["users"].split(",")) for call in opened] == [{"UBEN", "UCAT"}]


def test_org_wide_uninstall_deletes_the_orgs_installation_and_data(org_wide, sqlite_url):
    command(org_wide, "commands/mentor_org_wide", "offer SQL", "UANA")
    command(org_wide, "commands/mentor_org_wide", "join coffee", "UCAT", team_id=OTHER_WORKSPACE)

    reply = replay(org_wide.slack, "events/app_uninstalled_org_wide", TEAM=GRID_WORKSPACE)
    org_wide.settle()

    assert reply.status == 200
    assert rows_of(org_wide) == 0
    with org_wide.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM slack_bots").scalar() == 0


def test_a_grid_workspace_install_gets_dms_outside_any_request(grid_workspace, caplog):
    user = {"TEAM": GRID_WORKSPACE, "ENTERPRISE": ENTERPRISE, "USER": "UNEW"}

    with caplog.at_level(logging.WARNING):
        assert replay(grid_workspace.slack, "events/team_join_grid_workspace", **user).status == 200
        grid_workspace.settle()

    [welcome] = grid_workspace.fake_slack.wait_for("chat.postMessage")
    assert welcome.token == WORKSPACE_TOKEN and welcome.response["ok"]
    assert "Welcome" in welcome.args["text"]


def test_a_grid_workspace_install_keys_commands_and_events_by_its_workspace(grid_workspace):
    command(grid_workspace, "commands/mentor_grid_workspace", "offer SQL", "UANA")

    assert rows_of(grid_workspace, GRID_WORKSPACE) > 0 and rows_of(grid_workspace, ENTERPRISE) == 0


def test_org_wide_a_mentees_note_in_the_prompts_thread_reaches_the_mentor(org_wide):
    org_wide.slack = SlackSender(
        org_wide.slack.events_url,
        SIGNING_SECRET,
        org_wide.fake_slack,
        team_id=GRID_WORKSPACE,
        enterprise_id=ENTERPRISE,
        org_wide=True,
    )

    answer_followup(org_wide, note=NOTE)

    [thread_answer] = [call for call in posted_to(org_wide, "DUASK") if call.args.get("thread_ts")]
    assert "only read replies" not in thread_answer.args["text"]
    [report] = [call for call in posted_to(org_wide, "DUANA") if "closed the loop" in call.args["text"]]
    assert "it went from 9 s to 40 ms" in str(report.args["blocks"])
