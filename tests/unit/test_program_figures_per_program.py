"""The admins' figures per program (issue 21): a section for each program, whatever its kind,
its name escaped once, its answers by the five-people rule; the CSV export with a program
column; never more sections than a Home tab holds."""

import csv
import io
from datetime import UTC, datetime, timedelta

from bot.program.disclosure import MIN_PEOPLE, TOO_FEW, Answers
from bot.program.export import figures_csv
from bot.program.messages import PROGRAMS_SHOWN, figures_blocks, home_blocks
from bot.program.model import Period, ProgramFigures, RoundFigures
from bot.rounds.model import COFFEE, REVERSE, Program, ProgramStatus, RoundKind

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
GUIDES = Program("guides", "Guides <& guided>", RoundKind.MENTORING, group_size=3, category="role")


def one(program: Program, met: int = 0, people: int = 0, **more) -> RoundFigures:
    figures = {"opted_in": 12, "rounds": 2, "participants": 10, "groups": 4} | more
    return RoundFigures(program, answers=Answers({"met": met, "not_this_time": 1}, people), **figures)


def workspace(*programs: RoundFigures) -> ProgramFigures:
    return ProgramFigures(
        period=Period(NOW, 30),
        members=40,
        programs=programs,
        asks_made=0,
        asks_matched=0,
        asks_waiting=0,
        median_to_help=timedelta(hours=3),
        followups_sent=0,
        loops_closed=Answers(),
        outcomes=Answers(),
        helpers=Answers(),
        gaps=(),
        pending_intros=0,
    )


def text_of(blocks: list[dict]) -> str:
    return "\n".join(block["text"]["text"] for block in blocks if block.get("text"))


def test_each_program_has_its_section_with_its_own_figures_and_its_name_escaped_once():
    figures = workspace(
        one(COFFEE), one(REVERSE), one(GUIDES, met=MIN_PEOPLE - 1, people=MIN_PEOPLE), one(GUIDES, people=2)
    )

    shown = text_of(figures_blocks(figures))

    assert "*Guides &lt;&amp; guided&gt;* · mentoring\nOpted in: 12 · rounds: 2 · people introduced: 10" in shown
    assert "Check-ins: We met 80% · Scheduled 0% · Not this time 20%" in shown
    assert f"Check-ins: {TOO_FEW}" in shown  # the second, from two people's answers
    assert "*Reverse mentoring*\nOpted in: 12" in shown and "Learned:" in shown
    assert "&amp;amp;" not in shown


def test_a_paused_program_says_so():
    shown = text_of(figures_blocks(workspace(one(Program("p", "Parents", status=ProgramStatus.PAUSED)))))

    assert "*Parents* (paused) · coffee chats" in shown


def test_many_programs_stay_within_the_home_tabs_blocks_and_say_where_the_rest_are():
    many = workspace(*(one(Program(f"p{n}", f"Program {n}")) for n in range(30)))

    home = home_blocks(many)

    assert len(home) < 20
    assert f"And {30 - PROGRAMS_SHOWN} more programs: `/mentor export` has every one." in str(home)


def test_the_export_has_each_programs_figures_under_its_key():
    rows = list(csv.reader(io.StringIO(figures_csv(workspace(one(COFFEE), one(GUIDES, met=6, people=6))))))

    assert rows[0] == ["program", "figure", "value"]
    assert ["", "members_with_a_profile", "40"] in rows
    assert ["guides", "name", "Guides <& guided>"] in rows  # a CSV cell, not mrkdwn
    assert ["guides", "kind", "mentoring"] in rows and ["guides", "checkin_met", "6"] in rows
    assert ["coffee", "checkin_met", "no answers yet"] in rows
