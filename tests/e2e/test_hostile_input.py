"""Whatever members type, through the real app: a reply within Slack's limits that pings
nobody, shown escaped or refused with a clear private message, and never a traceback."""

import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import ids
from bot.slash_command import SUBCOMMANDS, parse_command
from storage.models import Base
from tests.support.fake_slack import FakeSlack

# Strings that have broken chat bots: mentions and broadcasts, mrkdwn, direction marks,
# control characters, emoji, and sizes far beyond any limit.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\t\n",
        "<!channel>",
        "<!here|here>",
        "<!everyone>",
        "<@U123>",
        "<#C123|general>",
        "<https://evil|click>",
        "&lt;",
        "&amp;&",
        "*bold* _it_ ~s~ `code` ```block```",
        "\u202e\u200f\u2066reversed",
        "\x00\x07\x1b[31m",
        "🧑‍💻🏳️‍🌈👍🏽",
        "x" * 10_000,
        "SQL, " * 500,
        "a\nb\r\nc",
        "'; DROP TABLE members; --",
        "%s %(x)s {0}",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300), st.lists(NASTY | st.text(max_size=20), max_size=5).map("".join))
PINGS = re.compile(r"<!(channel|here|everyone)|<@U123>|<#C123")


@given(st.text(max_size=500))
def test_the_parser_takes_any_text(text):
    parsed = parse_command(text)

    assert parsed.name in (*SUBCOMMANDS, "unknown")


def no_ping_and_valid(payload: dict) -> None:
    shown = str(payload.get("text", "")) + str(payload.get("blocks", ""))
    assert not PINGS.search(shown), shown[:300]
    assert "Traceback" not in shown
    assert FakeSlack._invalid_payload("response_url", payload) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    subcommand=st.sampled_from(
        [
            "offer",
            "learn",
            "ask",
            "pause",
            "join",
            "leave",
            "followups",
            "asks",
            "stats",
            "export",
            "settings",
            "forget",
            "network",
            "nonsense",
            "",
        ]
    ),
    text=TEXT,
    formatted=st.booleans(),  # as typed (Slack escapes it), or as Slack's markup: <!channel> a mention
)
def test_any_command_text_gets_a_safe_private_answer(mentor, subcommand, text, formatted):
    before = len(mentor.fake_slack.calls("response_url"))

    reply = mentor.slack.command(f"{subcommand} {text}", user_id="UFUZZ", formatted=formatted)
    mentor.settle()

    assert reply.status == 200 and reply.seconds < 3
    if reply.body:
        body = reply.json()
        assert body.get("response_type", "ephemeral") == "ephemeral"
        no_ping_and_valid(body)
    for call in mentor.fake_slack.calls("response_url")[before:]:
        assert call.args.get("response_type", "ephemeral") == "ephemeral"
        no_ping_and_valid(call.args)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offers=TEXT, objectives=TEXT, team=TEXT)
def test_any_profile_text_is_saved_escaped_or_refused_next_to_its_field(mentor, offers, objectives, team):
    values = {
        ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": offers}},
        ids.ProfileField.OBJECTIVES: {ids.ProfileField.OBJECTIVES: {"type": "plain_text_input", "value": objectives}},
        ids.ProfileField.TEAM: {ids.ProfileField.TEAM: {"type": "plain_text_input", "value": team}},
    }
    published = len(mentor.fake_slack.calls("views.publish"))

    reply = mentor.slack.submit_view(ids.PROFILE_VIEW, values, "UFUZZ")
    mentor.settle()

    assert reply.status == 200
    if reply.body:  # refused: each error sits next to a field of the modal
        errors = reply.json()["errors"]
        assert set(errors) <= {ids.ProfileField.OFFERS, ids.ProfileField.OBJECTIVES, ids.ProfileField.TEAM}
        assert all(0 < len(message) <= 300 for message in errors.values())
    else:
        [home] = mentor.fake_slack.calls("views.publish")[published:]
        assert not PINGS.search(str(home.args["view"]))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=TEXT, formatted=st.booleans())
def test_any_question_that_reaches_a_mentor_is_shown_escaped(mentor, question, formatted):
    if not mentor.fake_slack.calls("views.publish"):  # once per test: a mentor with room for every example
        mentor.slack.submit_view(
            ids.PROFILE_VIEW,
            {
                ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": "SQL"}},
                ids.ProfileField.CAPACITY: {ids.ProfileField.CAPACITY: {"type": "number_input", "value": "10"}},
            },
            "UMENTOR",
        )
        mentor.settle()
    posted = len(mentor.fake_slack.calls("chat.postMessage"))

    reply = mentor.slack.command(f"ask {question} #sql", user_id="UFUZZ", formatted=formatted)
    mentor.settle()

    assert reply.status == 200
    for call in mentor.fake_slack.calls("chat.postMessage")[posted:]:
        assert call.response.get("ok"), call.response
        assert not PINGS.search(str(call.args.get("text", "")) + str(call.args.get("blocks", "")))


def snapshot(mentor) -> set[str]:
    """Every row of every table of ours, as text."""
    with mentor.store.transaction() as repositories:
        return {
            f"{table.name}: {tuple(row)!r}"
            for table in Base.metadata.sorted_tables
            for row in repositories.session.execute(select(table))
        }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    action_id=st.sampled_from(ids.ACTIONS),
    value=st.one_of(
        st.sampled_from(
            ["1", "2", "3", "1:yes", "1:no", "coffee", "reverse", "coffee:2026-11-23", "2w", "90", "confirm"]
        ),
        st.integers(-5, 10**15).map(str),
        st.text(max_size=40),
    ),
    in_message=st.booleans(),
)
def test_a_strangers_click_with_any_value_changes_nothing_of_anyone_else(history, action_id, value, in_message):
    before = snapshot(history)

    where = ("DUSTRANGER", "1.0") if in_message else None
    reply = history.slack.click(action_id, "USTRANGER", value, message=where)
    history.settle()

    assert reply.status == 200
    changed = snapshot(history) ^ before
    assert [row for row in changed if "USTRANGER" not in row] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # The modals whose metadata points at a record (the ask modal's forged skill: test_asks.py).
    callback_id=st.sampled_from([ids.FOLLOWUP_NOTE_VIEW, ids.FOLLOWUP_REPLY_VIEW, ids.SETTINGS_VIEW]),
    metadata=st.one_of(
        st.sampled_from(["1", "2", "3", "sql", "go", ""]), st.integers(-5, 10**15).map(str), st.text(max_size=40)
    ),
    typed=TEXT,
)
def test_a_strangers_modal_with_forged_metadata_changes_nothing_of_anyone_else(history, callback_id, metadata, typed):
    before = snapshot(history)
    values = {
        field: {field: {"type": "plain_text_input", "value": typed}}
        for field in (ids.NOTE_INPUT, ids.ProfileField.OBJECTIVES)
    }

    reply = history.slack.submit_view(callback_id, values, "USTRANGER", private_metadata=metadata)
    history.settle()

    assert reply.status == 200
    changed = snapshot(history) ^ before
    assert [row for row in changed if "USTRANGER" not in row] == []


@pytest.mark.parametrize("missing", ["channel", "ts", "user"])
def test_a_direct_message_event_missing_a_field_slack_always_sends_is_ignored_quietly(mentor, caplog, missing):
    """Nothing to answer, or nowhere to: no reply, no error for Bolt's error handler."""
    event = {"type": "message", "channel": "DUASK", "channel_type": "im", "user": "UASK", "text": "hello there"}
    event |= {"ts": "1800000000.000100", "event_ts": "1800000000.000100"}
    del event[missing]
    before = len(mentor.fake_slack.calls("chat.postMessage"))

    reply = mentor.slack.event(event, event_id=f"EvMissing{missing}")
    mentor.settle()

    assert reply.status == 200
    assert len(mentor.fake_slack.calls("chat.postMessage")) == before
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
