"""The one rule for figures built from members' answers (issue 19; README, "Program admins"):
a check-in's "did you meet", what a reverse pair learned, a follow-up's outcome, whether a loop
was closed, who gave and got help. Such a figure is shown only when at least MIN_PEOPLE
distinct people's answers stand behind it, so that no admin can read one person's answer off
it; one person answering five times is one. Below that it says why instead, never "0%" or
"100%": NO_ANSWERS when nobody answered, TOO_FEW otherwise.

Every surface that shows such a figure (`/mentor stats`, the admins' Home section, the chart,
the CSV export) is handed `Answers`, whose counts only `shown` and `read` give out, through
this rule."""

from collections.abc import Callable, Mapping
from typing import TypeVar

MIN_PEOPLE = 5


NO_ANSWERS = "no answers yet"


TOO_FEW = f"fewer than {MIN_PEOPLE} answers"


Shown = TypeVar("Shown")


def withheld(people: int) -> str | None:
    """Why a figure built from the answers of `people` distinct people is not shown
    (NO_ANSWERS or TOO_FEW), or None when it may be."""
    if people < 1:
        return NO_ANSWERS
    if people < MIN_PEOPLE:
        return TOO_FEW
    return None


class Answers:
    """Members' answers to one question: answers per value (`counts`), and how many distinct
    `people` gave them. The counts are read only through the rule."""

    __slots__ = ("_counts", "people")

    def __init__(self, counts: Mapping[str, int] | None = None, people: int = 0):
        self._counts = {value: count for value, count in (counts or {}).items() if count}
        self.people = people

    @property
    def withheld(self) -> str | None:
        """Why these answers are not shown, or None when they are."""
        return withheld(self.people)

    def shown(self) -> dict[str, int] | None:
        """Answers per value, or None when the rule withholds them."""
        return None if self.withheld else dict(self._counts)

    def read(self, figure: Callable[[dict[str, int]], Shown]) -> Shown | str:
        """`figure` of the answers per value, or why it is withheld."""
        counts = self.shown()
        return figure(counts) if counts is not None else str(self.withheld)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answers) and (self._counts, self.people) == (other._counts, other.people)

    def __repr__(self) -> str:
        return f"Answers({self._counts!r}, people={self.people})"
