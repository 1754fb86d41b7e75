"""Slack shows members an error when a command or click is not acknowledged within 3
seconds: neither a slow Slack, nor a busy database, nor a burst of commands may delay it;
the work finishes after the acknowledgement."""

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from bot import ids
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.members import ask, button_value, say, submit_profile

ACK_LIMIT = 3.0
SLOW = 10.0


def test_a_slow_slack_web_api_does_not_delay_acknowledgements(mentor):
    say(mentor, "offer SQL", "UANA")
    ask(mentor, "How do I read a query plan? #sql", "UASK")
    [request] = [call for call in mentor.fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUANA"]
    for method in ("conversations.open", "users.info", "views.publish"):
        mentor.fake_slack.slow[method] = SLOW

    click = mentor.slack.click(
        ids.ACCEPT_ASK, "UANA", button_value(request.args, ids.ACCEPT_ASK), message=("DUANA", request.response["ts"])
    )
    command = mentor.slack.command("offer Go", user_id="UBEN")

    assert (click.status, command.status) == (200, 200)
    assert click.seconds < ACK_LIMIT and command.seconds < ACK_LIMIT
    intro = mentor.fake_slack.wait_for("conversations.open", count=2, timeout=2 * SLOW)[-1]
    assert intro.args["users"] == "UASK,UANA"  # the introduction went, after the ack
    assert "Go" in mentor.fake_slack.wait_for("response_url", count=3, timeout=2 * SLOW)[-1].args["text"]


def test_a_slow_slack_does_not_delay_the_acks_of_what_opens_or_closes_a_modal(mentor):
    say(mentor, "offer SQL", "UANA")
    mentor.settle()
    for method in ("views.open", "views.publish"):
        mentor.fake_slack.slow[method] = ACK_LIMIT + 1
    published_before = len(mentor.fake_slack.calls("views.publish"))

    command = mentor.slack.command("profile", user_id="UANA")
    click = mentor.slack.click(ids.OPEN_PROFILE, user_id="UANA")
    submission = submit_profile(mentor, "UANA", "senior", "SQL, Go", "Delegation")

    assert (command.status, click.status, submission.status) == (200, 200, 200)
    assert max(command.seconds, click.seconds, submission.seconds) < ACK_LIMIT
    assert submission.body == ""  # the modal closes, its profile saved
    mentor.fake_slack.wait_for("views.open", count=2, timeout=SLOW)  # the modals open after the acks
    published = mentor.fake_slack.wait_for("views.publish", count=published_before + 1, timeout=SLOW)[-1]
    assert "Go" in json.dumps(published.args["view"])  # and the Home tab is redrawn with the profile saved


def test_a_busy_database_does_not_delay_acknowledgements(mentor, sqlite_url):
    say(mentor, "offer SQL", "UANA")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        command = mentor.slack.command("offer Go", user_id="UBEN")
        click = mentor.slack.click(ids.JOIN_ROUND, "UANA", "coffee")

        assert (command.status, click.status) == (200, 200)
        assert command.seconds < ACK_LIMIT and click.seconds < ACK_LIMIT
        assert len(mentor.fake_slack.calls("response_url")) == 1  # UBEN's answer waits for the database
    finally:
        holder.execute("COMMIT")
        holder.close()

    answer = mentor.fake_slack.wait_for("response_url", count=2, timeout=15)[-1]
    assert "Go" in answer.args["text"]
    mentor.settle()
    with mentor.store.transaction() as repositories:
        assert "coffee" in repositories.rounds.membership(DEFAULT_TEAM, "UANA").programs


def test_twenty_commands_at_once_are_all_acknowledged_in_time_and_all_done(mentor):
    people = [f"UBURST{n:02d}" for n in range(20)]
    mentor.fake_slack.slow["users.info"] = 1.0  # each command's work holds a thread a while
    start = threading.Barrier(len(people))

    def offer(user_id: str):
        start.wait()
        return mentor.slack.command(f"offer Skill {user_id[-2:]}", user_id=user_id)

    with ThreadPoolExecutor(len(people)) as pool:
        replies = list(pool.map(offer, people))

    assert [reply.status for reply in replies] == [200] * len(people)
    assert max(reply.seconds for reply in replies) < ACK_LIMIT
    mentor.fake_slack.wait_for("response_url", count=len(people), timeout=30)
    with mentor.store.transaction() as repositories:
        for user_id in people:
            [skill] = repositories.profiles.get(DEFAULT_TEAM, user_id).offers
            assert skill.label == f"Skill {user_id[-2:]}"
