"""The admins' CSV export: the program's figures, and one anonymous row per relationship.

Members appear as pseudonyms (P0001…) that hold within one export only, so an admin can
see the shape of the network without seeing who is in it; no question or note is ever in
a row, and no answer: a relationship's answers come from one to three people, always too few
to show (bot.program.disclosure). Answers are in the figures file, by that rule."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from bot.program.messages import figure_rows
from bot.program.model import ProgramFigures

RELATIONSHIP_COLUMNS = ("kind", "program", "started_on", "skills", "giver", "receiver", "third", "status")
FIGURE_COLUMNS = ("program", "figure", "value")  # program: empty for the workspace's own figures


# Cells starting with these are formulas to a spreadsheet: a skill named "=HYPERLINK(…)" must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def figures_csv(figures: ProgramFigures) -> str:
    """(program, figure, value) rows: the workspace's figures with no program, then each
    program's under its key, for one spreadsheet filter per program."""
    return _csv(FIGURE_COLUMNS, figure_rows(figures))


def relationships_csv(rows: Iterable[tuple[str, str, date, str, tuple[str, ...], str]]) -> str:
    """`rows` as from storage: (kind, program key or "", date, skills, member ids with the
    giver first, status); member ids become pseudonyms in order of first appearance."""
    pseudonyms: dict[str, str] = {}

    def pseudonym(user_id: str) -> str:
        return pseudonyms.setdefault(user_id, f"P{len(pseudonyms) + 1:04d}")

    def anonymous():
        for kind, program, started_on, skills, members, status in rows:
            people = [pseudonym(user_id) for user_id in members] + ["", "", ""]
            yield kind, program, started_on.isoformat(), skills, *people[:3], status

    return _csv(RELATIONSHIP_COLUMNS, anonymous())
