"""A mentoring program's round on the rolled-back repositories (SQLite and PostgreSQL): each
mentor who picked the program's mentor side gets mentees who picked the other, by what the
mentor offers and the mentees want; the introduction as stored says who mentors; whoever has
not picked a side is left out and told why; the admins' figures count it as a program of its
own, its check-ins shown once five people answered."""

from datetime import date, timedelta

import pytest

from bot.members.model import SkillKind, normalize_skill
from bot.program.disclosure import MIN_PEOPLE
from bot.program.model import Period
from bot.rounds import services as round_services
from bot.rounds.model import Category, CheckinOutcome, Intro, Program, RoundKind, Unmatched
from tests.support.asks import NOW, TEAM

ROLE = Category("role", "Role", ("Mentor", "Mentee"))
MONDAY = date(2026, 12, 7)


def guides(repositories) -> Program:
    repositories.rounds.save_category(TEAM, ROLE)
    program = Program(
        "",
        "Guides & guided",
        RoundKind.MENTORING,
        every_weeks=4,
        group_size=3,
        intro=Intro.ACROSS,
        category="role",
        mentor_side="Mentor",
    )
    return repositories.rounds.create_program(TEAM, program, NOW)


def member(repositories, program: Program, user_id: str, side: str | None, offers: str = "", wants: str = "") -> None:
    round_services.join(repositories, TEAM, user_id, program.key)
    for kind, skill in ((SkillKind.OFFER, offers), (SkillKind.WANT, wants)):
        if skill:
            repositories.profiles.add_skills(TEAM, user_id, kind, [normalize_skill(skill)])
    if side is not None:
        assert repositories.rounds.pick(TEAM, "role", user_id, side)


def test_each_mentor_gets_the_mentees_who_want_what_they_offer(repositories):
    program = guides(repositories)
    member(repositories, program, "UMSQL", "Mentor", offers="SQL")
    member(repositories, program, "UMUX", "Mentor", offers="Design")
    for user_id, wants in (("UE1", "SQL"), ("UE2", "Design"), ("UE3", "SQL"), ("UE4", "Design")):
        member(repositories, program, user_id, "Mentee", wants=wants)
    member(repositories, program, "UNOSIDE", None, wants="SQL")

    run = round_services.run_round(repositories, TEAM, program, MONDAY, NOW + timedelta(days=6))

    assert sorted((group.mentor, group.members) for group in run.planned) == [
        ("UMSQL", ("UMSQL", "UE1", "UE3")),
        ("UMUX", ("UMUX", "UE2", "UE4")),
    ]
    assert dict(zip(run.unmatched, run.why_unmatched, strict=True)) == {"UNOSIDE": Unmatched.NO_CATEGORY}
    [held] = repositories.rounds.groups_of(TEAM, "UMUX", held_since=MONDAY)
    intro = repositories.rounds.introduction(TEAM, held.id)
    assert intro is not None and intro.program == program
    assert (intro.group.mentor, intro.group.members) == ("UMUX", ("UMUX", "UE2", "UE4"))


def test_the_program_reads_back_as_a_mentoring_one_with_its_mentor_side(repositories):
    program = guides(repositories)

    assert program.key == "guides-guided"
    assert repositories.rounds.program(TEAM, program.key) == program
    assert (program.kind, program.mentor_side, program.grouped_by) == (RoundKind.MENTORING, "Mentor", "role")


def test_a_mentor_alone_on_their_side_is_told_nobody_was_on_the_other(repositories):
    program = guides(repositories)
    member(repositories, program, "UMSQL", "Mentor", offers="SQL")
    member(repositories, program, "UMUX", "Mentor", offers="Design")

    run = round_services.run_round(repositories, TEAM, program, MONDAY, NOW + timedelta(days=6))

    assert run.planned == ()
    assert run.why_unmatched == (Unmatched.TOO_FEW, Unmatched.TOO_FEW)


@pytest.mark.parametrize("answered", [MIN_PEOPLE - 1, MIN_PEOPLE])
def test_the_admins_figures_count_the_mentoring_program_on_its_own_and_withhold_few_answers(repositories, answered):
    program = guides(repositories)
    mentors = [f"UM{n}" for n in range(MIN_PEOPLE)]
    for n, mentor in enumerate(mentors):
        member(repositories, program, mentor, "Mentor")
        member(repositories, program, f"UE{n}", "Mentee")
    round_services.join(repositories, TEAM, "UCOFFEE", "coffee")
    run = round_services.run_round(repositories, TEAM, program, MONDAY, NOW)
    for mentor in mentors[:answered]:  # one answer per group, each from its mentor
        [held] = repositories.rounds.groups_of(TEAM, mentor, held_since=MONDAY)
        round_services.answer_checkin(repositories, TEAM, held.id, mentor, CheckinOutcome.MET, NOW)

    figures = repositories.program.figures(TEAM, Period(NOW + timedelta(days=14), 30))

    assert [one.program.key for one in figures.programs] == ["coffee", "reverse", program.key]
    mine = figures.of(program.key)
    assert (mine.opted_in, mine.rounds, mine.participants, mine.groups) == (10, 1, 10, run.groups) == (10, 1, 10, 5)
    assert figures.of("coffee").opted_in == 1 and figures.of("coffee").groups == 0
    assert mine.answers.shown() == ({"met": MIN_PEOPLE} if answered >= MIN_PEOPLE else None)
