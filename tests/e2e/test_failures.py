"""When something fails, the member hears about it privately and nothing is half-done."""

from tests.support.databases import break_database
from tests.support.members import posted_to


def test_a_listener_failing_after_its_ack_keeps_the_ack_and_the_member_hears_something_went_wrong(mentor):
    # The fault: what follows the ack (opening the modal) cannot be handed on.
    mentor.deps.listener_executor.shutdown()

    reply = mentor.slack.command("profile", user_id="UANA")

    assert reply.status == 200  # not an error Slack would show beside Mentor's apology
    [answer] = mentor.fake_slack.wait_for("response_url")
    assert "Something went wrong on Mentor's side" in answer.args["text"]
    assert answer.args.get("response_type") == "ephemeral"


def test_a_database_that_does_not_answer_gets_a_friendly_try_again(mentor, tmp_path):
    break_database(mentor, tmp_path)

    reply = mentor.slack.command("offer SQL", user_id="UANA")

    assert reply.status == 200  # its work could not be recorded: the ack says so, and nothing is done
    assert "couldn't reach its database" in reply.json()["text"]
    assert "Traceback" not in reply.json()["text"]


def test_home_says_so_when_the_profile_cannot_be_read(mentor, tmp_path):
    break_database(mentor, tmp_path)

    mentor.slack.app_home_opened("UANA")

    [publish] = mentor.fake_slack.wait_for("views.publish")
    assert "couldn't reach its database" in str(publish.args["view"])


def test_an_unexpected_slack_error_gets_a_private_apology_not_silence(mentor):
    mentor.fake_slack.errors["views.open"] = "expired_trigger_id"

    mentor.slack.command("profile", user_id="UANA")

    [answer] = mentor.fake_slack.wait_for("response_url")
    assert "Something went wrong on Mentor's side" in answer.args["text"]
    assert answer.args.get("response_type") == "ephemeral"


def test_an_ask_that_cannot_reach_the_database_is_told_so_in_its_ack(mentor, tmp_path):
    break_database(mentor, tmp_path)

    reply = mentor.slack.command("ask How do I review SQL?", user_id="UANA")

    assert "couldn't reach its database" in reply.json()["text"]
    assert "Looking for mentors" not in reply.json()["text"]


def test_candidates_who_cannot_get_dms_are_skipped_and_the_asker_told(mentor):
    for user_id in ("UANA", "UBEN"):
        mentor.slack.command("offer SQL", user_id=user_id)
    mentor.fake_slack.wait_for("response_url", count=2)
    for channel in ("DUANA", "DUBEN"):
        mentor.fake_slack.errors_for[("chat.postMessage", channel)] = "channel_not_found"

    mentor.slack.command("ask How do I review SQL?", user_id="UASK")

    mentor.fake_slack.wait_for("response_url", count=3)
    mentor.settle()
    [told] = posted_to(mentor, "DUASK")
    assert "Nobody could take your question about *SQL*" in told.args["text"]
    tried = [call.args["channel"] for call in mentor.fake_slack.calls("chat.postMessage")]
    assert sorted(tried) == ["DUANA", "DUASK", "DUBEN"]  # each tried once
