"""Events about people and the workspace: newcomers are welcomed once and enrolled in
nothing; an uninstall or a revoked token deletes the workspace's tokens and data; and an
event Slack sends again (a retry) is handled once, unless the first try failed; and Slack's
notice that it dropped events is told to the operator."""

import logging
import shutil

import app as mentor_app
from jobs import outbox
from storage.db import make_engine
from tests.support.databases import break_database
from tests.support.fake_slack import DEFAULT_TEAM, Installation, default_user
from tests.support.members import answer_followup, install, posted_to, rows_of, say
from tests.support.slack_fixtures import replay

NOTE_EVENT = "EvNOTE0001"


def team_join(mentor, user: dict, event_id: str):
    return mentor.slack.event({"type": "team_join", "user": user, "event_ts": "1.0"}, event_id=event_id)


def test_a_newcomer_is_welcomed_once_and_enrolled_in_nothing(mentor):
    newcomer = default_user("UNEW", DEFAULT_TEAM)

    for event_id in ("EvJOIN1", "EvJOIN1", "EvJOIN2"):  # a retry, then the same person again
        assert team_join(mentor, newcomer, event_id).status == 200
    team_join(mentor, {**default_user("UBOT", DEFAULT_TEAM), "is_bot": True}, "EvJOIN3")
    mentor.settle()

    [welcome] = posted_to(mentor, "DUNEW")
    assert "You're not enrolled in anything" in welcome.args["text"]
    assert posted_to(mentor, "DUBOT") == []
    with mentor.store.transaction() as repositories:
        assert repositories.profiles.get(DEFAULT_TEAM, "UNEW") is None
        assert "coffee" not in repositories.rounds.membership(DEFAULT_TEAM, "UNEW").programs


def test_uninstalling_deletes_the_workspaces_data_and_nothing_else(mentor):
    say(mentor, "offer SQL", "UANA")
    say(mentor, "join coffee", "UANA")
    with mentor.store.transaction() as repositories:
        repositories.profiles.queue_welcome("TOTHER", "UOTHER", mentor.clock())
    assert rows_of(mentor, DEFAULT_TEAM) > 0

    reply = mentor.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, event_id="EvBYE")
    mentor.settle()

    assert reply.status == 200
    assert rows_of(mentor, DEFAULT_TEAM) == 0 and rows_of(mentor, "TOTHER") == 1


def test_a_revoked_bot_token_deletes_the_installation_and_the_data(multi_workspace, fake_slack, sqlite_url):
    fake_slack.oauth_codes["code-beta"] = Installation("TBETA", "Beta", "xoxb-beta-token")
    install(multi_workspace, "code-beta")
    multi_workspace.slack.command("offer SQL", user_id="UBETA", team_id="TBETA")
    fake_slack.wait_for("response_url")

    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UMENTORBOT"]}, "event_ts": "1.0"}
    assert multi_workspace.slack.event(event, team_id="TBETA", event_id="EvREVOKE").status == 200
    multi_workspace.settle()

    with make_engine(sqlite_url).connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM slack_bots").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM slack_installations").scalar() == 0
    assert rows_of(multi_workspace, "TBETA") == 0


def note_event(thread_ts: str) -> dict:
    return {
        "type": "message",
        "channel": "DUASK",
        "channel_type": "im",
        "user": "UASK",
        "text": "The index worked, thanks",
        "ts": "1800000000.000100",
        "thread_ts": thread_ts,
        "event_ts": "1800000000.000100",
    }


def answered_prompt(mentor):
    for user_id in ("UANA", "UASK"):
        mentor.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    return answer_followup(mentor)


def test_a_retried_event_is_answered_200_each_time_and_handled_once(mentor):
    prompt = answered_prompt(mentor)
    event = note_event(prompt.response["ts"])

    replies = [mentor.slack.event(event, event_id=NOTE_EVENT)]
    mentor.settle()
    for retry in (1, 2, 3):
        mentor.clock.advance(minutes=retry * 2)  # the last retry comes 12 minutes after the event
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        replies.append(mentor.slack.event(event, event_id=NOTE_EVENT, extra_headers=headers))
    mentor.settle()

    assert [reply.status for reply in replies] == [200] * 4
    in_thread = [call for call in posted_to(mentor, "DUASK") if call.args.get("thread_ts") == prompt.response["ts"]]
    assert len(in_thread) == 1 and "on its way" in in_thread[0].args["text"]
    assert len([call for call in posted_to(mentor, "DUANA") if "closed the loop" in call.args["text"]]) == 1


def test_a_retry_of_an_event_whose_first_try_failed_is_handled(mentor, tmp_path):
    prompt = answered_prompt(mentor)
    event = note_event(prompt.response["ts"])
    mentor.engine.dispose()
    saved = tmp_path / "saved"
    saved.mkdir()
    for file in tmp_path.glob("mentor.db*"):
        shutil.copy(file, saved / file.name)
    break_database(mentor, tmp_path)  # the first delivery finds no database

    assert mentor.slack.event(event, event_id=NOTE_EVENT).status == 200
    mentor.settle()
    (tmp_path / "mentor.db").rmdir()
    for file in saved.iterdir():
        shutil.copy(file, tmp_path / file.name)
    mentor.engine.dispose()
    mentor.workers = mentor_app.command_workers(mentor.deps).start()  # stopped with the database
    headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert mentor.slack.event(event, event_id=NOTE_EVENT, extra_headers=headers).status == 200
    mentor.settle()

    with mentor.store.transaction() as repositories:
        assert (
            repositories.followups.by_message(DEFAULT_TEAM, "DUASK", prompt.response["ts"]).note
            == "The index worked, thanks"
        )


def test_slacks_notice_of_dropped_events_is_acknowledged_and_logged_with_its_minute(mentor, caplog):
    minute = 1764500400  # 2025-11-30 11:00 UTC

    with caplog.at_level(logging.WARNING):
        reply = replay(mentor.slack, "events/app_rate_limited", MINUTE=minute)

    assert reply.status == 200
    [warning] = [record.getMessage() for record in caplog.records if "app_rate_limited" in record.getMessage()]
    assert "2025-11-30 11:00 UTC" in warning and DEFAULT_TEAM in warning


def test_a_dm_for_a_workspace_without_an_installation_is_logged_not_silently_dropped(multi_workspace, caplog):
    with multi_workspace.store.transaction() as repositories:
        repositories.profiles.queue_welcome("TGONE", "UNEW", multi_workspace.clock())

    with caplog.at_level(logging.WARNING):
        outbox.drain(multi_workspace.deps)

    assert multi_workspace.fake_slack.calls("chat.postMessage") == []
    assert any("TGONE" in record.getMessage() and "not sent" in record.getMessage() for record in caplog.records)
