"""A mentoring program end to end: members join it with `/mentor join <key>` and have picked
their side of its category; the round introduces each mentor to the mentees whose wants
meet what they offer, in a group DM saying who mentors whom, and tells a member without a
side why they were left out; an admin's `/mentor stats` has a section for it, naming nobody."""

import json

import pytest

from bot.rounds.model import Category, Intro, Program, RoundKind
from jobs.rounds import run_due_rounds
from tests.e2e.test_rounds import dms_to, group_dms, group_posts
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import say
from tests.support.rounds import run_rounds_now

ROLE = Category("role", "Role", ("Mentor", "Mentee"))
PEOPLE = {  # user: (side, offers, wants)
    "UMSQL": ("Mentor", "SQL", ""),
    "UMUX": ("Mentor", "Design", ""),
    "UE1": ("Mentee", "", "SQL"),
    "UE2": ("Mentee", "", "Design"),
    "UE3": ("Mentee", "", "SQL"),
    "UE4": ("Mentee", "", "Design"),
    "UNOSIDE": (None, "", "SQL"),
}


@pytest.fixture
def guides(mentor) -> Program:
    """A mentoring program in threes (one mentor, two mentees) that PEOPLE joined, each
    having picked their side but one."""
    with mentor.store.transaction() as repositories:
        repositories.rounds.save_category(DEFAULT_TEAM, ROLE)
        program = repositories.rounds.create_program(
            DEFAULT_TEAM,
            Program(
                "",
                "Guides <& guided>",
                RoundKind.MENTORING,
                group_size=3,
                intro=Intro.ACROSS,
                category="role",
                mentor_side="Mentor",
            ),
            mentor.clock(),
        )
    for user_id, (side, offers, wants) in PEOPLE.items():
        if offers:
            say(mentor, f"offer {offers}", user_id)
        if wants:
            say(mentor, f"learn {wants}", user_id)
        assert "Joined" in say(mentor, f"join {program.key}", user_id)["text"]
        if side is not None:
            with mentor.store.transaction() as repositories:  # the pick buttons' doing
                assert repositories.rounds.pick(DEFAULT_TEAM, "role", user_id, side)
    return program


def test_a_mentoring_round_says_who_mentors_whom_and_tells_whoever_has_no_side(mentor, guides):
    [run] = run_rounds_now(mentor.deps, guides.key)

    sent = group_posts(mentor, ":seedling:")
    by_group = {group_dms(mentor)[call.args["channel"]]: call.args for call in sent}
    assert (run.groups, set(by_group)) == (2, {frozenset({"UMSQL", "UE1", "UE3"}), frozenset({"UMUX", "UE2", "UE4"})})
    intro = by_group[frozenset({"UMSQL", "UE1", "UE3"})]
    assert intro["text"] == ":seedling: Guides &lt;&amp; guided&gt;: <@UMSQL> mentors <@UE1> and <@UE3> this round."
    shown = str(intro["blocks"])
    assert "<@UMSQL> can help <@UE1> with *SQL*" in shown and "&amp;amp;" not in shown
    [told] = [call.args["text"] for call in dms_to(mentor, "UNOSIDE") if "picked" in call.args["text"]]
    assert "introduces people by role, and you haven't picked yours yet" in told


def test_an_admins_stats_have_a_section_for_the_mentoring_program_and_name_nobody(mentor, guides):
    mentor.fake_slack.users["UADMIN"] = {**default_user("UADMIN", DEFAULT_TEAM), "is_admin": True}
    run_rounds_now(mentor.deps, guides.key)

    reply = say(mentor, "stats", "UADMIN")

    shown = json.dumps(reply["blocks"], ensure_ascii=False)
    assert (
        "*Guides &lt;&amp; guided&gt;* · mentoring\\nOpted in: 7 · rounds: 1 · people introduced: 6 · groups: 2"
        in shown
    )
    assert "Check-ins: no answers yet" in shown
    assert not any(user_id in shown for user_id in PEOPLE)


def test_mentoring_groups_are_asked_halfway_whether_they_met_as_coffee_chats_are(mentor, guides):
    run_rounds_now(mentor.deps, guides.key)
    intros = {call.args["channel"] for call in group_posts(mentor, ":seedling:")}

    mentor.clock.advance(days=7, minutes=31)  # halfway to the next round, two weeks on
    run_due_rounds(mentor.deps)

    asked = {call.args["channel"] for call in group_posts(mentor, "Halfway to the next round")}
    assert asked == intros and len(asked) == 2
