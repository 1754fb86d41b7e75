"""The command line of `python app.py`: what it accepts, and its help."""

import argparse
import re
from datetime import date

from bot.rounds.model import KEY_LENGTH

TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
PROGRAM_KEY = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{KEY_LENGTH - 1}}}$")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """`argv` (default: sys.argv[1:]) as `command` (None: serve), `no_scheduler`, `no_worker`, and for
    run-round `kind` (a program's key: "coffee", "reverse", …), `team` (a team id, or None), `date` (a date,
    or None: today), `force` and `dry_run` (bools). Exits the
    process with the usage and status 2 when they make no sense, and with status 0 after
    printing the help for --help."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.no_scheduler and arguments.command is not None:
        parser.error("--no-scheduler is for serving: use it with no command")
    if arguments.no_worker and arguments.command is not None:
        parser.error("--no-worker is for serving: use it with no command")
    return arguments


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        usage="%(prog)s [-h] [--no-scheduler] [--no-worker] [COMMAND]",
        description=(
            "Mentor, a Slack bot for informal and reciprocal mentoring. With no command it serves "
            "Slack (over Socket Mode with SLACK_APP_TOKEN, else HTTP on $PORT), with the scheduler's "
            "jobs and workers of slash commands' work in the same process."
        ),
        epilog="Settings come from the environment and .env: see README.md, section Configuration.",
    )
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="serve Slack only (web replicas, with one `python app.py scheduler` beside them)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do no slash commands' work here (web replicas, with `python app.py worker` processes beside them)",
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND", prog=parser.prog)
    commands.add_parser("scheduler", help="run the scheduler's jobs only (at start, then every 5 minutes)")
    commands.add_parser("worker", help="do slash commands' work queued by every web replica, until stopped")
    commands.add_parser("migrate", help="apply pending database migrations and exit (needs only DATABASE_URL)")
    commands.add_parser("expire-asks", help="widen or close the asks nobody accepted in time, once, and exit")
    commands.add_parser("send-followups", help="move due follow-ups on and send their DMs, once, and exit")
    run_round = commands.add_parser(
        "run-round",
        help="run today's round now for every workspace (or one), and exit",
        usage="%(prog)s coffee|reverse|PROGRAM [--team T…] [--date YYYY-MM-DD] [--dry-run] [--force]",
        description=(
            "Run a round now. A round run by hand is the round of its cycle (the date of the cadence "
            "nearest to it): the scheduler runs and announces no other until the next date. A cycle that "
            "already has a round gets no second one unless --force."
        ),
    )
    run_round.add_argument(
        "kind",
        type=_program_key,
        metavar="coffee|reverse|PROGRAM",
        help="which program's round: coffee, reverse, or the key of a workspace's own program",
    )
    run_round.add_argument("--team", type=_team_id, metavar="T…", help="only this workspace, by its team id")
    run_round.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the round's date, to catch up one that was missed (default: today in each workspace's time zone)",
    )
    run_round.add_argument(
        "--dry-run",
        action="store_true",
        help="print who would be grouped and why; send nothing, record nothing",
    )
    run_round.add_argument(
        "--force", action="store_true", help="run it even if its cycle already has a round (one per date at most)"
    )
    return parser


def _program_key(text: str) -> str:
    """A program's key as bot.rounds.model.program_key makes them: lower case, digits, hyphens."""
    if not PROGRAM_KEY.match(text):
        raise argparse.ArgumentTypeError(f"not a program's key (coffee, reverse, or one such as eng-nyc): {text!r}")
    return text


def _team_id(text: str) -> str:
    if not TEAM_ID.match(text):
        raise argparse.ArgumentTypeError(f"not a Slack team id (T… or E…): {text!r}")
    return text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
