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
from config import Config, ConfigError, database_url_from, load_config
from deps import Deps, utc_now
from handlers.logs import configure_logging
from installations import NOT_INSTALLED, installation_store, make_client, oauth_settings, with_token, workspace_clients
from jobs.command_jobs import Workers
from jobs.outbox import gone_at_start
from jobs.pacing import Pacer
from scheduler import EXPIRE_ASKS, SEND_FOLLOWUPS, run_once, run_rounds_once, start_scheduler
from server import Server, finish, wait_for_stop
from storage.db import Store, make_engine
from storage.migrations import upgrade

logger = logging.getLogger("mentor")


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
            serve(
                load_config(os.environ), with_scheduler=not arguments.no_scheduler, with_worker=not arguments.no_worker
            )
        elif arguments.command == "worker":
            work(load_config(os.environ))
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
        deps, arguments.kind, arguments.team, arguments.date, arguments.force, arguments.dry_run
    ),
}


def serve(config: Config, with_scheduler: bool = True, with_worker: bool = True) -> None:
    """Serve Slack until SIGTERM or Ctrl-C, then finish what was acknowledged (server.py).
    Raises ConfigError as Server and started do."""
    app, deps, store = started(config)
    server = Server(app, store, config)
    scheduler = start_scheduler(deps) if with_scheduler else None
    # Commands' work after the ack, from the database: here, woken at once by the listener.
    workers = command_workers(deps).start() if with_worker else None
    # Everything built so far lives as long as the process: keep the garbage collector
    # from walking it again, which otherwise shows as pauses in the slowest requests.
    gc.freeze()
    server.run()
    logger.info("Stopping: finishing the work already acknowledged")
    finish(deps, scheduler, workers)


def work(config: Config) -> None:
    """`python app.py worker`: do commands' work after the ack, queued by any web replica,
    until SIGTERM or Ctrl-C; then finish the jobs being done (the rest stay queued)."""
    _, deps, _ = started(config)
    workers = command_workers(deps).start()
    logger.info("Doing slash commands' work queued in the database")
    wait_for_stop()
    logger.info("Stopping: finishing the commands being done")
    workers.stop()
    deps.settle_background()


def command_workers(deps: Deps) -> Workers:
    """This process's workers of commands', clicks' and events' work (jobs/command_jobs.py)."""
    return Workers(deps, handlers.perform, handlers.KNOWN)


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


def started(config: Config) -> tuple[App, Deps, Store]:
    """The database migrated, the DMs of ended senders taken over, and the Bolt app built
    (see create_app). Raises ConfigError as they do."""
    store = migrated(config.database_url)
    if store.engine.dialect.name == "sqlite":  # SQLite's senders share this machine: we can tell the dead ones
        with store.transaction() as repositories:
            released = repositories.outbox.release_claims(utc_now(), gone_at_start)
        if released:
            logger.info("Took over %d DMs that an ended process was sending", released)
    app, deps = create_app(config, store, make_client(config))
    return app, deps, store


def create_app(
    config: Config,
    store: Store,
    client: WebClient,
    clock: Callable[[], datetime] = utc_now,
    pacer: Pacer | None = None,
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
            # Each listener runs on the thread that received its request, and Slack is answered
            # when it returns: what takes longer than recording the work and acknowledging it
            # runs after (handlers.listeners.after_ack) or on a worker. Bolt's default hands
            # each listener to another thread, and the request's thread looks for its ack every
            # 10 ms: bench/load.py's `offer` and `click` at 20 and 50 clients, PostgreSQL and
            # SQLite, went from 1.26-1.59 times the bare app's p99 to 1.02-1.50.
            process_before_response=True,
        )
    except (BoltError, SlackApiError) as error:
        raise ConfigError.refused_by_slack("SLACK_BOT_TOKEN", error) from None
    except OSError as error:
        raise ConfigError.slack_unreachable(error) from None
    deps = make_deps(config, store, client, installations, clock, pacer)
    handlers.register(app, deps)
    return app, deps


def make_deps(
    config: Config,
    store: Store,
    client: WebClient,
    installations: SQLAlchemyInstallationStore | None,
    clock: Callable[[], datetime] = utc_now,
    pacer: Pacer | None = None,
) -> Deps:
    """What listeners and jobs share."""
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
    )


if __name__ == "__main__":
    sys.exit(main())
