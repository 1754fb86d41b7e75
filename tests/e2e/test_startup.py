"""`python app.py` itself: a bad setting, tokens Slack refuses, migrations, and serving Slack over HTTP
and Socket Mode, and stopping."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
from urllib.parse import parse_qsl

from bot import ids
from tests.support.app_process import app_process, free_port, run_app, serving
from tests.support.fake_slack import APP_TOKEN, DEFAULT_TEAM, DEFAULT_TOKEN, default_user
from tests.support.running_app import SIGNING_SECRET
from tests.support.slack_requests import SlackSender, http_request

PATH = {"PATH": os.environ["PATH"]}


def test_a_missing_setting_exits_2_with_one_line_naming_it(tmp_path):
    # One case end to end; tests/unit/test_config.py checks every setting, in this process.
    result = run_app([], PATH, tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "mentor: SLACK_SIGNING_SECRET is not set. See README.md, section Configuration."
    ]
    assert not list(tmp_path.iterdir())  # nothing created


def test_a_token_slack_refuses_exits_2_naming_it(fake_slack, tmp_path):
    environ = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_API_URL": fake_slack.api_url}
    result = run_app([], {**PATH, **environ}, tmp_path)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mentor: Slack refused SLACK_BOT_TOKEN (invalid_auth). See README.md, section Configuration."
    ]
    assert "Traceback" not in result.stderr and "xoxb-revoked" not in result.stderr


def test_an_app_token_slack_refuses_exits_2_naming_it(fake_slack, tmp_path):
    environ = {
        **PATH,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_APP_TOKEN": "xapp-revoked",
        "SLACK_API_URL": fake_slack.api_url,
        "PORT": str(free_port()),
    }
    result = run_app([], environ, tmp_path)

    assert fake_slack.calls("apps.connections.open")[0].response == {"ok": False, "error": "invalid_auth"}
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mentor: Slack refused SLACK_APP_TOKEN (invalid_auth). See README.md, section Configuration."
    ]
    assert "Traceback" not in result.stderr and "xapp-revoked" not in result.stderr


def test_migrate_creates_the_schema_without_any_slack_settings(tmp_path):
    result = run_app(["migrate"], {**PATH, "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.db").exists()


def test_the_default_database_is_a_sqlite_file_in_the_working_directory(tmp_path):
    assert run_app(["migrate"], PATH, tmp_path).returncode == 0
    assert (tmp_path / "mentor.db").exists()


def test_python_app_py_serves_slack_over_http(fake_slack, tmp_path):
    with serving(fake_slack, tmp_path) as (server, base):
        slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)
        reply = slack.command("help")
        assert reply.status == 200 and reply.seconds < 3
        assert "`/mentor offer" in reply.json()["text"]
        assert slack.command("help", secret="forged").status == 401
        offer = slack.command("offer SQL", user_id="UANA")  # its work goes to a worker thread, from the database
        assert offer.status == 200 and offer.seconds < 3
        assert "SQL" in fake_slack.wait_for("response_url", timeout=60)[0].args["text"]

        server.terminate()
        assert server.wait(timeout=30) == 0
        log = server.stderr.read()
    # The log says where Slack should send its requests; of the scheduler's runs, what they did
    # (the first run, when the operator wants to see it work), not APScheduler's every step.
    port = base.rsplit(":", 1)[1]
    assert f"Slack should send requests to http://{socket.gethostname()}:{port}/slack/events" in log
    assert "Sent 0 follow-up DMs" in log
    assert not [line for line in log.splitlines() if "apscheduler" in line], log


def test_sigterm_to_the_service_finishes_what_was_acknowledged(fake_slack, tmp_path):
    # The signal goes to every process of the service's session, as a service manager sends
    # it (here one process: the serving one, with its workers).
    with serving(fake_slack, tmp_path) as (server, base):
        try:
            slack = SlackSender(base + "/slack/events", SIGNING_SECRET, fake_slack)
            fake_slack.users["UADM"] = {**default_user("UADM", DEFAULT_TEAM), "is_admin": True}
            fake_slack.held.add("users.info")  # the work of each request below hangs on Slack
            assert slack.command("offer SQL", user_id="UANA").status == 200  # held by a worker
            fake_slack.wait_for_arrival("users.info", timeout=60)
            assert slack.app_home_opened("UBEN").status == 200  # in the serving process's listeners
            assert slack.click(ids.SEND_EXPORT, "UADM", "90").status == 200  # a listener that hands work on
            fake_slack.wait_for_arrival("users.info", count=3)

            os.killpg(server.pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while True:  # until the port closes: Slack and load balancers then see the process gone
                try:
                    http_request(base + "/healthz")
                except ConnectionResetError:
                    break  # taken while waitress stopped, then closed with the port: not left hanging
                except urllib.error.URLError as error:
                    assert isinstance(error.reason, (ConnectionRefusedError, ConnectionResetError)), error
                    break
                assert time.monotonic() < deadline, "app.py still serves after SIGTERM"
                time.sleep(0.1)
            fake_slack.release.set()  # what was acknowledged now goes on, while the process stops

            assert server.wait(timeout=60) == 0
            assert "SQL" in fake_slack.wait_for("response_url")[0].args["text"]
            assert [call.args["user_id"] for call in fake_slack.wait_for("views.publish")] == ["UBEN"]
            assert {upload.channel_id for upload in fake_slack.uploaded(count=2)} == {"DUADM"}  # the export
            assert "Traceback" not in server.stderr.read()
        finally:
            fake_slack.release.set()


def test_python_app_py_with_an_app_token_serves_slack_over_socket_mode(fake_slack, tmp_path):
    environ = {
        **PATH,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "PORT": str(free_port()),
    }
    with app_process([], environ, tmp_path, stderr=subprocess.PIPE) as server:
        assert fake_slack.socket_mode.connected.wait(timeout=30), "app.py never connected over Socket Mode"
        sender = SlackSender("unused", SIGNING_SECRET, fake_slack)
        fake_slack.socket_mode.send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": dict(parse_qsl(sender.command_body("help", user_id="UANA"))),
            }
        )
        [ack] = fake_slack.wait_for("socket_mode", timeout=10)
        assert ack.args["envelope_id"] == "env-1"
        assert "`/mentor offer" in ack.args["payload"]["text"]

        server.terminate()
        assert server.wait(timeout=10) == 0  # stopped within 10 s, cleanly
