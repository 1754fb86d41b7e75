"""Mentor's entry point: reads the configuration, wires the parts, and runs what the
command line asks (`python app.py --help` lists the commands; cli.py defines them).

This is the only module that reads the environment (and `.env`, through python-dotenv).
"""

import gc
import logging
import os
import sys
from argparse import Namespace
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.exc import OperationalError

import cli
import handlers
from bot.rounds.model import RoundKind
from config import Config, ConfigError, database_url_from, load_config
from deps import Deps, utc_now
from handlers.commands import handoff
from handlers.logs import configure_logging
from installations import NOT_INSTALLED, installation_store, make_client, oauth_settings, with_token, workspace_clients
from jobs.command_worker import NICENESS as COMMAND_WORKER_NICENESS
from jobs.command_worker import CommandWorker, ignore_stop_signals, serve_jobs
from jobs.outbox import gone
from jobs.pacing import Pacer
from scheduler import EXPIRE_ASKS, SEND_FOLLOWUPS, run_once, run_rounds_once, start_scheduler
from server import Server, finish
from storage.db import Store, make_engine
from storage.migrations import upgrade

logger = logging.getLogger("mentor")

# Enough for bursts of commands: Bolt's default of 5 would queue the sixth ack.
LISTENER_THREADS = 32


def main(argv: list[str] | None = None) -> int:
    """`python app.py [COMMAND]`, `argv` being what follows (default: sys.argv[1:]). Returns
    the exit status: 0; the command's own (run-round: 1 when a cycle already had a round);
    or 2 after one line on stderr naming a setting that is missing, malformed or refused.
    Raises SystemExit as cli.parse does (2 with the usage, 0 after --help)."""
    arguments = cli.parse(argv)
    from dotenv import find_dotenv, load_dotenv

    load_dotenv(find_dotenv(usecwd=True))  # .env in the working directory; set variables win
    try:
        if arguments.command == "migrate":
            migrated(database_url_from(os.environ))
            logger.info("Database is up to date")
        elif arguments.command is None:
            serve(load_config(os.environ), with_scheduler=not arguments.no_scheduler)
        else:
            _, deps, _ = started(load_config(os.environ))
            return JOB_COMMANDS[arguments.command](deps, arguments) or 0
    except ConfigError as error:
        print(error.line, file=sys.stderr)
        return 2
    return 0


# The commands that run the jobs: on the scheduler's clock, or once (scheduler.py); each
# returns the exit status, None meaning 0.
JOB_COMMANDS: dict[str, Callable[[Deps, Namespace], int | None]] = {
    "scheduler": lambda deps, arguments: start_scheduler(deps, blocking=True) and None,  # runs until stopped
    "expire-asks": lambda deps, arguments: run_once(EXPIRE_ASKS, deps),
    "send-followups": lambda deps, arguments: run_once(SEND_FOLLOWUPS, deps),
    "run-round": lambda deps, arguments: run_rounds_once(
        deps, RoundKind(arguments.kind), arguments.team, arguments.date, arguments.force, arguments.dry_run
    ),
}


def serve(config: Config, with_scheduler: bool = True) -> None:
    """Serve Slack until SIGTERM or Ctrl-C, then finish what was acknowledged (server.py).
    Raises ConfigError as Server and started do."""
    # Commands' work after the ack goes to a process of its own, started once serving.
    worker = command_worker_for(config)
    app, deps, store = started(config, worker)
    server = Server(app, store, config)
    scheduler = start_scheduler(deps) if with_scheduler else None
    worker.start()
    # Everything built so far lives as long as the process: keep the garbage collector
    # from walking it again, which otherwise shows as pauses in the slowest requests.
    gc.freeze()
    server.run()
    logger.info("Stopping: finishing the work already acknowledged")
    finish(app, deps, scheduler)


def migrated(database_url: str) -> Store:
    """The database at the latest migration; the process logs from here on. Raises
    ConfigError when the database cannot be opened."""
    configure_logging()
    engine = make_engine(database_url)
    try:
        upgrade(engine)
    except OperationalError as error:
        raise ConfigError.database_unopenable(error) from None
    return Store(engine)


def started(config: Config, command_worker: CommandWorker | None = None) -> tuple[App, Deps, Store]:
    """The database migrated, the DMs of ended senders taken over, and the Bolt app built
    (see create_app). Raises ConfigError as they do."""
    store = migrated(config.database_url)
    if store.engine.dialect.name == "sqlite":  # SQLite's senders share this machine: we can tell the dead ones
        with store.transaction() as repositories:
            released = repositories.outbox.release_claims(utc_now(), gone)
        if released:
            logger.info("Took over %d DMs that an ended process was sending", released)
    app, deps = create_app(config, store, make_client(config), command_worker=command_worker)
    return app, deps, store


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
    fails at start: raises ConfigError when Slack refuses SLACK_BOT_TOKEN or cannot be reached."""
    installations = installation_store(config, store)
    try:
        app = App(
            signing_secret=config.signing_secret,
            client=client,  # carries the bot token in single-workspace mode
            oauth_settings=oauth_settings(config, store, client, installations) if installations else None,
            user_facing_authorize_error_message=NOT_INSTALLED,
            listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        )
    except (BoltError, SlackApiError) as error:
        raise ConfigError.refused_by_slack("SLACK_BOT_TOKEN", error) from None
    except OSError as error:
        raise ConfigError.slack_unreachable(error) from None
    deps = make_deps(config, store, client, installations, clock, pacer, command_worker)
    handlers.register(app, deps)
    return app, deps


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


def command_worker_for(config: Config) -> CommandWorker:
    """The process that will run slash commands' work after their acks, once started
    (jobs/command_worker.py)."""
    return CommandWorker(run_command_worker, (config,), lost=handoff.tell_interrupted)


def run_command_worker(config: Config, jobs, done) -> None:
    """The command worker process's main: its own engine, clients and pools."""
    ignore_stop_signals()
    os.nice(COMMAND_WORKER_NICENESS)
    configure_logging()
    store = Store(make_engine(config.database_url))
    deps = make_deps(config, store, make_client(config), installation_store(config, store))
    serve_jobs(jobs, done, partial(handoff.perform, deps), deps.settle_background)
    store.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
