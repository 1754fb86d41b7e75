"""Mentor's entry point: reads the configuration, wires the parts, serves Slack.

    python app.py              serve Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP on $PORT),
                               with the scheduler's jobs in the same process and slash
                               commands' work in a child process (jobs/command_worker.py)
    python app.py --no-scheduler
                               serve Slack only (web replicas, with one `scheduler` beside them)
    python app.py scheduler    run the scheduler's jobs only (at start, then every 5 minutes)
    python app.py migrate      apply pending database migrations and exit
    python app.py expire-asks  widen or close the asks nobody accepted in time, once, and exit
    python app.py send-followups
                               move due follow-ups on and send their DMs, once, and exit
    python app.py run-round coffee|reverse [--team T…]
                               run today's round now for every workspace (or one), and exit

This is the only module that reads the environment (and `.env`, through python-dotenv).
"""

import gc
import logging
import os
import re
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

import handlers
from bot.asks.model import AskPolicy
from bot.followups.model import MAX_FOLLOWUP_DAYS
from bot.ids import BOT_SCOPES
from bot.program.model import MAX_ASK_TIMEOUT_HOURS
from bot.rounds.model import RoundKind
from handlers import commands
from handlers.deps import Deps, utc_now
from handlers.logs import configure_logging
from handlers.web import make_wsgi_app
from jobs.asks import expire_due_asks
from jobs.command_worker import NICENESS as COMMAND_WORKER_NICENESS
from jobs.command_worker import CommandWorker, ignore_stop_signals, serve_jobs
from jobs.followups import run_due_followups
from jobs.outbox import gone
from jobs.pacing import Pacer
from jobs.rounds import run_due_rounds, run_rounds_now
from storage.db import Store, make_engine
from storage.migrations import upgrade

logger = logging.getLogger("mentor")

DEFAULT_DATABASE_URL = "sqlite:///mentor.db"
DEFAULT_PORT = 3000
# Enough for bursts of commands: Bolt's default of 5 would queue the sixth ack.
LISTENER_THREADS = 32
HTTP_THREADS = 32
OAUTH_STATE_SECONDS = 600
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
NOT_INSTALLED = (
    "Mentor isn't installed in this workspace, or its installation was removed. Ask a workspace admin to install it."
)
USAGE = (
    "usage: python app.py [--no-scheduler | scheduler | migrate | expire-asks | send-followups"
    " | run-round coffee|reverse [--team T…]]"
)
COMMANDS = ([], ["--no-scheduler"], ["scheduler"], ["migrate"], ["expire-asks"], ["send-followups"])
JOB_INTERVAL_MINUTES = 5


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Config:
    signing_secret: str
    bot_token: str | None
    app_token: str | None
    client_id: str | None
    client_secret: str | None
    api_url: str | None
    database_url: str
    port: int
    admin_ids: frozenset[str]
    ask_policy: AskPolicy
    ask_timeout_hours: int | None  # None: each workspace's own setting
    followup_days: int | None  # None: each workspace's own setting

    @property
    def uses_oauth(self) -> bool:
        return self.bot_token is None


def database_url_from(environ) -> str:
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


def load_config(environ) -> Config:
    """Read and check every setting; raise ConfigError naming the first bad one."""

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

    fanout = _bounded_int(get("MENTOR_ASK_FANOUT"), "MENTOR_ASK_FANOUT", 3, 1, 10)
    timeout_hours = get("MENTOR_ASK_TIMEOUT_HOURS")
    if timeout_hours is not None:
        timeout_hours = _bounded_int(timeout_hours, "MENTOR_ASK_TIMEOUT_HOURS", 48, 1, MAX_ASK_TIMEOUT_HOURS)
    followup_days = get("MENTOR_FOLLOWUP_DAYS")
    if followup_days is not None:
        followup_days = _bounded_int(followup_days, "MENTOR_FOLLOWUP_DAYS", 0, 0, MAX_FOLLOWUP_DAYS)

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
        ask_policy=AskPolicy(fanout=fanout),
        ask_timeout_hours=timeout_hours,
        followup_days=followup_days,
    )


def _bounded_int(text: str | None, name: str, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}")
    return int(text)


def make_client(config: Config) -> WebClient:
    """The one Web API client; Bolt copies its base URL and retry handlers for each request."""
    kwargs = {"base_url": config.api_url} if config.api_url else {}
    return WebClient(
        token=config.bot_token,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)],
        **kwargs,
    )


def create_app(
    config: Config,
    store: Store,
    client: WebClient,
    clock: Callable[[], datetime] = utc_now,
    pacer: Pacer | None = None,
    command_worker: CommandWorker | None = None,
) -> tuple[App, Deps]:
    """The Bolt app with every listener registered, and what the listeners and jobs share.
    With a bot token it verifies the token against Slack (auth.test) now, so a wrong one
    fails at start."""
    installations = installation_store(config, store)
    app = App(
        signing_secret=config.signing_secret,
        client=client,  # carries the bot token in single-workspace mode
        oauth_settings=oauth_settings(config, store, client, installations) if installations else None,
        user_facing_authorize_error_message=NOT_INSTALLED,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
    )
    deps = make_deps(config, store, client, installations, clock, pacer, command_worker)
    handlers.register(app, deps)
    return app, deps


def installation_store(config: Config, store: Store) -> SQLAlchemyInstallationStore | None:
    """Where OAuth installs keep their bot tokens; None with one workspace's SLACK_BOT_TOKEN."""
    return SQLAlchemyInstallationStore(client_id=config.client_id, engine=store.engine) if config.uses_oauth else None


def make_deps(
    config: Config,
    store: Store,
    client: WebClient,
    installations: SQLAlchemyInstallationStore | None,
    clock: Callable[[], datetime] = utc_now,
    pacer: Pacer | None = None,
    command_worker: CommandWorker | None = None,
) -> Deps:
    """What listeners and jobs share, in the serving process and in the command worker's."""
    return Deps(
        store=store,
        admin_ids=config.admin_ids,
        ask_policy=config.ask_policy,
        ask_timeout_hours=config.ask_timeout_hours,
        followup_days=config.followup_days,
        clock=clock,
        client_for=workspace_clients(client, installations),
        pacer=pacer or Pacer(),
        bot_client=partial(with_token, client),
        command_worker=command_worker,
    )


def with_token(client: WebClient, token: str) -> WebClient:
    """`client`'s Slack (base URL and retries) with another bot token."""
    return WebClient(token=token, base_url=client.base_url, retry_handlers=client.retry_handlers)


def workspace_clients(client: WebClient, installations: SQLAlchemyInstallationStore | None):
    """For jobs, which run outside any request: a client with the workspace's bot token."""

    def client_for(team_id: str) -> WebClient | None:
        if installations is None:
            return client
        bot = installations.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            return None
        return with_token(client, bot.bot_token)

    return client_for


def command_worker_for(config: Config) -> CommandWorker:
    """The process that will run slash commands' work after their acks, once started
    (jobs/command_worker.py)."""
    return CommandWorker(run_command_worker, (config,), lost=commands.tell_interrupted)


def run_command_worker(config: Config, jobs, done) -> None:
    """The command worker process's main: its own engine, clients and pools."""
    ignore_stop_signals()
    os.nice(COMMAND_WORKER_NICENESS)
    configure_logging()
    store = Store(make_engine(config.database_url))
    deps = make_deps(config, store, make_client(config), installation_store(config, store))
    serve_jobs(jobs, done, partial(commands.perform, deps), deps.settle_background)
    store.engine.dispose()


def oauth_settings(
    config: Config, store: Store, client: WebClient, installations: SQLAlchemyInstallationStore
) -> OAuthSettings:
    """Slack's install flow, with installations and state kept in our database by slack-sdk's stores."""
    # GovSlack and test servers: the authorize page lives beside the Web API.
    authorize_url = client.base_url.removesuffix("api/") + "oauth/v2/authorize"
    return OAuthSettings(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=store.engine),
        installation_store_bot_only=True,
        authorization_url=authorize_url,
    )


def start_scheduler(deps: Deps, blocking: bool = False):
    """The jobs that run on a clock (APScheduler): at start, then every few minutes. In a
    background thread beside the server (returns the scheduler), or (`blocking`) as this
    process's only work. Several schedulers at once are safe: the database keeps every step,
    round and DM to one."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    for job in (expire_due_asks, run_due_followups, run_due_rounds):
        scheduler.add_job(
            job,
            "interval",
            minutes=JOB_INTERVAL_MINUTES,
            args=[deps],
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(timezone.utc),
        )
    scheduler.start()
    return scheduler


def finish(app: App, deps: Deps, scheduler=None) -> None:
    """Once serving has stopped: let the work already acknowledged end, in the order it is
    handed on (scheduled jobs, listeners, commands' work, then what they left to the
    background pool, whose own last hand-offs run as the interpreter exits)."""
    if scheduler is not None:
        scheduler.shutdown(wait=True)
    app.listener_runner.listener_executor.shutdown(wait=True)
    if deps.command_worker is not None:
        deps.command_worker.stop()
    deps.settle_background()


def serve(app: App, store: Store, config: Config) -> None:
    """Serve HTTP (Slack's requests when there is no app token, OAuth pages, /healthz) with
    waitress, a production WSGI server; with an app token Slack's requests come over Socket
    Mode. Until Ctrl-C or SIGTERM: then requests being handled finish (waitress gives them 5
    s), and the port and the Socket Mode connection close, so Slack and load balancers see
    this process gone while it finishes its work (see finish)."""
    from waitress import wasyncore
    from waitress.server import create_server

    channels: dict = {}  # waitress's sockets: the listening one and each connection
    socket_mode = None
    try:
        server = create_server(
            make_wsgi_app(app, store),
            map=channels,
            host="0.0.0.0",
            port=config.port,
            threads=HTTP_THREADS,
            ident="mentor",
        )
        if config.app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            socket_mode = SocketModeHandler(app, app_token=config.app_token)
            socket_mode.connect()
            logger.info("Connected to Slack over Socket Mode")
        logger.info("Serving HTTP on port %d", config.port)
        server.run()
    finally:
        wasyncore.close_all(channels)
        if socket_mode is not None:
            socket_mode.close()  # Slack sends the next requests to another connection


def fail(message: str) -> int:
    print(f"mentor: {message}. See README.md, section Configuration.", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    from dotenv import find_dotenv, load_dotenv

    load_dotenv(find_dotenv(usecwd=True))  # .env in the working directory; set variables win
    round_args = _round_arguments(argv)
    if argv not in COMMANDS and round_args is None:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        database_url = database_url_from(os.environ)
        config = None if argv == ["migrate"] else load_config(os.environ)
    except ConfigError as error:
        return fail(str(error))

    configure_logging()
    engine = make_engine(database_url)
    try:
        upgrade(engine)
    except OperationalError as error:
        return fail(f"cannot open the database in DATABASE_URL ({type(error.orig).__name__})")
    if config is None:
        logger.info("Database is up to date")
        return 0

    store = Store(engine)
    if engine.dialect.name == "sqlite":  # SQLite's senders share this machine: we can tell the dead ones
        with store.transaction() as repositories:
            released = repositories.outbox.release_claims(utc_now(), gone)
        if released:
            logger.info("Took over %d DMs that an ended process was sending", released)
    # Serving: commands' work after the ack goes to a process of its own (started below).
    worker = command_worker_for(config) if argv in ([], ["--no-scheduler"]) else None
    try:
        app, deps = create_app(config, store, make_client(config), command_worker=worker)
    except (BoltError, SlackApiError) as error:
        return fail(f"Slack refused SLACK_BOT_TOKEN ({_slack_reason(error)})")
    except OSError as error:
        return fail(f"cannot reach Slack's Web API ({type(error).__name__}); check SLACK_API_URL and the network")
    if argv == ["expire-asks"]:
        logger.info("Handled %d expired asks", expire_due_asks(deps))
        return 0
    if round_args is not None:
        kind, team_id = round_args
        for run in run_rounds_now(deps, kind, team_id):
            said = f"{run.groups} groups of {run.members} members" if run.created else "already run: nothing new"
            logger.info("Round %s on %s: %s", run.kind.value, run.held_on, said)
        deps.background.shutdown(wait=True)
        return 0
    if argv == ["send-followups"]:
        logger.info("Sent %d follow-up DMs", run_due_followups(deps))
        deps.background.shutdown(wait=True)
        return 0
    if argv == ["scheduler"]:
        logger.info("Running the scheduler's jobs only")
        start_scheduler(deps, blocking=True)
        return 0
    scheduler = start_scheduler(deps) if argv != ["--no-scheduler"] else None
    worker.start()
    # Everything built so far lives as long as the process: keep the garbage collector
    # from walking it again, which otherwise shows as pauses in the slowest requests.
    gc.freeze()
    # SIGTERM, how service managers stop a service, stops it as Ctrl-C does: no new requests,
    # and what was acknowledged is finished. A second one ends the process at once.
    signal.signal(signal.SIGTERM, _stop_serving)
    try:
        serve(app, store, config)
    except KeyboardInterrupt:
        pass  # waitress stops on it by itself; this is one arriving outside its loop
    logger.info("Stopping: finishing the work already acknowledged")
    finish(app, deps, scheduler)
    return 0


def _stop_serving(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise KeyboardInterrupt


def _round_arguments(argv: list[str]) -> tuple[RoundKind, str | None] | None:
    """`run-round coffee|reverse [--team T…]` as (kind, team); None for anything else."""
    if len(argv) not in (2, 4) or argv[0] != "run-round" or argv[1] not in {kind.value for kind in RoundKind}:
        return None
    if len(argv) == 4 and (argv[2] != "--team" or not re.match(r"^[TE][A-Z0-9]{2,}$", argv[3])):
        return None
    return RoundKind(argv[1]), argv[3] if len(argv) == 4 else None


def _slack_reason(error: Exception) -> str:
    # Bolt wraps auth.test's SlackApiError in a BoltError raised while handling it.
    cause = error if isinstance(error, SlackApiError) else error.__context__
    if isinstance(cause, SlackApiError):
        return str(cause.response.get("error"))
    return str(error).splitlines()[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
