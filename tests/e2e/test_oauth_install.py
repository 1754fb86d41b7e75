"""Many workspaces: Slack's OAuth install flow, then each workspace's own token."""

from storage.db import make_engine
from tests.support.fake_slack import Installation
from tests.support.members import install


def test_an_installed_workspace_is_served_with_its_own_token(multi_workspace, fake_slack):
    fake_slack.oauth_codes["code-beta"] = Installation("TBETA", "Beta", "xoxb-beta-token")
    install(multi_workspace, "code-beta")

    multi_workspace.slack.command("profile", user_id="UBETA", team_id="TBETA")

    [opened] = fake_slack.wait_for("views.open")
    assert opened.token == "xoxb-beta-token"


def test_installations_are_kept_in_the_apps_database(multi_workspace, fake_slack, sqlite_url):
    fake_slack.oauth_codes["code-beta"] = Installation("TBETA", "Beta", "xoxb-beta-token")
    install(multi_workspace, "code-beta")

    with make_engine(sqlite_url).connect() as connection:
        teams = connection.exec_driver_sql("SELECT team_id FROM slack_bots").scalars().all()
    assert teams == ["TBETA"]


def test_profiles_are_kept_apart_per_workspace(multi_workspace, fake_slack):
    fake_slack.oauth_codes["code-a"] = Installation("TALPHA", "Alpha", "xoxb-alpha-token")
    fake_slack.oauth_codes["code-b"] = Installation("TBETA", "Beta", "xoxb-beta-token")
    install(multi_workspace, "code-a")
    install(multi_workspace, "code-b")

    multi_workspace.slack.command("offer SQL", user_id="USAME", team_id="TALPHA")
    fake_slack.wait_for("response_url")
    multi_workspace.slack.command("offer", user_id="USAME", team_id="TBETA")
    answers = [call.args["text"] for call in fake_slack.wait_for("response_url", count=2)]

    assert "You haven't listed any skills you can help with yet" in answers[1]


def test_a_workspace_that_never_installed_the_app_is_not_served(multi_workspace, fake_slack):
    reply = multi_workspace.slack.command("offer SQL", user_id="USTRANGER", team_id="TNOBODY")

    assert reply.status == 200
    [answer] = fake_slack.wait_for("response_url")
    assert "Mentor isn't installed in this workspace" in answer.args["text"]
    with multi_workspace.store.transaction() as repositories:
        assert repositories.profiles.get("TNOBODY", "USTRANGER") is None
