"""What members of a mentoring program read: who mentors whom, why someone was left out, a
group gone, the channel's figures; the program's name (its admins') escaped once."""

from datetime import date

import pytest

from bot.rounds import messages
from bot.rounds.model import Introduction, PartnerGone, PlannedGroup, Program, RoundKind, Unmatched

GUIDES = Program("guides", "Guides & co", RoundKind.MENTORING, group_size=3, category="role", mentor_side="Mentor")


def planned(members: tuple[str, ...], mentor: str | None) -> PlannedGroup:
    return PlannedGroup(members, members[0], (), (), "Why?", mentor=mentor)


def test_the_introduction_says_who_mentors_whom():
    intro = messages.introduction(Introduction(GUIDES, planned(("UE1", "UM", "UE2"), "UM"), {}))

    assert intro["text"] == ":seedling: Guides &amp; co: <@UM> mentors <@UE1> and <@UE2> this round."


def test_an_introduction_whose_mentor_is_gone_names_the_group_without_roles():
    intro = messages.introduction(Introduction(GUIDES, planned(("UE1", "UE2"), None), {}))

    assert "mentors" not in intro["text"] and "<@UE1> and <@UE2>" in intro["text"]


@pytest.mark.parametrize(
    ("why", "said"),
    [
        (Unmatched.TOO_FEW, "Guides &amp; co puts mentors with mentees, and nobody from the other side was in"),
        (Unmatched.NO_FIT, "I couldn't find you a group in Guides &amp; co this round"),
        (Unmatched.NO_CATEGORY, "Guides &amp; co introduces people by role, and you haven't picked yours yet"),
    ],
)
def test_someone_left_out_is_told_why_in_the_programs_words(why, said):
    text = messages.unmatched(GUIDES, why, date(2027, 1, 4))["text"]

    assert said in text and "Monday 4 January" in text


def test_a_group_whose_people_are_gone_is_off_until_the_next_round():
    text = messages.partner_gone(PartnerGone(GUIDES, ("UM",)))["text"]

    assert text == (
        "<@UM> can't be reached on Slack any more, so your group in Guides &amp; co is off this round. "
        "Sorry about that: you're still in for the next round."
    )


def test_the_channel_hears_how_many_groups_never_who():
    text = messages.announcement(GUIDES, 2, 6)["text"]

    assert text == ":seedling: This round of Guides &amp; co put mentors with mentees: 6 people in 2 groups."
