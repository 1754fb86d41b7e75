"""Program use cases of issue 21 on the rolled-back repositories (SQLite, and PostgreSQL with
TEST_DATABASE_URL): creating a program with its category, nothing kept when its channel is
taken; a program's channel making its members, each welcomed once; picks; pausing and archiving."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.errors import InvalidInput
from bot.rounds import programs
from bot.rounds.model import Category, ChannelTaken, Intro, Program, ProgramStatus
from bot.rounds.program_form import NewProgram
from storage import models
from tests.support.asks import NOW, TEAM

OFFICE = Category("office", "Office", ("NYC", "London", "Remote"))
ENG_NYC = Program("", "Eng NYC", every_weeks=1, group_size=3, intro=Intro.ACROSS, category="office", channel="CENG")


def welcomes(repositories) -> list[tuple[str, str | None, str]]:
    rows = repositories.session.execute(
        select(models.Delivery.recipient, models.Delivery.round_kind, models.Delivery.key)
        .where(models.Delivery.kind == "program_welcome")
        .order_by(models.Delivery.id)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def eng_nyc(repositories) -> Program:
    return programs.create(repositories, TEAM, NewProgram(ENG_NYC, OFFICE), NOW)


def test_a_program_is_created_with_its_new_category(repositories, eng_nyc):
    assert eng_nyc.key == "eng-nyc"
    assert repositories.rounds.categories(TEAM) == [OFFICE]
    assert [listed.program.key for listed in programs.listed(repositories, TEAM)] == ["coffee", "reverse", "eng-nyc"]


def test_a_taken_channel_is_refused_before_the_category_it_came_with_is_kept(repositories, eng_nyc):
    floor = Category("floor", "Floor", ("1", "2"))
    with pytest.raises(ChannelTaken), repositories.session.begin_nested():  # as the caller's transaction
        programs.create(repositories, TEAM, NewProgram(Program("", "Other", channel="CENG"), floor), NOW)

    assert repositories.rounds.categories(TEAM) == [OFFICE]


def test_joining_the_channel_joins_the_program_and_queues_one_welcome_a_day(repositories, eng_nyc):
    assert programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW) == eng_nyc
    assert programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW) is None  # in already
    assert programs.left_channel(repositories, TEAM, "UANA", "CENG") == eng_nyc
    assert programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW + timedelta(minutes=5)) == eng_nyc
    programs.left_channel(repositories, TEAM, "UANA", "CENG")
    programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW + timedelta(days=1))

    assert repositories.rounds.program_members(TEAM, "eng-nyc") == ["UANA"]
    day = NOW.date()
    assert welcomes(repositories) == [
        ("UANA", "eng-nyc", day.isoformat()),
        ("UANA", "eng-nyc", (day + timedelta(days=1)).isoformat()),
    ]


def test_a_channel_of_no_program_or_an_archived_one_joins_nobody(repositories, eng_nyc):
    assert programs.joined_channel(repositories, TEAM, "UANA", "CRANDOM", NOW) is None
    assert programs.left_channel(repositories, TEAM, "UANA", "CRANDOM") is None
    programs.set_status(repositories, TEAM, "eng-nyc", ProgramStatus.ARCHIVED)

    assert programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW) is None
    assert repositories.rounds.program_members(TEAM, "eng-nyc") == [] and welcomes(repositories) == []


def test_enrolling_a_channel_enrolls_and_welcomes_those_not_in_yet(repositories, eng_nyc):
    programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW)

    program, count = programs.enroll(repositories, TEAM, "eng-nyc", ["UANA", "UBEN", "UCAT"], NOW)

    assert (program, count) == (eng_nyc, 2)
    assert repositories.rounds.program_members(TEAM, "eng-nyc") == ["UANA", "UBEN", "UCAT"]
    assert [recipient for recipient, *_ in welcomes(repositories)] == ["UANA", "UBEN", "UCAT"]
    with pytest.raises(InvalidInput):
        programs.enroll(repositories, TEAM, "coffee", ["UDAN"], NOW)  # no channel to enroll from


def test_the_welcome_says_the_next_round_and_asks_for_the_office_until_picked(repositories, eng_nyc):
    programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW)

    welcome = programs.welcome(repositories, TEAM, "UANA", "eng-nyc", NOW)
    assert welcome is not None and welcome.next_on >= NOW.date() and welcome.next_on.weekday() == 0
    assert welcome.pick is not None and (welcome.pick.category, welcome.pick.option) == (OFFICE, None)

    picked = programs.pick(repositories, TEAM, "UANA", "eng-nyc", "London")

    assert picked.option == "London"
    assert programs.welcome(repositories, TEAM, "UANA", "eng-nyc", NOW).pick.option == "London"
    assert repositories.rounds.picks(TEAM, "office", ["UANA"]) == {"UANA": "London"}
    programs.left_channel(repositories, TEAM, "UANA", "CENG")
    assert programs.welcome(repositories, TEAM, "UANA", "eng-nyc", NOW) is None  # left before it went


@pytest.mark.parametrize(
    ("user_id", "option"),
    [("UANA", "Paris"), ("UBEN", "London")],  # an option it does not have; someone not in the program
)
def test_a_pick_outside_the_programs_options_or_members_is_refused(repositories, eng_nyc, user_id, option):
    programs.joined_channel(repositories, TEAM, "UANA", "CENG", NOW)

    with pytest.raises(InvalidInput):
        programs.pick(repositories, TEAM, user_id, "eng-nyc", option)
    assert repositories.rounds.picks(TEAM, "office", [user_id]) == {}


def test_the_two_defaults_pause_but_never_archive_and_an_archived_program_stays_archived(repositories, eng_nyc):
    assert programs.set_status(repositories, TEAM, "coffee", ProgramStatus.PAUSED).status is ProgramStatus.PAUSED
    with pytest.raises(InvalidInput, match="can't be archived"):
        programs.set_status(repositories, TEAM, "reverse", ProgramStatus.ARCHIVED)
    programs.set_status(repositories, TEAM, "eng-nyc", ProgramStatus.ARCHIVED)
    with pytest.raises(InvalidInput):
        programs.set_status(repositories, TEAM, "eng-nyc", ProgramStatus.ACTIVE)
    with pytest.raises(InvalidInput):
        programs.set_status(repositories, TEAM, "nope", ProgramStatus.PAUSED)

    assert [listed.program.key for listed in programs.listed(repositories, TEAM)] == ["coffee", "reverse"]
    assert repositories.rounds.program_of_channel(TEAM, "CENG") is None


def test_members_without_a_pick_are_asked_for_it_once_whatever_the_rounds(repositories, eng_nyc):
    programs.enroll(repositories, TEAM, "eng-nyc", ["UANA", "UBEN", "UCAT"], NOW)
    programs.pick(repositories, TEAM, "UCAT", "eng-nyc", "London")
    first, second = NOW.date() + timedelta(days=1), NOW.date() + timedelta(days=8)

    assert programs.ask_for_picks(repositories, TEAM, eng_nyc, first, NOW) == 2
    assert programs.ask_for_picks(repositories, TEAM, eng_nyc, second, NOW + timedelta(days=7)) == 0
    assert programs.pick_wanted(repositories, TEAM, "UANA", "eng-nyc") is not None
    programs.pick(repositories, TEAM, "UANA", "eng-nyc", "NYC")
    assert programs.pick_wanted(repositories, TEAM, "UANA", "eng-nyc") is None  # picked meanwhile: not sent
    asked = repositories.session.scalars(
        select(models.Delivery.recipient).where(models.Delivery.kind == "program_pick").order_by(models.Delivery.id)
    )
    assert list(asked) == ["UANA", "UBEN"]


def test_a_program_of_intros_of_anyone_asks_nobody_to_pick(repositories):
    anyone = programs.create(repositories, TEAM, NewProgram(Program("", "Coffee NYC", channel="CNYC")), NOW)
    programs.enroll(repositories, TEAM, anyone.key, ["UANA"], NOW)

    assert programs.ask_for_picks(repositories, TEAM, anyone, NOW.date() + timedelta(days=1), NOW) == 0
