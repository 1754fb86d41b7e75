"""A command acknowledged is a command done: its work is in the database before the ack, so
killing every process of the service right after a burst loses none of it, and a worker
killed in the middle of a job leaves it to another, which does it once."""

import os
import signal
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import app as mentor_app
from bot.members.model import SkillKind
from bot.members.services import list_skills
from jobs.command_jobs import LEASE, MAX_ATTEMPTS, SENDER
from storage.command_jobs import COMMAND, NewCommandJob
from storage.db import Store, make_engine
from tests.support.app_process import app_process, free_port, serving, serving_environ
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.running_app import SIGNING_SECRET, RunningApp, app_environ
from tests.support.slack_requests import SlackSender

STARTING = 60.0  # seconds a fresh process may take to start and answer, on a busy machine


def offers_in(database_url: str, user_ids) -> dict[str, set[str]]:
    """What each member offers, read from the service's own database."""
    store = Store(make_engine(database_url))
    try:
        return {user_id: offers_in_store(store, user_id) for user_id in user_ids}
    finally:
        store.engine.dispose()


def test_commands_acknowledged_before_the_whole_service_is_killed_are_each_done_once_after_a_restart(
    fake_slack, tmp_path, database_url
):
    members = [f"UMEMBER{n:02d}" for n in range(20)]
    # Each command's work stops at its first call to Slack: acknowledged, and not done yet.
    fake_slack.held.add("users.info")
    with serving(fake_slack, tmp_path, database_url=database_url) as (server, base):
        slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)
        with ThreadPoolExecutor(max_workers=20) as clients:  # 80 offers from 20 clients at once
            acks = list(clients.map(lambda n: slack.command(f"offer Skill{n}", user_id=members[n % 20]), range(80)))
        assert all(ack.status == 200 for ack in acks)
        fake_slack.wait_for_arrival("users.info", timeout=STARTING)

        os.killpg(server.pid, signal.SIGKILL)  # every process of the service, with no warning
        server.wait()
    assert fake_slack.calls("response_url") == []  # nothing was done before the kill
    fake_slack.held.clear()
    fake_slack.release.set()

    with serving(fake_slack, tmp_path, database_url=database_url) as (server, base):
        fake_slack.wait_for("response_url", count=80, timeout=STARTING)
        assert "could not finish" not in str(fake_slack.calls("response_url"))
        server.terminate()  # a clean stop: what its workers hold ends first
        assert server.wait(timeout=STARTING) == 0

    answers = Counter(reply.url for reply in fake_slack.calls("response_url"))  # by command
    assert len(answers) == 80 and set(answers.values()) == {1}  # each command answered, once
    assert offers_in(database_url, members) == {
        user_id: {f"Skill{n}" for n in range(80) if n % 20 == number} for number, user_id in enumerate(members)
    }


def test_a_worker_killed_in_the_middle_of_a_command_leaves_it_to_another_which_does_it_once(
    fake_slack, tmp_path, database_url
):
    fake_slack.held.add("users.info")  # the command's work stops at its first call to Slack
    with serving(fake_slack, tmp_path, ["--no-worker"], database_url) as (web, base):
        worker_environ = serving_environ(fake_slack, free_port(), database_url)  # a port it never opens
        with app_process(["worker"], worker_environ, tmp_path, stderr=subprocess.PIPE, text=True) as first:
            slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)
            assert slack.command("offer SQL", user_id="UANA").status == 200
            fake_slack.wait_for_arrival("users.info", timeout=STARTING)  # the first worker is doing it
            with app_process(["worker"], worker_environ, tmp_path, stderr=subprocess.PIPE, text=True) as second:
                first.kill()
                first.wait()
                fake_slack.held.clear()
                fake_slack.release.set()

                [reply] = fake_slack.wait_for("response_url", timeout=STARTING)
                assert "SQL" in reply.args["text"]
                second.terminate()
                assert second.wait(timeout=STARTING) == 0
                assert "Traceback" not in second.stderr.read()

    assert len(fake_slack.calls("response_url")) == 1
    assert offers_in(database_url, ["UANA"]) == {"UANA": {"SQL"}}


def test_a_command_whose_workers_kept_dying_is_given_up_and_its_member_told_by_dm_nothing_changed(mentor):
    # Three workers claimed it in turn, an hour ago, and each died doing it (their leases ran out).
    url = mentor.fake_slack.response_url("given-up")
    past = datetime.now(UTC) - timedelta(hours=1)
    with mentor.store.transaction() as work:
        work.command_jobs.queue([NewCommandJob(DEFAULT_TEAM, "UANA", "offer", "SQL", url)], past)
        for attempt in range(MAX_ATTEMPTS):
            at = past + attempt * (LEASE + timedelta(seconds=1))
            assert work.command_jobs.claim(at, at + LEASE, {(COMMAND, "offer")}, f"elsewhere:{attempt}") is not None

    mentor.deps.command_queued.set()
    mentor.settle()

    assert mentor.fake_slack.calls("response_url") == []  # its response URL may have expired
    [told] = mentor.fake_slack.calls("chat.postMessage")  # a DM, through the outbox
    assert told.args["channel"] == "DUANA"
    assert "could not finish `/mentor offer`" in told.args["text"] and "nothing was changed" in told.args["text"]
    assert offers_in_store(mentor.store, "UANA") == set()
    with mentor.store.reading() as work:
        assert work.command_jobs.waiting() == 0


def offers_in_store(store, user_id: str) -> set[str]:
    with store.reading() as work:
        return {skill.label for skill in list_skills(work, DEFAULT_TEAM, user_id, SkillKind.OFFER)}


def test_commands_claimed_under_this_process_s_id_by_an_earlier_process_are_done_at_its_start(fake_slack, sqlite_url):
    # A container's first process has id 1 again after a restart: its claims look alive.
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), workers=False)
    try:
        now = datetime.now(UTC)
        with mentor.store.transaction() as work:
            job = NewCommandJob(DEFAULT_TEAM, "UANA", "offer", "SQL", fake_slack.response_url("earlier"))
            work.command_jobs.queue([job], now)
            assert work.command_jobs.claim(now, now + LEASE, {(COMMAND, "offer")}, SENDER) is not None

        mentor.workers = mentor_app.command_workers(mentor.deps).start()
        mentor.settle()

        [answer] = fake_slack.calls("response_url")
        assert "SQL" in answer.args["text"]
        assert offers_in_store(mentor.store, "UANA") == {"SQL"}
    finally:
        mentor.stop()
