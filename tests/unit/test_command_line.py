"""The command line (cli.py): every command README.md documents, its help, and the usage
with exit status 2 for anything else."""

import re
from datetime import date

import pytest

import app
import cli

COMMANDS = ("scheduler", "worker", "migrate", "expire-asks", "send-followups", "run-round")
RUN_ROUND_USAGE = (
    "usage: python app.py run-round coffee|reverse|PROGRAM [--team T…] [--date YYYY-MM-DD] [--dry-run] [--force]"
)


@pytest.mark.parametrize(
    ("argv", "command", "no_scheduler", "no_worker"),
    [
        ([], None, False, False),
        (["--no-scheduler"], None, True, False),
        (["--no-worker", "--no-scheduler"], None, True, True),
        (["scheduler"], "scheduler", False, False),
        (["worker"], "worker", False, False),
        (["migrate"], "migrate", False, False),
        (["expire-asks"], "expire-asks", False, False),
        (["send-followups"], "send-followups", False, False),
        (["run-round", "coffee"], "run-round", False, False),
    ],
)
def test_every_documented_command_is_understood(argv, command, no_scheduler, no_worker):
    arguments = cli.parse(argv)

    assert (arguments.command, arguments.no_scheduler, arguments.no_worker) == (command, no_scheduler, no_worker)


@pytest.mark.parametrize(
    ("argv", "kind", "team"),
    [(["run-round", "coffee"], "coffee", None), (["run-round", "reverse", "--team", "T0ABC"], "reverse", "T0ABC")],
)
def test_run_round_takes_a_kind_and_perhaps_a_workspace(argv, kind, team):
    arguments = cli.parse(argv)

    assert (arguments.kind, arguments.team) == (kind, team)


def test_run_round_takes_a_date_a_dry_run_and_force():
    arguments = cli.parse(["run-round", "coffee", "--date", "2026-11-23", "--dry-run", "--force"])

    assert (arguments.date, arguments.dry_run, arguments.force) == (date(2026, 11, 23), True, True)
    assert (cli.parse(["run-round", "coffee"]).dry_run, cli.parse(["run-round", "coffee"]).force) == (False, False)


def test_help_lists_every_command_with_a_line_saying_what_it_does(capsys):
    with pytest.raises(SystemExit) as exited:
        app.main(["--help"])

    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: python app.py [-h] [--no-scheduler] [--no-worker] [COMMAND]")
    for command in COMMANDS:
        assert re.search(rf"^ +{command}\s+\w", shown, re.MULTILINE), f"{command} is not listed with its help"
    assert re.search(r"^ +--no-scheduler +\w", shown, re.MULTILINE)
    assert re.search(r"^ +--no-worker +\w", shown, re.MULTILINE)


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["serve-forever"], "usage: python app.py [-h] [--no-scheduler] [--no-worker] [COMMAND]"),
        (["migrate", "now"], "usage: python app.py [-h] [--no-scheduler] [--no-worker] [COMMAND]"),
        (["--no-scheduler", "migrate"], "usage: python app.py [-h] [--no-scheduler] [--no-worker] [COMMAND]"),
        (["--no-worker", "worker"], "usage: python app.py [-h] [--no-scheduler] [--no-worker] [COMMAND]"),
        (["run-round"], RUN_ROUND_USAGE),
        (["run-round", "Tea Time"], RUN_ROUND_USAGE),  # not a key any program has
        (["run-round", "coffee", "--team", "t1"], RUN_ROUND_USAGE),
        (["run-round", "coffee", "--date", "30 November"], RUN_ROUND_USAGE),
    ],
)
def test_anything_else_gets_the_usage_and_exit_status_2(argv, usage, capsys):
    with pytest.raises(SystemExit) as exited:
        app.main(argv)

    assert exited.value.code == 2
    shown = capsys.readouterr().err
    assert shown.startswith(usage + "\n") and "error:" in shown
