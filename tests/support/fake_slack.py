"""A fake Slack Web API on loopback that records every call.

The app's real `slack_sdk.WebClient` talks to it over HTTP (its base URL points
here), and so does Bolt's `respond()` through the response URLs this server hands
out. Blocks and views are checked with `slack_sdk.models`, as strict as we can be
about Slack's limits: an invalid payload gets Slack's `invalid_blocks` error and is
recorded in `invalid_payloads`.

Files go up the way `WebClient.files_upload_v2` sends them: files.getUploadURLExternal
hands out an upload URL on this server, the bytes are POSTed there, and
files.completeUploadExternal shares them; completed uploads land in `files`.
"""

import base64
import functools
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.support.fake_socket_mode import FakeSocketMode

DEFAULT_TEAM = "T0MENTOR"
DEFAULT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
BOT_USER = "UMENTORBOT"
POLL_SECONDS = 0.01  # how soon the server sees it is asked to stop


@dataclass
class Call:
    method: str  # a Web API method such as "views.open", or "response_url"
    args: dict
    token: str | None
    response: dict = field(default_factory=dict)  # what the fake answered
    at: float = field(default_factory=time.monotonic)  # when it arrived
    url: str = ""  # for "response_url": which command's (the name given to FakeSlack.response_url)


@dataclass
class Installation:
    """What oauth.v2.access answers for one authorization code: a workspace, an Enterprise
    Grid workspace (with `enterprise_id`), or a whole Grid org (`org_wide`, with no workspace;
    Slack's "Enterprise organization-wide apps" reference shows the shape)."""

    team_id: str | None
    team_name: str | None
    bot_token: str
    installer: str = "UINSTALLER"
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide: bool = False

    @property
    def owner(self) -> str:
        """The workspace, or the org for an org-wide install: whose token this is."""
        owner = self.enterprise_id if self.org_wide else self.team_id
        assert owner is not None
        return owner


@dataclass
class UploadedFile:
    """A file shared with files.completeUploadExternal, with the bytes POSTed to its upload URL."""

    id: str
    filename: str
    title: str
    channel_id: str | None
    initial_comment: str | None
    content: bytes


@dataclass
class FakeSlack:
    tokens: dict[str, str] = field(default_factory=lambda: {DEFAULT_TOKEN: DEFAULT_TEAM})
    users: dict[str, dict] = field(default_factory=dict)
    oauth_codes: dict[str, Installation] = field(default_factory=dict)
    installations: dict[str, Installation] = field(default_factory=dict)  # by bot token, once installed
    # method -> Slack error code it answers with, for testing how the app copes
    errors: dict[str, str] = field(default_factory=dict)
    # (method, whom) -> the error code for those calls alone: whom is conversations.open's
    # `users` or chat.postMessage's `channel` (one member Slack cannot reach, others it can)
    errors_for: dict[tuple[str, str], str] = field(default_factory=dict)
    # Channels Mentor was never invited to, and whether each is private. Slack lets an app with
    # chat:write.public post in a public one all the same (else not_in_channel); a private one
    # it cannot even see (channel_not_found).
    channels_without_mentor: dict[str, bool] = field(default_factory=dict)
    # Channels and who is in each, Mentor (BOT_USER) included when it was invited, as
    # conversations.info and conversations.members answer (ids starting with G: private).
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    # What the bot token was granted: the manifest's bot scopes, as an install would give.
    scopes: frozenset[str] = field(default_factory=lambda: manifest_scopes())
    # Slack's rate-limit tiers, per workspace (the token's) and method: calls a minute, and
    # how long a minute lasts here (shorter in tests and benchmarks). Beyond its tier, a call
    # is answered 429 with Retry-After, as Slack does. Empty: no tiers.
    tiers: dict[str, int] = field(default_factory=dict)
    minute: float = 60.0
    # Block Kit and views are checked as Slack checks them (invalid_blocks), always in tests.
    # A benchmark of pacing may leave it to them: the checks cost this machine's CPU, shared
    # with the senders measured, where Slack spends its own servers' (bench/delivery.py).
    check_payloads: bool = True

    def __post_init__(self):
        self._calls: list[Call] = []
        # channel -> messages posted there, oldest first, as conversations.history shows them
        self.history: dict[str, list[dict]] = {}
        self._posted = 0  # messages in `history`, kept as they come: counting them per post took O(channels)
        # DM or group DM channel -> the users conversations.open opened it with
        self.channels: dict[str, tuple[str, ...]] = {}
        self.missing_scopes: list[tuple[str, str]] = []
        # Rate limits: method -> how many of its next calls get HTTP 429 with Retry-After.
        self.rate_limited: dict[str, int] = {}
        self.retry_after = 2
        self._tier_calls: dict[tuple[str | None, str], deque] = {}  # (team, method) -> times of the last minute's
        # Crash tests: after this many messages, the next is taken but its answer waits for `release`.
        self.hold_after: int | None = None
        self.release = threading.Event()
        # Crash tests: calls to these methods arrive (listed in `arrived`) but wait for `release`.
        self.held: set[str] = set()
        self.arrived: list[str] = []
        self.invalid_payloads: list[tuple[str, str]] = []
        # A slow Slack: method -> seconds its answers take (the app must not make members wait).
        self.slow: dict[str, float] = {}
        # File uploads: file id -> (filename, announced length) once its upload URL is handed out,
        # file id -> bytes once they are POSTed there; both are dropped when the upload completes.
        self._upload_urls: dict[str, tuple[str, int]] = {}
        self._uploaded: dict[str, bytes] = {}
        self.files: list[UploadedFile] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # shutdown() returns only once serve_forever notices it, at its next poll (0.5 s by default).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,), daemon=True)
        # Socket Mode: opened by apps.connections.open; what the app sends back is
        # recorded as calls to "socket_mode".
        self.socket_mode = FakeSocketMode(lambda message: self._record(Call("socket_mode", message, None)))

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.socket_mode.stop()
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def api_url(self) -> str:
        return self.origin + "api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.origin}response/{name}"

    # --- what the app did --------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [call for call in self._calls if method is None or call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `method` once there are at least `count` of them; fails after `timeout`."""
        with self._changed:
            done = self._changed.wait_for(lambda: len(self._matching(method)) >= count, timeout=timeout)
            calls = self._matching(method)
        assert done, f"expected {count} call(s) to {method}, got {len(calls)}: {[c.method for c in self._calls]}"
        return calls

    def uploaded(self, count: int = 1, timeout: float = 5.0) -> list[UploadedFile]:
        """The completed uploads once there are at least `count` of them; fails after `timeout`."""
        with self._changed:
            done = self._changed.wait_for(lambda: len(self.files) >= count, timeout=timeout)
            files = list(self.files)
        assert done, f"expected {count} uploaded file(s), got {len(files)}"
        return files

    def rate_limit(self, method: str, token: str | None = None) -> bool:
        """Whether this call of `method` is refused with 429: one of the next `rate_limited`
        (and one fewer will be), or beyond its workspace's tier in the last minute."""
        with self._changed:
            left = self.rate_limited.get(method, 0)
            if left:
                self.rate_limited[method] = left - 1
                return True
            tier = self.tiers.get(method)
            if tier is None:
                return False
            now = time.monotonic()
            recent = self._tier_calls.setdefault((self.tokens.get(token or ""), method), deque())
            while recent and recent[0] <= now - self.minute:
                recent.popleft()
            if len(recent) >= tier:
                return True
            recent.append(now)
            return False

    def busiest_minute(self, team_id: str, method: str) -> int:
        """The most calls of `method` the workspace made within one minute, refused ones included."""
        tokens = {token for token, team in self.tokens.items() if team == team_id}
        times = sorted(call.at for call in self.calls(method) if call.token in tokens)
        busiest, later = 0, 0
        for first, start in enumerate(times):
            while later < len(times) and times[later] < start + self.minute:
                later += 1
            busiest = max(busiest, later - first)
        return busiest

    def refused(self) -> list[Call]:
        """Every call answered 429."""
        return [call for call in self.calls() if call.response.get("error") == "ratelimited"]

    def wait_for_messages(self, count: int, timeout: float = 30.0) -> None:
        """Until Slack holds `count` messages in all (answered or not); fails after `timeout`."""
        with self._changed:
            done = self._changed.wait_for(lambda: self._posted >= count, timeout=timeout)
        assert done, f"expected {count} messages"

    def _matching(self, method: str) -> list[Call]:
        return [call for call in self._calls if call.method == method]

    def wait_for_arrival(self, method: str, count: int = 1, timeout: float = 5.0) -> None:
        """Until `count` calls to a held method have arrived; fails after `timeout`."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: self.arrived.count(method) >= count, timeout=timeout)
            assert arrived, f"{self.arrived.count(method)} calls to {method}, not {count}"

    def _arrive(self, method: str) -> None:
        with self._changed:
            self.arrived.append(method)
            self._changed.notify_all()

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    # --- answers -------------------------------------------------------------------
    def answer(self, method: str, args: dict, token: str | None) -> dict:
        if method == "oauth.v2.access":
            return self._oauth_access(args)
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_mode.url}
        team_id = self.tokens.get(token or "")
        if team_id is None:
            return {"ok": False, "error": "invalid_auth"}
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        whom = args.get("users") if method == "conversations.open" else args.get("channel")
        if (method, whom) in self.errors_for:
            return {"ok": False, "error": self.errors_for[(method, whom)]}
        needed = _scope_needed(method, args)
        if needed and needed not in self.scopes:
            self.missing_scopes.append((method, needed))
            return {"ok": False, "error": "missing_scope", "needed": needed}
        problem = self._invalid_payload(method, args) if self.check_payloads else None
        if problem:
            self.invalid_payloads.append((method, problem))
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        if method == "auth.test":
            installed = self.installations.get(token or "")
            return {
                "ok": True,
                # An org's token names the org's own address, where its admins manage apps.
                "url": "https://globular.enterprise.slack.com/"
                if installed and installed.org_wide
                else "https://example.slack.com/",
                "team": "Example",
                "user": "mentor",
                "team_id": team_id,
                "user_id": BOT_USER,
                "bot_id": "BMENTOR",
                **({"enterprise_id": installed.enterprise_id} if installed and installed.enterprise_id else {}),
                "is_enterprise_install": bool(installed and installed.org_wide),
            }
        if method == "users.info":
            user_id = args.get("user", "")
            return {"ok": True, "user": self.users.get(user_id) or default_user(user_id, team_id)}
        if method == "conversations.open":
            users = args.get("users", "")
            if any(self._deactivated(user_id) for user_id in users.split(",")):
                # Slack's answer for the whole call: it does not say which of the users it was.
                return {"ok": False, "error": "user_disabled"}
            channel = "D" + users.replace(",", "")
            with self._changed:
                self.channels[channel] = tuple(users.split(","))
            return {"ok": True, "channel": {"id": channel}}
        if method == "chat.postMessage":
            opened_with = self.channels.get(args.get("channel", ""), ())
            if len(opened_with) == 1 and self._deactivated(opened_with[0]):
                return {"ok": False, "error": "user_disabled"}  # a DM opened before they were deactivated
            private = self.channels_without_mentor.get(args.get("channel", ""))
            if private:
                return {"ok": False, "error": "channel_not_found"}
            if private is False and "chat:write.public" not in self.scopes:
                return {"ok": False, "error": "not_in_channel"}
            message = {"type": "message", "ts": self._next_ts(), "text": args.get("text", "")}
            if args.get("metadata"):
                message["metadata"] = _as_dict(args["metadata"])
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            with self._changed:
                self.history.setdefault(args.get("channel"), []).append(message)
                self._posted += 1
                posted = self._posted
                self._changed.notify_all()
            if self.hold_after is not None and posted > self.hold_after:
                self.release.wait(timeout=30)  # Slack has the message; the sender hears nothing yet
            return {"ok": True, "channel": args.get("channel"), "ts": message["ts"], "message": message}
        if method == "conversations.history":
            # Slack lists a conversation's messages, not the replies in their threads.
            messages = [
                m for m in reversed(self.history.get(args.get("channel"), [])) if m.get("thread_ts", m["ts"]) == m["ts"]
            ]  # newest first
            return {"ok": True, "messages": _metadata_as_asked(messages, args)[: int(args.get("limit") or 100)]}
        if method == "conversations.replies":
            # A thread: its parent, then its replies, oldest first; thread_not_found for a ts
            # that is no message of the channel.
            if args.get("channel") not in self.history:
                return {"ok": False, "error": "channel_not_found"}
            posted = self.history[args["channel"]]
            if not any(m["ts"] == args.get("ts") for m in posted):
                return {"ok": False, "error": "thread_not_found"}
            thread = [m for m in posted if m["ts"] == args["ts"] or m.get("thread_ts") == args["ts"]]
            return {"ok": True, "messages": _metadata_as_asked(thread, args)[: int(args.get("limit") or 1000)]}
        if method in ("conversations.info", "conversations.members"):
            return self._channel(method, args)
        if method == "chat.update":
            with self._changed:
                message = next(
                    (m for m in self.history.get(args.get("channel"), []) if m["ts"] == args.get("ts")), None
                )
                if message is None:  # Slack's answer for a ts that is no message of the channel
                    return {"ok": False, "error": "message_not_found"}
                message["text"] = args.get("text", message["text"])
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": message["text"]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method.startswith("views."):
            view = _as_dict(args.get("view"))
            return {"ok": True, "view": {**view, "id": f"V{next(self._ids):06d}"}}
        if method == "files.getUploadURLExternal":
            return self._upload_url(args)
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        return {"ok": True}

    def _channel(self, method: str, args: dict) -> dict:
        """conversations.info and conversations.members as Slack answers them: a private channel
        Mentor is not in, or none at all, is channel_not_found; members come a page at a time
        (`limit`, at most 1000), with an opaque `next_cursor` ("" on the last page)."""
        channel = str(args.get("channel", ""))
        members = self.channel_members.get(channel)
        if members is None or (channel.startswith("G") and BOT_USER not in members):
            return {"ok": False, "error": "channel_not_found"}
        if method == "conversations.info":
            about = {"id": channel, "name": channel.lower(), "is_channel": True, "is_private": channel.startswith("G")}
            return {"ok": True, "channel": {**about, "is_member": BOT_USER in members}}
        cursor = str(args.get("cursor") or "")
        try:
            start = int(base64.b64decode(cursor).decode().removeprefix("member:")) if cursor else 0
        except ValueError:
            return {"ok": False, "error": "invalid_cursor"}
        limit = min(int(args.get("limit") or 100), 1000)
        page = members[start : start + limit]
        after = start + limit
        next_cursor = base64.b64encode(f"member:{after}".encode()).decode() if after < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}

    def receive_upload(self, file_id: str, content: bytes) -> tuple[int, str]:
        """Keep the bytes POSTed to an upload URL; the HTTP status and text Slack answers with."""
        with self._changed:
            ticket = self._upload_urls.get(file_id)
            if ticket is not None:
                self._uploaded[file_id] = content
        args = {"file_id": file_id, "size": len(content)}
        if ticket is not None and ticket[1] != len(content):
            args["announced_size"] = ticket[1]  # kept all the same; a test can see what was announced
        status, text = (200, f"OK - {len(content)}") if ticket is not None else (404, "Not Found")
        self._record(Call("upload", args, None, {"status": status, "text": text}))
        return status, text

    def _upload_url(self, args: dict) -> dict:
        length = str(args.get("length", ""))
        if not args.get("filename") or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):06d}"
        with self._changed:
            self._upload_urls[file_id] = (args["filename"], int(length))
        return {"ok": True, "upload_url": f"{self.origin}upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict) -> dict:
        wanted = _as_list(args.get("files"))  # a JSON string when form-encoded, as slack_sdk sends it
        if not wanted:
            return {"ok": False, "error": "invalid_arguments"}
        with self._changed:
            # Bytes never POSTed, or an upload already completed ("can only be called once"):
            # Slack's "Could not find the file from the upload ticket".
            if any(entry.get("id") not in self._uploaded for entry in wanted):
                return {"ok": False, "error": "file_not_found"}
            completed = []
            for entry in wanted:
                filename, _ = self._upload_urls.pop(entry["id"])
                completed.append(
                    UploadedFile(
                        id=entry["id"],
                        filename=filename,
                        title=entry.get("title") or filename,
                        channel_id=args.get("channel_id"),
                        initial_comment=args.get("initial_comment"),
                        content=self._uploaded.pop(entry["id"]),
                    )
                )
            self.files.extend(completed)
            self._changed.notify_all()
        return {"ok": True, "files": [{"id": f.id, "title": f.title, "name": f.filename} for f in completed]}

    def _deactivated(self, user_id: str) -> bool:
        """A member deactivated in Slack (`deleted` in users.info): they cannot be messaged."""
        return bool(self.users.get(user_id, {}).get("deleted"))

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ids):06d}"

    def _oauth_access(self, args: dict) -> dict:
        installation = self.oauth_codes.get(args.get("code", ""))
        if installation is None:
            return {"ok": False, "error": "invalid_code"}
        self.tokens[installation.bot_token] = installation.owner
        self.installations[installation.bot_token] = installation
        team = None if installation.org_wide else {"id": installation.team_id, "name": installation.team_name}
        enterprise = installation.enterprise_id and {
            "id": installation.enterprise_id,
            "name": installation.enterprise_name,
        }
        return {
            "ok": True,
            "app_id": "AMENTOR",
            "authed_user": {"id": installation.installer},
            "scope": ",".join(sorted(self.scopes)),
            "token_type": "bot",
            "access_token": installation.bot_token,
            "bot_user_id": BOT_USER,
            "team": team,
            "enterprise": enterprise or None,
            "is_enterprise_install": installation.org_wide,
        }

    @staticmethod
    def _invalid_payload(method: str, args: dict) -> str | None:
        try:
            if "view" in args:
                View(**_as_dict(args["view"])).to_dict()
            if "blocks" in args:
                blocks = _as_list(args["blocks"])
                parsed = Block.parse_all(blocks)
                if any(block is None for block in parsed) or len(parsed) != len(blocks):
                    return "unknown block type"
                if len(parsed) > 50:
                    return "more than 50 blocks in a message"
                for block in parsed:
                    block.to_dict()
                for block in blocks:
                    action_ids = [
                        element.get("action_id") for element in block.get("elements", []) if "action_id" in element
                    ]
                    if len(action_ids) != len(set(action_ids)):
                        return f"duplicate action_id in one block: {action_ids}"
        except (SlackObjectFormationError, TypeError, ValueError, KeyError) as error:
            return f"{type(error).__name__}: {error}"
        return None


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: beyond that many connections at once (senders
    # to many workspaces), a connection waits for the kernel to retry it, a second later, and
    # its call reaches Slack out of the order it was paced in.
    request_queue_size = 128


@functools.cache  # parsing the YAML took 8 ms of every end-to-end test's set-up
def manifest_scopes() -> frozenset[str]:
    import yaml

    manifest = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


def _scope_needed(method: str, args: dict) -> str | None:
    """The bot scope Slack wants for the calls the app makes (the ones that need one)."""
    if method == "conversations.open":
        return "mpim:write" if "," in (args.get("users") or "") else "im:write"
    if method in ("conversations.history", "conversations.replies"):
        return "im:history" if str(args.get("channel", "")).count("U") <= 1 else "mpim:history"
    if method in ("conversations.info", "conversations.members"):
        return "groups:read" if str(args.get("channel", "")).startswith("G") else "channels:read"
    return {
        "chat.postMessage": "chat:write",
        "chat.update": "chat:write",
        "users.info": "users:read",
        "files.getUploadURLExternal": "files:write",
        "files.completeUploadExternal": "files:write",
    }.get(method)


def default_user(user_id: str, team_id: str, enterprise_id: str | None = None) -> dict:
    """users.info of a full member of `team_id`; in an Enterprise Grid org, Slack adds
    `enterprise_user`, naming the org and the member's workspaces in it."""
    user = {
        "id": user_id,
        "team_id": team_id,
        "name": user_id.lower(),
        "real_name": f"Member {user_id}",
        "deleted": False,
        "is_admin": False,
        "is_owner": False,
        "is_bot": False,
        "tz": "Europe/London",
        "tz_offset": 0,
    }
    if enterprise_id:
        user["enterprise_user"] = {
            "id": user_id,
            "enterprise_id": enterprise_id,
            "enterprise_name": "Globular Construct Inc",
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "teams": [team_id],
        }
    return user


def stranger(user_id: str, home_team: str) -> dict:
    """users.info of a Slack Connect user from another organisation, as Slack answers it: their
    own workspace's id, `is_stranger`, and only the profile they share."""
    return {
        "id": user_id,
        "team_id": home_team,
        "name": user_id.lower(),
        "deleted": False,
        "color": "4bbe2e",
        "real_name": f"Guest of {home_team}",
        "tz": "America/New_York",
        "tz_label": "Eastern Standard Time",
        "tz_offset": -18000,
        "profile": {
            "real_name": f"Guest of {home_team}",
            "display_name": user_id.lower(),
            "avatar_hash": "e0c4b0e1f2a3",
            "image_24": "https://secure.gravatar.com/avatar/e0c4b0e1f2a3.jpg?s=24",
            "image_72": "https://secure.gravatar.com/avatar/e0c4b0e1f2a3.jpg?s=72",
            "team": home_team,
        },
        "is_bot": False,
        "is_app_user": False,
        "is_stranger": True,
        "updated": 1764579600,
    }


def guest(user_id: str, team_id: str, single_channel: bool = False) -> dict:
    """users.info of a multi-channel guest, or with `single_channel` a single-channel one."""
    return {**default_user(user_id, team_id), "is_restricted": True, "is_ultra_restricted": single_channel}


def _metadata_as_asked(messages: list[dict], args: dict) -> list[dict]:
    """Messages as Slack lists them: their metadata only with include_all_metadata."""
    if str(args.get("include_all_metadata")).lower() in ("1", "true"):
        return messages
    return [{k: v for k, v in m.items() if k != "metadata"} for m in messages]


def _as_dict(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def _as_list(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _handler_for(fake: FakeSlack):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            self._handle(dict(parse_qsl(urlsplit(self.path).query)))

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = urlsplit(self.path).path
            if path.startswith("/upload/"):
                # An upload URL: slack_sdk POSTs the file's raw bytes, whatever they are (Slack also
                # takes multipart, which this fake would keep unparsed).
                status, text = fake.receive_upload(path.removeprefix("/upload/"), body)
                self._send(status, text.encode(), "text/plain; charset=utf-8")
                return
            raw = body.decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(parse_qsl(raw))
            self._handle({**dict(parse_qsl(urlsplit(self.path).query)), **args})

        def _handle(self, args: dict):
            path = urlsplit(self.path).path
            authorization = self.headers.get("Authorization", "")
            token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else args.get("token")
            if path.startswith("/response/"):
                problem = fake._invalid_payload("response_url", args)
                if problem:
                    fake.invalid_payloads.append(("response_url", problem))
                fake._record(Call("response_url", args, None, url=path.removeprefix("/response/")))
                self._send(200, b"ok", "text/plain")
                return
            method = path.removeprefix("/api/")
            arrived = time.monotonic()
            if fake.rate_limit(method, token):
                answer = {"ok": False, "error": "ratelimited"}
                fake._record(Call(method, args, token, answer, arrived))
                self._send(429, json.dumps(answer).encode(), "application/json", {"Retry-After": str(fake.retry_after)})
                return
            if method in fake.held:
                fake._arrive(method)
                fake.release.wait(timeout=30)  # the app's call hangs until the test lets it go
            if fake.slow.get(method):
                time.sleep(fake.slow[method])  # the dependency being slow is what is simulated
            answer = fake.answer(method, args, token)
            fake._record(Call(method, args, token, answer, arrived))
            self._send(200, json.dumps(answer).encode(), "application/json; charset=utf-8")

        def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
            try:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller is gone: a crash test killed it while its call was held

    return Handler
