"""Mentor's configuration: every setting read from the environment, checked at start.

A setting that is missing, malformed, or refused (by Slack, or by the database) raises
ConfigError, whose message names it; `python app.py` prints it on one line and exits 2.
README.md, section Configuration, lists the settings.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from bot.asks.model import AskPolicy
from bot.followups.model import MAX_FOLLOWUP_DAYS
from bot.program.model import MAX_ASK_TIMEOUT_HOURS

DEFAULT_DATABASE_URL = "sqlite:///mentor.db"
DEFAULT_PORT = 3000
DEFAULT_ASK_FANOUT, MAX_ASK_FANOUT = 3, 10
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ConfigError(ValueError):
    """A setting is missing, malformed or refused; the message names it. The class methods
    build the errors of settings found wrong only when used, at start."""

    @property
    def line(self) -> str:
        """What the operator is shown: one line naming the setting, and where to read more."""
        return f"mentor: {self}. See README.md, section Configuration."

    @classmethod
    def refused_by_slack(cls, setting: str, error: Exception) -> "ConfigError":
        """Slack refused the token in `setting`: `error` is Slack's SlackApiError, or the
        BoltError Bolt raised while handling it."""
        cause = error if isinstance(error, SlackApiError) else error.__context__
        reason = cause.response.get("error") if isinstance(cause, SlackApiError) else str(error).splitlines()[0]
        return cls(f"Slack refused {setting} ({reason})")

    @classmethod
    def slack_unreachable(cls, error: OSError) -> "ConfigError":
        """Slack's Web API could not be reached: SLACK_API_URL is wrong, or the network."""
        return cls(f"cannot reach Slack's Web API ({type(error).__name__}); check SLACK_API_URL and the network")

    @classmethod
    def database_unopenable(cls, error: OperationalError) -> "ConfigError":
        """The database in DATABASE_URL refused us, or is not there."""
        return cls(f"cannot open the database in DATABASE_URL ({type(error.orig).__name__})")

    @classmethod
    def port_unavailable(cls, port: int, error: OSError) -> "ConfigError":
        """PORT is already in use, or not ours to listen on."""
        return cls(f"cannot listen on PORT {port} ({error.strerror})")


@dataclass(frozen=True)
class Config:
    signing_secret: str
    bot_token: str | None  # None: many workspaces, each with the token its install gave
    app_token: str | None  # None: Slack's requests come over HTTP, not Socket Mode
    client_id: str | None
    client_secret: str | None
    api_url: str | None  # None: slack_sdk's default, https://slack.com/api/
    database_url: str
    port: int
    admin_ids: frozenset[str]
    ask_policy: AskPolicy
    ask_timeout_hours: int | None  # None: each workspace's own setting
    followup_days: int | None  # None: each workspace's own setting

    @property
    def uses_oauth(self) -> bool:
        return self.bot_token is None


def database_url_from(environ: Mapping[str, str]) -> str:
    """DATABASE_URL, or the default SQLite file in the working directory. Raises ConfigError
    unless it is a SQLite or a psycopg (3) PostgreSQL URL."""
    url = environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a database URL (e.g. sqlite:///mentor.db)") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("DATABASE_URL must be sqlite:///… or postgresql+psycopg://…")
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise ConfigError("DATABASE_URL for PostgreSQL must start with postgresql+psycopg:// (psycopg 3)")
    return url


def load_config(environ: Mapping[str, str]) -> Config:
    """Every setting, read from `environ` and checked (blank counts as unset). Raises
    ConfigError naming the first bad one. Nothing is asked of Slack or the database here."""

    def get(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    signing_secret = get("SLACK_SIGNING_SECRET")
    if signing_secret is None:
        raise ConfigError("SLACK_SIGNING_SECRET is not set")
    bot_token, app_token = get("SLACK_BOT_TOKEN"), get("SLACK_APP_TOKEN")
    # OAuth state needs no secret of ours: slack-sdk's state store keeps it in the database.
    oauth = {name: get(name) for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")}
    if bot_token is None:
        missing = [name for name, value in oauth.items() if value is None]
        if missing:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set (or, for many workspaces, set "
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; missing: " + ", ".join(missing) + ")"
            )
        if app_token is not None:
            raise ConfigError(
                "SLACK_APP_TOKEN (Socket Mode) needs SLACK_BOT_TOKEN; the OAuth install flow runs over HTTP"
            )
    elif not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")

    api_url = get("SLACK_API_URL")
    if api_url is not None:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("SLACK_API_URL must be an http(s) URL such as https://slack.com/api/")
        api_url = api_url if api_url.endswith("/") else api_url + "/"

    port_text = get("PORT") or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError("PORT must be a port number from 1 to 65535")

    admin_ids = frozenset(part.strip() for part in (get("MENTOR_ADMINS") or "").split(",") if part.strip())
    bad_ids = sorted(user_id for user_id in admin_ids if not SLACK_USER_ID.match(user_id))
    if bad_ids:
        raise ConfigError(f"MENTOR_ADMINS must be comma-separated Slack user ids like U012ABC; not {bad_ids[0]!r}")

    fanout = _bounded_int(get("MENTOR_ASK_FANOUT"), "MENTOR_ASK_FANOUT", 1, MAX_ASK_FANOUT)
    timeout_hours = _bounded_int(get("MENTOR_ASK_TIMEOUT_HOURS"), "MENTOR_ASK_TIMEOUT_HOURS", 1, MAX_ASK_TIMEOUT_HOURS)
    followup_days = _bounded_int(get("MENTOR_FOLLOWUP_DAYS"), "MENTOR_FOLLOWUP_DAYS", 0, MAX_FOLLOWUP_DAYS)
    return Config(
        signing_secret=signing_secret,
        bot_token=bot_token,
        app_token=app_token,
        client_id=oauth["SLACK_CLIENT_ID"],
        client_secret=oauth["SLACK_CLIENT_SECRET"],
        api_url=api_url,
        database_url=database_url_from(environ),
        port=int(port_text),
        admin_ids=admin_ids,
        ask_policy=AskPolicy(fanout=DEFAULT_ASK_FANOUT if fanout is None else fanout),
        ask_timeout_hours=timeout_hours,
        followup_days=followup_days,
    )


def _bounded_int(text: str | None, name: str, low: int, high: int) -> int | None:
    """`text` as a whole number from `low` to `high`, or None when unset."""
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}")
    return int(text)
