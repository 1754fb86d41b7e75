"""Every payload in tests/fixtures/slack, shaped as Slack sends it, replayed through the real
app over signed HTTP: each is acknowledged within Slack's 3 seconds, and none ends in an error
in the log. What each kind of payload does for the member is asserted by the feature's tests."""

import logging

import pytest

from bot import ids
from bot.rounds.model import RoundKind
from tests.support.slack_fixtures import names, replay

ACK_SECONDS = 3  # Slack shows the member an error after 3 s without an answer

VARIANTS = ("_org_wide", "_grid_workspace")
# What fills a fixture's placeholders here, where the defaults would reach no listener (Bolt
# answers 404 to what nothing listens for, so a 200 says a listener took the payload).
MEANING: dict[str, dict] = {
    "commands/mentor": {"TEXT": "help"},
    "events/message_im": {"TEXT": "Thanks &amp; see you &lt;soon&gt;"},
    # A reply in a thread that is no follow-up's is answered with a hint; the rest are ignored.
    "events/message_im_thread_broadcast": {"TEXT": "Thanks &amp; see you", "THREAD_TS": "1800000000.000100"},
    "events/message_im_file_share": {"TEXT": "My notes &lt;attached&gt;", "THREAD_TS": "1800000000.000100"},
    "events/message_im_changed": {"TEXT": "Thanks!", "PREVIOUS_TEXT": "Thanks", "THREAD_TS": "1800000000.000100"},
    "events/message_im_deleted": {"PREVIOUS_TEXT": "Thanks", "THREAD_TS": "1800000000.000100"},
    "events/message_im_bot_message": {"TEXT": "Deploy finished"},
    "interactions/block_actions_home": {"ACTION_ID": ids.JOIN_ROUND, "VALUE": RoundKind.COFFEE.value},
    "interactions/block_actions_message": {"ACTION_ID": ids.RESUME_ROUNDS},
    # A Slack Connect user's click: their own workspace (user.team_id) is not the app's (team.id).
    "interactions/block_actions_slack_connect": {"ACTION_ID": ids.JOIN_ROUND, "VALUE": RoundKind.COFFEE.value},
    "interactions/view_submission": {
        "CALLBACK_ID": ids.PROFILE_VIEW,
        "VALUES": {ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": "R&D"}}},
    },
}


def meaning(name: str) -> dict:
    """A variant (`message_im_org_wide`) means what its plain fixture means."""
    for variant in VARIANTS:
        name = name.removesuffix(variant)
    return MEANING.get(name, {})


@pytest.mark.parametrize("name", names())
def test_each_payload_is_acknowledged_in_time_without_an_error(mentor, caplog, name):
    with caplog.at_level(logging.WARNING):
        reply = replay(mentor.slack, name, **meaning(name))
        mentor.settle()

    assert reply.status == 200, reply.body
    assert reply.seconds < ACK_SECONDS
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == []
