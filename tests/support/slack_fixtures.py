"""Request payloads shaped exactly as Slack sends them, kept as files in tests/fixtures/slack/,
and replayed, signed, through the running app.

Each file holds one request body as Slack documents it:
- `commands/*.json`: a slash command's form fields (Slack posts them form-encoded);
- `events/*.json`: an Events API envelope (posted as JSON);
- `interactions/*.json`: an interactivity payload (posted form-encoded as `payload=<json>`).

Shapes come from Slack's API documentation (docs.slack.dev: slash commands, the Events API,
each event's page, block_actions and view_submission payloads, Enterprise Grid and Slack
Connect) and from bolt-python's own tests (tests/scenario_tests). The ids in them are
placeholders, `${NAME}`, filled in at replay, so one file serves every test: a string that
is exactly one placeholder takes the value as is (a dict, a list, a number, None), and a
placeholder inside a longer string is replaced by its text. A key whose value is a placeholder
filled with OMIT is left out, as Slack leaves out what does not apply (a DM not in a thread
has no `thread_ts`).
"""

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM
from tests.support.slack_requests import PRIVATE_TEXT, Reply, SlackSender

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
ENTERPRISE = "E0MENTOR"
OTHER_ORGANISATION = "T0OTHERCO"
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
OMIT = object()  # a placeholder's value that leaves its key out


def defaults(sender: SlackSender) -> dict[str, Any]:
    """What each placeholder means unless a test says otherwise."""
    stamp = time.time_ns()
    return {
        "TEAM": sender.team_id,
        "ENTERPRISE": ENTERPRISE,
        "USER": "UASKER",
        "USER_TEAM": OTHER_ORGANISATION,  # a Slack Connect user's own workspace
        "BOT_USER": BOT_USER,
        "CHANNEL": "D0ASKER",
        "TEXT": "",
        "TS": f"{int(time.time())}.000100",
        "CHANGE_TS": f"{int(time.time())}.000200",  # when a message was edited or deleted
        "PREVIOUS_TEXT": "",  # a message's text before that
        "THREAD_TS": OMIT,
        "CHANNEL_TYPE": "C",  # member_joined_channel: C a public channel, G a private one
        "INVITER": OMIT,  # member_joined_channel: who added them, when someone did
        "PARENT_USER": OMIT,
        "EVENT_ID": f"Ev{stamp}",
        "EVENT_TIME": int(time.time()),
        "RESPONSE_URL": sender.fake_slack.response_url(f"fixture-{stamp}"),
        "TRIGGER_ID": f"trigger-{stamp}",
        "VALUE": "",
        "VALUES": {},
        "CALLBACK_ID": "",
        "PRIVATE_METADATA": "",
        "ACTION_ID": "",
        "DELETED": False,
        "MINUTE": int(time.time()) // 60 * 60,
        "RESTRICTED": True,
        "ULTRA_RESTRICTED": False,
    }


def names() -> list[str]:
    """Every fixture, as `surface/name` (without `.json`)."""
    return sorted(str(path.relative_to(FIXTURES).with_suffix("")) for path in FIXTURES.glob("*/*.json"))


def load(name: str, sender: SlackSender, **values: Any) -> dict:
    """The fixture `surface/name` with its placeholders filled in from `values` (over defaults)."""
    filled = {**defaults(sender), **values}
    return _fill(json.loads((FIXTURES / f"{name}.json").read_text()), filled)


def replay(sender: SlackSender, name: str, **values: Any) -> Reply:
    """Post the fixture `surface/name` to the app as Slack would: signed, with its content type.
    Text a member typed (TEXT) is private: the end-to-end run checks the logs never hold it."""
    if isinstance(values.get("TEXT"), str) and values["TEXT"]:
        PRIVATE_TEXT.add(values["TEXT"])
    body = load(name, sender, **values)
    surface = name.split("/")[0]
    if surface == "commands":
        return sender.post(urlencode(body), "application/x-www-form-urlencoded")
    if surface == "interactions":
        return sender.post(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")
    return sender.post(json.dumps(body), "application/json")


def _fill(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        filled = {key: _fill(item, values) for key, item in value.items()}
        return {key: item for key, item in filled.items() if item is not OMIT}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole:
            return values[whole.group(1)]
        return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), value)
    return value


__all__ = ["DEFAULT_TEAM", "ENTERPRISE", "OMIT", "OTHER_ORGANISATION", "load", "names", "replay"]
