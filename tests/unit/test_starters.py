"""Which conversation starters a round's group may have, and in what order (bot/rounds/starters.py)."""

from bot.rounds.model import RoundKind
from bot.rounds.starters import COFFEE, REVERSE, starters

TEACHING = (("UANA", "UBEN", ("SQL", "R&D <plans>")),)


def test_the_groups_own_skills_come_first_escaped_once_then_the_curated_list():
    given = starters(RoundKind.COFFEE, TEACHING, COFFEE[0], seed="7")

    assert [one.text for one in given[:2]] == [
        "<@UBEN>, what would you most like to learn from <@UANA> about *SQL*?",
        "<@UBEN>, what would you most like to learn from <@UANA> about *R&amp;D &lt;plans&gt;*?",
    ]
    assert {one.text for one in given[2:]} == set(COFFEE[1:])  # the introduction's own question left out


def test_each_group_has_its_own_order_and_the_same_group_always_the_same():
    first = [one.key for one in starters(RoundKind.REVERSE, (), "", seed="1")]
    again = [one.key for one in starters(RoundKind.REVERSE, (), "", seed="1")]
    other = [one.key for one in starters(RoundKind.REVERSE, (), "", seed="2")]

    assert first == again and sorted(first) == sorted(other) and first != other
    assert len(first) == len(set(first)) == len(REVERSE)
