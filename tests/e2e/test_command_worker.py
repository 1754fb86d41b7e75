"""Served as app.py serves, a command's work after the ack runs in a process of its own: its
answers, refusals and DMs reach members as before, and a worker that dies is replaced with
the members whose commands it held told so."""

import os
import signal

import pytest

from bot.members.model import SkillKind
from bot.members.services import list_skills
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.members import QUESTION
from tests.support.running_app import RunningApp, app_environ

STARTING = 60.0  # seconds a fresh worker process may take to import and answer, on a busy machine


@pytest.fixture
def served(fake_slack, sqlite_url):
    running = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), command_worker=True)
    yield running
    running.fake_slack.release.set()
    running.stop()


def command(served, text: str, user_id: str) -> dict:
    """Send a command; return the answer its work sent through response_url."""
    before = len(served.fake_slack.calls("response_url"))
    reply = served.slack.command(text, user_id=user_id)
    assert reply.status == 200 and reply.seconds < 3
    return served.fake_slack.wait_for("response_url", count=before + 1, timeout=STARTING)[before].args


def offers_of(served, user_id: str) -> set[str]:
    with served.store.transaction() as repositories:
        return {skill.label for skill in list_skills(repositories, DEFAULT_TEAM, user_id, SkillKind.OFFER)}


def test_answers_refusals_and_dms_come_from_the_worker(served):
    assert "SQL" in command(served, "offer SQL, Go", "UANA")["text"]
    assert "SQL" in command(served, "offer SQL", "UBEN")["text"]
    assert offers_of(served, "UANA") == {"SQL", "Go"}

    refused = command(served, "pause someday", "UANA")
    assert "Nothing was changed" in refused["text"]

    assert "Looking" in served.slack.command(f"ask {QUESTION}", user_id="UASK").json()["text"]
    served.settle()  # the ask's DMs leave from the worker's own outbox drain
    asked = {call.args["channel"] for call in served.fake_slack.calls("chat.postMessage")}
    assert {"DUANA", "DUBEN"} <= asked


def test_a_worker_that_dies_holding_a_command_is_replaced_and_the_member_told(served):
    command(served, "offer SQL", "UANA")  # the worker is up
    served.fake_slack.held.add("users.info")  # the next offer's work hangs on Slack
    assert served.slack.command("offer Go", user_id="UBEN").status == 200
    served.fake_slack.wait_for_arrival("users.info", timeout=STARTING)
    dead = served.worker.pid

    os.kill(dead, signal.SIGKILL)

    told = served.fake_slack.wait_for("response_url", count=2, timeout=STARTING)[1].args
    assert "interrupted while answering `/mentor offer`" in told["text"]
    assert told.get("response_type", "ephemeral") == "ephemeral"  # response_url's default: only UBEN sees it
    served.fake_slack.held.clear()
    served.fake_slack.release.set()
    assert "Python" in command(served, "offer Python", "UCAT")["text"]
    assert served.worker.pid != dead
