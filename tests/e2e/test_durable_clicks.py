"""A click acknowledged is a click done: its work is in the database before the ack, as a
command's is (test_durable_commands.py), so killing every process of the service right after
a burst of clicks loses none of them, and a worker killed in the middle of a click leaves it
to another, which does it once; a click whose workers kept dying is told to its member."""

import json
import os
import signal
import subprocess
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import app as mentor_app
import handlers
from bot import ids
from bot.errors import TemporarilyUnavailable
from jobs.command_jobs import LEASE, MAX_ATTEMPTS
from jobs.outbox import SENDER
from storage.command_jobs import ACTION, VIEW, CommandJobRepository, NewCommandJob
from tests.e2e.test_durable_commands import STARTING
from tests.support.app_process import app_process, free_port, serving, serving_environ
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.forms import settings_form
from tests.support.members import submit_profile
from tests.support.running_app import SIGNING_SECRET, RunningApp, app_environ
from tests.support.slack_requests import SlackSender

BOTH = "You're in coffee chats and reverse mentoring."


# A click on a Home tab's "Join" button as a job keeps it (handlers.interactions.request_of):
# the block_actions payload as Slack sends it (api.slack.com/reference/interaction-payloads/
# block-actions), the button's label included, and Bolt's context.
HOME_JOIN_CLICK = {
    "body": {
        "type": "block_actions",
        "user": {"id": "UANA", "username": "ana", "name": "ana", "team_id": DEFAULT_TEAM},
        "api_app_id": "AMENTOR",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "VHOME"},
        "trigger_id": "1764579600.123456.8e9f0a1b2c3d",
        "team": {"id": DEFAULT_TEAM, "domain": "acme"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": {"id": "VHOME", "type": "home", "blocks": [], "private_metadata": "", "callback_id": ""},
        "actions": [
            {
                "action_id": ids.JOIN_ROUND,
                "block_id": "program-rnd",
                "text": {"type": "plain_text", "text": "Join R&D coffee", "emoji": True},
                "value": "rnd-coffee",
                "type": "button",
                "action_ts": "1764579600.234567",
            }
        ],
    },
    "context": {"team_id": DEFAULT_TEAM, "enterprise_id": None, "is_enterprise_install": False, "user_id": "UANA"},
}


def homes_by_member(fake_slack) -> dict[str, list[str]]:
    """Each member's Home tabs as published, in order, as text."""
    homes: dict[str, list[str]] = {}
    for call in fake_slack.calls("views.publish"):
        homes.setdefault(call.args["user_id"], []).append(str(call.args["view"]["blocks"]))
    return homes


def test_clicks_acknowledged_before_the_whole_service_is_killed_are_each_done_once_after_a_restart(
    fake_slack, tmp_path, database_url
):
    members = [f"UMEMBER{n:02d}" for n in range(20)]
    programs = ["coffee", "reverse"]
    # Each click's work stops at its first call to Slack (who clicked): acknowledged, not done yet.
    fake_slack.held.add("users.info")
    with serving(fake_slack, tmp_path, database_url=database_url) as (server, base):
        slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)

        def join(n: int):  # on the Home tab: "Join coffee chats", then "Join reverse mentoring"
            return slack.click(ids.JOIN_ROUND, members[n % 20], programs[n // 20])

        with ThreadPoolExecutor(max_workers=20) as clients:  # 40 clicks from 20 clients at once
            acks = list(clients.map(join, range(40)))
        assert all(ack.status == 200 for ack in acks)
        fake_slack.wait_for_arrival("users.info", timeout=STARTING)

        os.killpg(server.pid, signal.SIGKILL)  # every process of the service, with no warning
        server.wait()
    assert fake_slack.calls("views.publish") == []  # nothing was done before the kill
    fake_slack.held.clear()
    fake_slack.release.set()

    with serving(fake_slack, tmp_path, database_url=database_url) as (server, base):
        fake_slack.wait_for("views.publish", count=40, timeout=STARTING)
        server.terminate()  # a clean stop: what its workers hold ends first
        assert server.wait(timeout=STARTING) == 0

    homes = homes_by_member(fake_slack)
    # Each click redrew its member's Home once, in the order they clicked: both programs joined.
    assert Counter(len(drawn) for drawn in homes.values()) == {2: 20} and set(homes) == set(members)
    assert all(BOTH not in drawn[0] and BOTH in drawn[1] for drawn in homes.values())
    assert fake_slack.calls("chat.postMessage") == []  # nobody was told it failed


def test_a_worker_killed_in_the_middle_of_a_click_leaves_it_to_another_which_does_it_once(
    fake_slack, tmp_path, database_url
):
    fake_slack.held.add("users.info")  # the click's work stops at its first call to Slack
    with serving(fake_slack, tmp_path, ["--no-worker"], database_url) as (web, base):
        worker_environ = serving_environ(fake_slack, free_port(), database_url)  # a port it never opens
        with app_process(["worker"], worker_environ, tmp_path, stderr=subprocess.PIPE, text=True) as first:
            slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)
            assert slack.click(ids.JOIN_ROUND, "UANA", "coffee").status == 200
            fake_slack.wait_for_arrival("users.info", timeout=STARTING)  # the first worker is doing it
            with app_process(["worker"], worker_environ, tmp_path, stderr=subprocess.PIPE, text=True) as second:
                first.kill()
                first.wait()
                fake_slack.held.clear()
                fake_slack.release.set()

                [publish] = fake_slack.wait_for("views.publish", timeout=STARTING)
                assert "You're in coffee chats." in str(publish.args["view"]["blocks"])
                second.terminate()
                assert second.wait(timeout=STARTING) == 0
                assert "Traceback" not in second.stderr.read()

    assert len(fake_slack.calls("views.publish")) == 1


def test_a_members_next_click_waits_until_the_last_one_has_redrawn_their_home(fake_slack, sqlite_url):
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), workers=False)  # this test works them

    def claim():
        now = datetime.now(UTC)
        with mentor.store.transaction() as work:
            return work.command_jobs.claim(now, now + LEASE, handlers.KNOWN, SENDER)

    try:
        for program in ("coffee", "reverse"):  # "Join coffee chats", then "Join reverse mentoring"
            assert mentor.slack.click(ids.JOIN_ROUND, "UANA", program).status == 200
        fake_slack.held.add("views.publish")
        first = claim()
        worker = threading.Thread(target=handlers.perform, args=(mentor.deps, first))
        worker.start()
        fake_slack.wait_for_arrival("views.publish")  # Ana joined coffee chats; her Home is on its way

        assert claim() is None  # her second click waits for the first to end
        fake_slack.held.clear()
        fake_slack.release.set()
        worker.join()
        second = claim()
        assert second is not None
        handlers.perform(mentor.deps, second)

        drawn = homes_by_member(fake_slack)["UANA"]
        assert len(drawn) == 2 and BOTH not in drawn[0] and BOTH in drawn[1]  # the last Home is the latest
        with mentor.store.reading() as work:
            assert work.command_jobs.waiting() == 0 and claim() is None
    finally:
        mentor.stop()


def claimed_by_workers_that_died(mentor, job: NewCommandJob) -> None:
    """`job` claimed by MAX_ATTEMPTS workers in turn, an hour ago, each dying while doing it
    (their leases ran out); then this app's workers look at it, and end."""
    past = datetime.now(UTC) - timedelta(hours=1)
    with mentor.store.transaction() as work:
        work.command_jobs.queue([job], past)
        for attempt in range(MAX_ATTEMPTS):
            at = past + attempt * (LEASE + timedelta(seconds=1))
            assert work.command_jobs.claim(at, at + LEASE, {(job.surface, job.name)}, f"elsewhere:{attempt}")
    mentor.deps.command_queued.set()
    mentor.settle()


def test_a_click_whose_workers_kept_dying_is_given_up_and_its_member_told_by_dm_nothing_changed(mentor):
    claimed_by_workers_that_died(
        mentor, NewCommandJob(DEFAULT_TEAM, "UANA", ids.JOIN_ROUND, "", "", ACTION, json.dumps(HOME_JOIN_CLICK))
    )

    [told] = mentor.fake_slack.calls("chat.postMessage")  # a DM, through the outbox
    assert told.args["channel"] == "DUANA"
    assert "could not finish what you clicked (*Join R&amp;D coffee*)" in told.args["text"]  # named, escaped once
    assert "nothing was changed" in told.args["text"]
    assert mentor.fake_slack.calls("views.publish") == []
    with mentor.store.reading() as work:
        assert work.command_jobs.waiting() == 0


def test_what_follows_a_saved_profile_given_up_after_its_workers_kept_dying_tells_nobody_nothing_changed(mentor):
    # The profile was saved with the job, before the ack: "nothing was changed" would be untrue.
    submitted = {"body": {"type": "view_submission", "user": {"id": "UANA", "team_id": DEFAULT_TEAM}}, "context": {}}
    claimed_by_workers_that_died(
        mentor, NewCommandJob(DEFAULT_TEAM, "UANA", ids.PROFILE_VIEW, "", "", VIEW, json.dumps(submitted))
    )

    assert mentor.fake_slack.calls("chat.postMessage") == [] and mentor.fake_slack.calls("views.publish") == []
    with mentor.store.reading() as work:
        assert work.command_jobs.waiting() == 0


def test_an_export_whose_job_could_not_be_ended_is_not_sent_again_by_the_retry(fake_slack, sqlite_url, monkeypatch):
    fake_slack.users["UADM"] = {**default_user("UADM", DEFAULT_TEAM), "is_admin": True}
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url))
    try:
        # The database fails once, as the worker ends the job: after the CSV files went.
        finish = CommandJobRepository.finish
        failures = iter([TemporarilyUnavailable()])

        def failing_once(self, claimed):
            if (failure := next(failures, None)) is not None:
                raise failure
            return finish(self, claimed)

        monkeypatch.setattr(CommandJobRepository, "finish", failing_once)
        assert mentor.slack.click(ids.SEND_EXPORT, "UADM", "90").status == 200
        fake_slack.uploaded(count=2)
        with mentor.store.transaction() as work:  # another machine's worker, once the lease ran out
            assert work.command_jobs.release_claims(datetime.now(UTC), lambda claimer: True) == 1
        mentor.deps.command_queued.set()
        mentor.settle()

        assert len(fake_slack.uploaded(count=2)) == 2  # the two CSV files, once
        told = [call.args["text"] for call in fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUADM"]
        assert told == [":white_check_mark: Sent the CSV export to your DMs with Mentor."]
        with mentor.store.reading() as work:
            assert work.command_jobs.waiting() == 0
    finally:
        mentor.stop()


def test_clicks_and_events_are_recorded_before_their_ack_and_each_done_once_by_a_worker_started_later(
    fake_slack, sqlite_url
):
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), workers=False)
    try:
        message = ("DUANA", "1700000000.000100")  # "Forget me?" under `/mentor forget`, in their DM
        assert mentor.slack.click(ids.FORGET_CANCEL, "UANA", "", message=message).status == 200
        assert mentor.slack.app_home_opened("UBEN", event_id="Ev0HOME").status == 200
        joined = {"type": "team_join", "user": {**default_user("UCAL", DEFAULT_TEAM), "is_bot": False}}
        assert mentor.slack.event(joined, event_id="Ev0JOIN").status == 200
        mentor.settle()
        assert fake_slack.calls("response_url") == [] and fake_slack.calls("views.publish") == []
        with mentor.store.reading() as work:
            assert work.command_jobs.waiting() == 3  # nothing done yet: no worker runs

        mentor.workers = mentor_app.command_workers(mentor.deps).start()
        mentor.settle()

        [kept] = fake_slack.calls("response_url")
        assert "Nothing was deleted" in kept.args["text"] and kept.args["replace_original"] is True
        [home] = fake_slack.calls("views.publish")
        assert home.args["user_id"] == "UBEN"
        [welcome] = [call for call in fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUCAL"]
        assert "Mentor" in welcome.args["text"]
    finally:
        mentor.stop()


def test_what_follows_a_saved_profile_or_settings_is_recorded_with_them_and_done_by_a_worker_started_later(
    fake_slack, sqlite_url
):
    """The modal closes once the profile or the settings are saved; what follows (the Home tab
    redrawn, the admin told what the settings are now) is recorded in the same transaction,
    so the death of the process that acknowledged the submission does not lose it."""
    fake_slack.users["UADM"] = {**default_user("UADM", DEFAULT_TEAM), "is_admin": True}
    mentor = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url), workers=False)
    try:
        assert submit_profile(mentor, "UANA", "senior", "SQL, Go", "Rust").status == 200
        weekly = settings_form(CADENCE={"selected_option": {"value": "1"}})
        assert mentor.slack.submit_view(ids.SETTINGS_VIEW, weekly, "UADM").status == 200
        mentor.settle()
        assert fake_slack.calls("views.publish") == [] and fake_slack.calls("chat.postMessage") == []
        with mentor.store.reading() as work:
            assert work.command_jobs.waiting() == 2  # nothing done after the acks yet: no worker runs
            assert [skill.label for skill in work.profiles.get(DEFAULT_TEAM, "UANA").offers] == ["SQL", "Go"]

        mentor.workers = mentor_app.command_workers(mentor.deps).start()
        mentor.settle()

        homes = {call.args["user_id"]: str(call.args["view"]) for call in fake_slack.calls("views.publish")}
        assert sorted(homes) == ["UADM", "UANA"] and "SQL" in homes["UANA"]
        [saved] = [call for call in fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUADM"]
        assert "Coffee chats every week" in saved.args["text"]
    finally:
        mentor.stop()
