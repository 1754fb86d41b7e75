"""Requests that did not come from Slack change nothing."""

import time

import pytest

from tests.support.databases import break_database
from tests.support.running_app import SIGNING_SECRET
from tests.support.slack_requests import http_request, signature


def assert_nothing_stored(mentor, user_id: str) -> None:
    with mentor.store.transaction() as repositories:
        assert repositories.profiles.get("T0MENTOR", user_id) is None
    assert mentor.fake_slack.calls("response_url") == []


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"secret": "not-the-signing-secret"}, id="forged signature"),
        pytest.param({"timestamp": -6 * 60}, id="timestamp 6 minutes old"),
        pytest.param({"timestamp": 6 * 60}, id="timestamp 6 minutes ahead"),
    ],
)
def test_a_request_not_signed_by_slack_gets_401_and_changes_nothing(mentor, tamper):
    if "timestamp" in tamper:  # an offset from now, taken when the test runs, not when it was collected
        tamper = {"timestamp": int(time.time()) + tamper["timestamp"]}
    reply = mentor.slack.command("offer SQL", user_id="UEVE", **tamper)

    assert reply.status == 401
    assert_nothing_stored(mentor, "UEVE")


def test_a_body_changed_after_signing_gets_401(mentor):
    body = mentor.slack.command_body("offer SQL", user_id="UEVE")
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SIGNING_SECRET, ts, body),
    }
    reply = http_request(mentor.slack.events_url, body.replace("SQL", "Rust").encode(), headers, method="POST")

    assert reply.status == 401
    assert_nothing_stored(mentor, "UEVE")


def test_a_request_without_slack_headers_gets_401(mentor):
    body = mentor.slack.command_body("offer SQL", user_id="UEVE").encode()
    reply = http_request(mentor.slack.events_url, body, {"Content-Type": "application/x-www-form-urlencoded"}, "POST")

    assert reply.status == 401
    assert_nothing_stored(mentor, "UEVE")


def test_health_check_answers_while_the_database_does(mentor):
    reply = http_request(mentor.url + "/healthz")

    assert (reply.status, reply.body) == (200, "ok\n")


def test_health_check_reports_a_database_that_does_not_answer(mentor, tmp_path):
    break_database(mentor, tmp_path)

    reply = http_request(mentor.url + "/healthz")

    assert reply.status == 503
