"""Requests shaped and signed like Slack's, sent over HTTP to the running app."""

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.support.fake_slack import DEFAULT_TEAM

_trigger_ids = itertools.count(1)
# Private text members "typed" in this test run (questions, notes, replies): the logs must
# never hold any of it (tests/e2e/conftest.py checks, at the end of the run).
PRIVATE_TEXT: set[str] = set()


def as_slack_sends(typed: str) -> str:
    """What a member typed, as Slack sends it in a slash command's or a message's text: every
    &, < and > escaped, so that whatever stays between < and > is Slack's own markup."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Reply:
    status: int
    body: str
    headers: dict
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def http_request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None) -> Reply:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
            return Reply(response.status, body, dict(response.headers), time.monotonic() - started)
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        return Reply(error.code, body, dict(error.headers), time.monotonic() - started)


class SlackSender:
    """Sends what Slack would send: slash commands, events, button clicks, modal submissions."""

    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        fake_slack,
        team_id: str = DEFAULT_TEAM,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ):
        """Requests from `team_id`; with `enterprise_id`, a workspace of that Enterprise Grid
        org, shaped for an org-wide install when `org_wide` (Slack's "Enterprise
        organization-wide apps" reference: events' authorizations name the org, not the
        workspace; interactivity payloads may have no team)."""
        self.events_url = events_url
        self.signing_secret = signing_secret
        self.fake_slack = fake_slack
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide

    def post(
        self,
        body: str,
        content_type: str,
        timestamp: int | None = None,
        secret: str | None = None,
        extra_headers: dict | None = None,
    ) -> Reply:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.signing_secret, ts, body),
            **(extra_headers or {}),
        }
        return http_request(self.events_url, body.encode(), headers, method="POST")

    def command_body(self, text: str, user_id: str, team_id: str | None = None) -> str:
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": team_id or self.team_id,
                "team_domain": "example",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": user_id,
                "user_name": user_id.lower(),
                "command": "/mentor",
                "text": text,
                "api_app_id": "AMENTOR",
                **({"enterprise_id": self.enterprise_id, "enterprise_name": "Grid"} if self.enterprise_id else {}),
                "is_enterprise_install": "true" if self.org_wide else "false",
                "response_url": self.fake_slack.response_url(f"{user_id}-{next(_trigger_ids)}"),
                "trigger_id": f"trigger-{next(_trigger_ids)}",
            }
        )

    def command(
        self, text: str, user_id: str = "UASKER", team_id: str | None = None, formatted: bool = False, **kwargs
    ) -> Reply:
        """`/mentor <text>`, `text` as the member typed it, or (`formatted`) already in Slack's
        formatting, with mentions and links as Slack's markup."""
        if text.strip().casefold().startswith("ask "):
            PRIVATE_TEXT.add(text.strip()[4:].strip())
        sent = text if formatted else as_slack_sends(text)
        return self.post(self.command_body(sent, user_id, team_id), "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict, team_id: str | None = None, event_id: str = "Ev0001", **kwargs) -> Reply:
        if event.get("type") == "message" and event.get("text"):
            PRIVATE_TEXT.add(event["text"])
        team = team_id or self.team_id
        envelope = {
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "AMENTOR",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.org_wide else team,
                    "user_id": "UMENTORBOT",
                    "is_bot": True,
                    "is_enterprise_install": self.org_wide,
                }
            ],
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
        }
        return self.post(json.dumps(envelope), "application/json", **kwargs)

    def app_home_opened(self, user_id: str, tab: str = "home", **kwargs) -> Reply:
        return self.event(
            {"type": "app_home_opened", "user": user_id, "channel": "D" + user_id, "tab": tab, "event_ts": "1.0"},
            **kwargs,
        )

    def interaction(self, payload: dict, team_id: str | None = None, **kwargs) -> Reply:
        team = team_id or self.team_id
        payload = {
            "team": None if self.org_wide else {"id": team, "domain": "example"},
            "enterprise": {"id": self.enterprise_id, "name": "Grid"} if self.enterprise_id else None,
            "api_app_id": "AMENTOR",
            "token": "legacy-verification-token",
            "is_enterprise_install": self.org_wide,
            **payload,
        }
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def click(
        self,
        action_id: str,
        user_id: str,
        value: str | None = None,
        message: tuple[str, str] | None = None,
        block_id: str = "b1",
        option: str | None = None,
        **kwargs,
    ) -> Reply:
        """A click on a button (or Enter in a dispatching input, or the choice of a select's
        `option`) on the Home tab, or in a message when `message` gives its (channel, ts)."""
        action = {"type": "button", "action_id": action_id, "block_id": block_id, "action_ts": "1.0"}
        if value is not None:
            action["value"] = value
        if option is not None:
            action["type"] = "static_select"
            action["selected_option"] = {"text": {"type": "plain_text", "text": option}, "value": option}
        payload = {
            "type": "block_actions",
            "user": {"id": user_id, "team_id": kwargs.get("team_id") or self.team_id},
            "trigger_id": f"trigger-{next(_trigger_ids)}",
            "container": {"type": "view", "view_id": "VHOME"},
            "actions": [action],
        }
        if message is not None:
            channel, ts = message
            payload["container"] = {"type": "message", "channel_id": channel, "message_ts": ts, "is_ephemeral": False}
            payload["channel"] = {"id": channel}
            payload["message"] = {"ts": ts, "type": "message"}
            payload["response_url"] = self.fake_slack.response_url(f"action-{user_id}-{next(_trigger_ids)}")
        return self.interaction(payload, **kwargs)

    def submit_view(self, callback_id: str, values: dict, user_id: str, private_metadata: str = "", **kwargs) -> Reply:
        PRIVATE_TEXT.update(
            element["value"]
            for block in values.values()
            if isinstance(block, dict)
            for element in block.values()
            if isinstance(element, dict)
            and isinstance(element.get("value"), str)
            and element.get("type") == "plain_text_input"
        )
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user_id, "team_id": kwargs.get("team_id") or self.team_id},
                "trigger_id": f"trigger-{next(_trigger_ids)}",
                "view": {
                    # Slack gives each modal opened its own id (views.open's answer has it).
                    "id": kwargs.pop("view_id", "VMODAL"),
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": private_metadata,
                    "state": {"values": values},
                },
            },
            **kwargs,
        )
