"""manifest.yml is a valid Slack manifest and declares exactly what the code listens to."""

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from slack_bolt import App

import handlers
from bot import ids
from deps import Deps

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


class RecordingApp:
    """Passes every registration on to a real Bolt app and remembers what was registered."""

    RECORDED = ("command", "event", "action", "view", "shortcut", "options", "message")

    def __init__(self, app: App):
        self._app = app
        self.registered: dict[str, set] = defaultdict(set)

    def __getattr__(self, name: str):
        attribute = getattr(self._app, name)
        if name not in self.RECORDED:
            return attribute

        def record(constraint, *args, **kwargs):
            self.registered[name].add(constraint)
            return attribute(constraint, *args, **kwargs)

        return record


@pytest.fixture(scope="module")
def registered() -> dict[str, set]:
    app = App(signing_secret="x", token="xoxb-unused", token_verification_enabled=False)
    recording = RecordingApp(app)
    handlers.register(recording, Deps(store=None))
    return recording.registered


@pytest.mark.skipif(not SCHEMA.exists(), reason="../shared/slack (Slack's manifest schema) is not beside this checkout")
def test_manifest_is_valid_against_slacks_schema(manifest):
    schema = json.loads(SCHEMA.read_text())
    errors = sorted(Draft7Validator(schema).iter_errors(manifest), key=lambda error: list(error.path))

    assert [f"{list(error.path)}: {error.message}" for error in errors] == []


def test_slash_commands_in_the_manifest_are_the_ones_the_code_handles(manifest, registered):
    declared = {command["command"] for command in manifest["features"]["slash_commands"]}

    assert declared == registered["command"] == {ids.SLASH_COMMAND}


def test_bot_events_in_the_manifest_are_the_ones_the_code_handles(manifest, registered):
    declared = set(manifest["settings"]["event_subscriptions"]["bot_events"])

    # Bolt listens to an event type ("message"); the manifest names its variant ("message.im").
    assert declared == set(ids.BOT_EVENTS)
    assert registered["event"] == {event.split(".")[0] for event in ids.BOT_EVENTS}


def listened_for(constraint: str | re.Pattern, action_id: str) -> bool:
    """Whether a listener registered with `constraint` hears `action_id`, as Bolt matches it."""
    return constraint == action_id if isinstance(constraint, str) else constraint.search(action_id) is not None


def test_interactive_ids_are_declared_once_and_interactivity_is_on(manifest, registered):
    # Each action id is heard by exactly one listener (clicks done after their ack share one,
    # by a pattern), and each listener hears some action id.
    assert all(sum(listened_for(each, action) for each in registered["action"]) == 1 for action in ids.ACTIONS)
    assert all(any(listened_for(each, action) for action in ids.ACTIONS) for each in registered["action"])
    assert registered["view"] == set(ids.VIEWS)
    assert not registered["shortcut"] and "shortcuts" not in manifest["features"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_the_install_flow_asks_for_the_manifests_scopes(manifest):
    assert manifest["oauth_config"]["scopes"]["bot"] == list(ids.BOT_SCOPES)


def test_home_tab_is_on_because_the_app_draws_it(manifest, registered):
    assert manifest["features"]["app_home"]["home_tab_enabled"] is (ids.APP_HOME_OPENED in registered["event"])
