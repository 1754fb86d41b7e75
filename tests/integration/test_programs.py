"""A workspace's programs and categories as stored, on the rolled-back repositories (SQLite,
and PostgreSQL with TEST_DATABASE_URL): the two every workspace has, new ones under keys of
their own, one program per channel, and the options members pick."""

import pytest

from bot.program.model import ProgramSettings
from bot.rounds.model import (
    TEAM_CATEGORY,
    Category,
    ChannelTaken,
    Intro,
    Program,
    ProgramStatus,
    RoundKind,
)
from tests.support.asks import NOW, TEAM

OFFICE = Category("office", "Office", ("NYC", "London", "Remote"))


def test_every_workspace_has_coffee_chats_and_reverse_mentoring(repositories):
    assert [(p.key, p.name, p.kind) for p in repositories.rounds.programs(TEAM)] == [
        ("coffee", "Coffee chats", RoundKind.COFFEE),
        ("reverse", "Reverse mentoring", RoundKind.REVERSE),
    ]


def test_a_new_program_gets_a_key_of_its_own_from_its_name(repositories):
    weekly = Program("", "Eng NYC coffee", every_weeks=1, group_size=3, channel="CENGNYC")
    first = repositories.rounds.create_program(TEAM, weekly, NOW)
    second = repositories.rounds.create_program(TEAM, Program("", "Eng NYC Coffee!"), NOW)
    coffee = repositories.rounds.create_program(TEAM, Program("", "Coffee"), NOW)

    assert (first.key, second.key, coffee.key) == ("eng-nyc-coffee", "eng-nyc-coffee-2", "coffee-2")
    assert repositories.rounds.program(TEAM, "eng-nyc-coffee") == first
    assert repositories.rounds.program_of_channel(TEAM, "CENGNYC") == first
    assert [p.key for p in repositories.rounds.programs(TEAM)] == [
        "coffee",
        "reverse",
        "coffee-2",
        "eng-nyc-coffee",
        "eng-nyc-coffee-2",
    ]


def test_a_channel_holds_one_program_until_that_one_is_archived(repositories):
    repositories.rounds.create_program(TEAM, Program("", "Parents", channel="CPARENTS"), NOW)

    with pytest.raises(ChannelTaken):
        repositories.rounds.create_program(TEAM, Program("", "Parents again", channel="CPARENTS"), NOW)
    assert repositories.rounds.set_program_status(TEAM, "parents", ProgramStatus.ARCHIVED)
    again = repositories.rounds.create_program(TEAM, Program("", "Parents again", channel="CPARENTS"), NOW)

    assert repositories.rounds.program_of_channel(TEAM, "CPARENTS") == again
    assert repositories.rounds.program(TEAM, "parents").status is ProgramStatus.ARCHIVED
    assert not repositories.rounds.set_program_status(TEAM, "nothing", ProgramStatus.PAUSED)


def test_members_pick_an_option_the_category_has(repositories):
    repositories.rounds.save_category(TEAM, OFFICE)

    assert repositories.rounds.pick(TEAM, "office", "UANA", "London")
    assert repositories.rounds.pick(TEAM, "office", "UBEN", "NYC")
    assert repositories.rounds.pick(TEAM, "office", "UBEN", "Remote")  # changed their mind
    assert not repositories.rounds.pick(TEAM, "office", "UCAT", "Paris")  # a stale button
    assert not repositories.rounds.pick(TEAM, "role", "UCAT", "mentor")  # no such category

    assert repositories.rounds.categories(TEAM) == [OFFICE]
    assert repositories.rounds.picks(TEAM, "office", ["UANA", "UBEN", "UCAT"]) == {"UANA": "London", "UBEN": "Remote"}


def test_an_option_taken_away_takes_its_picks_with_it(repositories):
    repositories.rounds.save_category(TEAM, OFFICE)
    repositories.rounds.pick(TEAM, "office", "UANA", "London")
    repositories.rounds.pick(TEAM, "office", "UBEN", "NYC")

    repositories.rounds.save_category(TEAM, Category("office", "Office", ("NYC", "Remote")))

    assert repositories.rounds.picks(TEAM, "office", ["UANA", "UBEN"]) == {"UBEN": "NYC"}  # UANA is asked again


def test_the_team_category_is_read_from_profiles(repositories):
    from storage.members import update_member

    update_member(repositories.session, TEAM, "UANA", team="Payments")
    update_member(repositories.session, TEAM, "UBEN", team="")

    assert repositories.rounds.picks(TEAM, TEAM_CATEGORY, ["UANA", "UBEN"]) == {"UANA": "Payments"}


def test_a_program_across_a_category_keeps_its_intro(repositories):
    made = repositories.rounds.create_program(
        TEAM, Program("", "Cross-office", intro=Intro.ACROSS, category="office", group_size=4), NOW
    )
    assert repositories.rounds.program(TEAM, made.key) == made


def test_a_workspace_reads_the_same_programs_before_and_after_they_are_stored(repositories):
    from storage.programs import ensure_programs

    before = repositories.rounds.programs("TFRESH")
    ensure_programs(repositories.session, "TFRESH")

    assert repositories.rounds.programs("TFRESH") == before
    assert repositories.program.settings("TFRESH") == ProgramSettings()  # the settings as they were


def test_a_workspace_that_stored_no_programs_has_reverse_mentoring_monthly(repositories):
    from bot.rounds.model import MONTHLY

    assert repositories.rounds.schedule("TFRESH", "reverse").every_weeks == MONTHLY
    assert repositories.rounds.schedule("TFRESH", "coffee").every_weeks == 2
