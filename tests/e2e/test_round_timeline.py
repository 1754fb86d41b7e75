"""Rounds on one timeline, end to end on a clock the test moves: a round run by hand is the
round of its cycle (no other runs or is announced until the next date of the cadence),
month-end questions wait until a pair has had time to meet, every coffee round gets its
halfway check-in, `run-round` dry-runs, catches up and refuses a second round of a cycle,
and someone nobody fit is told why and when their next chance is."""

import pytest

import app as mentor_app
import cli
from bot import ids
from bot.rounds.model import RoundKind
from jobs.rounds import run_due_rounds
from tests.e2e.test_forget import forget, rows_mentioning
from tests.e2e.test_rounds import dms_to, group_posts, groups_of, intros, reverse_pair
from tests.support.app_process import run_app
from tests.support.members import say
from tests.support.rounds import run_rounds_now
from tests.support.running_app import app_environ

COFFEE_FOUR = ("UANA", "UBEN", "UCAL", "UDEV")


def texts_to(mentor, user_id: str) -> list[str]:
    return [call.args["text"] for call in dms_to(mentor, user_id)]


def run_round_command(mentor, *argv: str) -> int:
    """`python app.py run-round …` as app.py runs it, on the test's clock; its exit status."""
    arguments = cli.parse(["run-round", *argv])
    return mentor_app.JOB_COMMANDS["run-round"](mentor.deps, arguments) or 0


@pytest.fixture
def reverse_by_hand_at_month_end(mentor):
    """Monday 30 November 9:50, the month's last weekday: an admin runs reverse mentoring by
    hand. UJUN and USEN are paired; UMID, mid-career, is not. Minutes later (10:05) the
    scheduler's job runs, twice: the month end and the notices of 1 December would be due."""
    reverse_pair(mentor)
    mentor.clock.advance(days=7, minutes=20)
    [run] = run_rounds_now(mentor.deps, RoundKind.REVERSE)
    assert run.created and groups_of(mentor, intros(mentor)) == [frozenset({"UJUN", "USEN"})]
    mentor.clock.advance(minutes=15)
    run_due_rounds(mentor.deps)
    run_due_rounds(mentor.deps)
    return mentor


def test_a_pair_made_by_hand_at_month_end_is_neither_asked_what_they_learned_nor_told_of_another_round(
    reverse_by_hand_at_month_end,
):
    mentor = reverse_by_hand_at_month_end
    for user_id in ("UJUN", "USEN", "UMID"):
        said = texts_to(mentor, user_id)
        assert not [text for text in said if "What did you learn" in text or "Tomorrow I'll pair you" in text], said

    mentor.clock.advance(days=1)  # Tuesday 1 December 10:05, the date of the cadence the round took the place of
    assert run_due_rounds(mentor.deps) == 0
    assert len(intros(mentor)) == 1

    mentor.clock.advance(days=30)  # Thursday 31 December, the next month's end: they have had a month
    run_due_rounds(mentor.deps)
    run_due_rounds(mentor.deps)
    asked = {
        user_id: [t for t in texts_to(mentor, user_id) if "What did you learn" in t] for user_id in ("UJUN", "USEN")
    }
    assert [len(questions) for questions in asked.values()] == [1, 1], asked
    assert "paired with <@USEN>" in asked["UJUN"][0]

    mentor.clock.advance(days=1)  # Friday 1 January 2027: the next date of the cadence
    assert run_due_rounds(mentor.deps) == 1


def test_someone_nobody_fit_is_told_why_and_when_and_not_then_told_of_tomorrows_round(reverse_by_hand_at_month_end):
    mentor = reverse_by_hand_at_month_end

    [told] = texts_to(mentor, "UMID")

    assert "your profile says neither" in told and "Next chance: *Friday 1 January*" in told
    assert "Tomorrow" not in told


def test_a_coffee_round_run_by_hand_on_any_day_gets_its_halfway_check_in(mentor):
    for user_id in COFFEE_FOUR:
        say(mentor, "join coffee", user_id)
    mentor.clock.advance(days=2, hours=5, minutes=30)  # Wednesday 25 November 15:00: not a date of the cadence
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    assert len(intros(mentor)) == 2

    mentor.clock.advance(days=7, minutes=1)  # a week later: halfway to the next round, two weeks on
    run_due_rounds(mentor.deps)
    run_due_rounds(mentor.deps)

    checkins = group_posts(mentor, "Halfway to the next round")
    assert sorted(map(sorted, groups_of(mentor, checkins))) == sorted(map(sorted, groups_of(mentor, intros(mentor))))


def test_a_round_run_by_hand_the_day_before_keeps_out_who_said_they_would_skip_it(mentor):
    for user_id in COFFEE_FOUR:
        say(mentor, "join coffee", user_id)
    mentor.clock.advance(days=13, minutes=35)  # Sunday 6 December 10:05: the notices of Monday 7 December
    run_due_rounds(mentor.deps)
    [notice] = [call for call in dms_to(mentor, "UANA") if "Tomorrow I'll pair you" in call.args["text"]]
    skip = [e for b in notice.args["blocks"] for e in b.get("elements", []) if e.get("action_id") == ids.SKIP_ROUND]
    mentor.slack.click(ids.SKIP_ROUND, "UANA", skip[0]["value"], message=("DUANA", notice.response["ts"]))
    mentor.settle()

    assert run_round_command(mentor, "coffee") == 0  # by hand, on Sunday: the round of 7 December's cycle

    assert frozenset().union(*groups_of(mentor, intros(mentor))) == {"UBEN", "UCAL", "UDEV"}


def test_run_round_refuses_a_second_round_of_a_cycle_in_one_line_unless_forced(mentor, capsys):
    for user_id in COFFEE_FOUR:
        say(mentor, "join coffee", user_id)
    assert run_round_command(mentor, "coffee") == 0  # Monday 23 November 9:30
    mentor.clock.advance(days=2)  # Wednesday 25 November: the same cycle
    capsys.readouterr()

    refused = run_round_command(mentor, "coffee")

    err = capsys.readouterr().err.strip().splitlines()
    assert refused == 1 and len(intros(mentor)) == 2
    assert err == [
        "run-round: T0MENTOR already had coffee chats on Monday 23 November 2026, in the same cycle: "
        "nothing run (--force runs another)"
    ]
    mentor.clock.advance(minutes=31)
    assert run_due_rounds(mentor.deps) == 0  # nor does the scheduler run one

    assert run_round_command(mentor, "coffee", "--force") == 0
    assert len(intros(mentor)) == 4


def test_run_round_dry_run_prints_who_would_be_grouped_and_why_and_sends_and_records_nothing(mentor, capsys):
    for user_id, offers, wants in (("UANA", "SQL", "Go"), ("UBEN", "Go", "SQL"), ("UCAL", "Design", "Hiring")):
        say(mentor, f"offer {offers}", user_id)
        say(mentor, f"learn {wants}", user_id)
        say(mentor, "join coffee", user_id)
    posted = len(mentor.fake_slack.calls("chat.postMessage"))

    assert run_round_command(mentor, "coffee", "--dry-run") == 0

    printed = capsys.readouterr().out
    assert "Dry run, nothing sent or recorded: coffee chats in T0MENTOR on Monday 23 November 2026" in printed
    assert "UANA can help UBEN with SQL" in printed and "UBEN can help UANA with Go" in printed
    assert len(mentor.fake_slack.calls("chat.postMessage")) == posted
    [run] = run_rounds_now(mentor.deps, RoundKind.COFFEE)  # nothing was recorded: the real round runs
    assert run.created and len(intros(mentor)) == 1


def test_run_round_with_a_date_catches_up_a_missed_round(mentor, capsys):
    for user_id in COFFEE_FOUR:
        say(mentor, "join coffee", user_id)
    mentor.clock.advance(days=16, hours=3)  # Wednesday 9 December 12:30: Monday 7 December's round was missed
    assert run_due_rounds(mentor.deps) == 0  # too late for the scheduler

    assert run_round_command(mentor, "coffee", "--date", "2026-12-07") == 0

    assert len(intros(mentor)) == 2
    mentor.clock.advance(days=12)  # Monday 21 December 12:30: the next date of the cadence
    assert run_due_rounds(mentor.deps) == 1
    assert run_round_command(mentor, "coffee", "--date", "2027-01-04") == 2
    assert "in the future" in capsys.readouterr().err


def test_nobody_fit_names_only_the_members_own_never_list_and_only_to_them(mentor, capsys):
    for user_id in ("UANA", "UBEN"):
        say(mentor, "join coffee", user_id)
    values = {"never_pair": {"never_pair": {"type": "multi_users_select", "selected_users": ["UBEN"]}}}
    assert mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id="UANA").status == 200
    mentor.fake_slack.wait_for("views.publish")
    assert run_round_command(mentor, "coffee", "--dry-run") == 0
    printed = capsys.readouterr().out
    assert "Nobody for UANA: nobody fit" in printed and "never" not in printed  # nor to the operator

    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    [to_ana], [to_ben] = texts_to(mentor, "UANA"), texts_to(mentor, "UBEN")
    assert "on your never-pair list" in to_ana and "Next chance: *Monday 7 December*" in to_ana
    assert "never" not in to_ben.casefold() and "Next chance: *Monday 7 December*" in to_ben


def test_someone_alone_in_a_round_is_told_there_were_too_few_people(mentor):
    say(mentor, "join coffee", "UALONE")

    [run] = run_rounds_now(mentor.deps, RoundKind.COFFEE)

    [told] = texts_to(mentor, "UALONE")
    assert run.unmatched == ("UALONE",) and "nobody else was in it" in told and "Next chance" in told


def test_why_someone_had_nobody_is_forgotten_with_them(mentor):
    say(mentor, "join coffee", "UALONE")
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    assert rows_mentioning(mentor, "UALONE")

    assert "Mentor has forgotten you" in forget(mentor, "UALONE")["text"]

    assert rows_mentioning(mentor, "UALONE") == []


def test_python_app_py_run_round_exits_1_with_one_line_for_a_cycle_that_had_a_round(mentor, tmp_path):
    for user_id in COFFEE_FOUR:
        say(mentor, "join coffee", user_id)
    environ = {"PATH": "/usr/bin:/bin", **app_environ(mentor.fake_slack, mentor.config.database_url)}
    # Monday 13 January 2020 is a date of the cadence; Wednesday 15 January is in its cycle.
    first = run_app(["run-round", "coffee", "--date", "2020-01-13"], environ, tmp_path)
    again = run_app(["run-round", "coffee", "--date", "2020-01-15"], environ, tmp_path)
    forced = run_app(["run-round", "coffee", "--date", "2020-01-15", "--force"], environ, tmp_path)

    assert (first.returncode, again.returncode, forced.returncode) == (0, 1, 0), again.stderr
    [refusal] = [line for line in again.stderr.splitlines() if "run-round" in line]
    assert refusal == (
        "run-round: T0MENTOR already had coffee chats on Monday 13 January 2020, in the same cycle: "
        "nothing run (--force runs another)"
    )
    assert len(intros(mentor)) == 4  # two rounds of two intros: the refused one sent nothing
