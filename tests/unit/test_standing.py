"""Who someone is to the workspace (or org) whose data a request belongs to, from what Slack
says of them: one pure rule, read from user objects shaped as Slack sends them."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.members.model import RecentStandings, SlackPerson, Standing, slack_person, standing_of, takes_part
from tests.support.fake_slack import default_user, guest, stranger
from tests.support.slack_fixtures import FIXTURES

WORKSPACE, ORG, OTHER = "T0MENTOR", "E0MENTOR", "T0OTHERCO"


@pytest.mark.parametrize(
    ("person", "owner", "expected"),
    [
        (SlackPerson(team_id=WORKSPACE), WORKSPACE, Standing.MEMBER),
        (SlackPerson(team_id=WORKSPACE, guest=True), WORKSPACE, Standing.GUEST),
        (SlackPerson(team_id=OTHER), WORKSPACE, Standing.OUTSIDER),
        (SlackPerson(team_id=OTHER, guest=True), WORKSPACE, Standing.OUTSIDER),
        # Slack says they are not ours, whatever their team: no standing here.
        (SlackPerson(team_id=WORKSPACE, stranger=True), WORKSPACE, Standing.OUTSIDER),
        (SlackPerson(team_id=None), WORKSPACE, Standing.OUTSIDER),
        # Enterprise Grid: an org-wide install owns the org's data...
        (SlackPerson(team_id="T0SALES", enterprise_id=ORG), ORG, Standing.MEMBER),
        # ... and a workspace of the org counts its members, whichever workspace Slack names first.
        (
            SlackPerson(team_id=ORG, enterprise_id=ORG, enterprise_teams=frozenset({"T0SALES", WORKSPACE})),
            WORKSPACE,
            Standing.MEMBER,
        ),
        (
            SlackPerson(team_id="T0SALES", enterprise_id=ORG, enterprise_teams=frozenset({"T0SALES"})),
            WORKSPACE,
            Standing.OUTSIDER,
        ),
        (
            SlackPerson(team_id="T0SALES", enterprise_id="E0OTHER", enterprise_teams=frozenset({"T0SALES"})),
            ORG,
            Standing.OUTSIDER,
        ),
    ],
)
def test_a_person_is_a_member_a_guest_or_an_outsider_of_the_owner(person, owner, expected):
    assert standing_of(person, owner) is expected


def test_members_take_part_guests_when_included_outsiders_never():
    assert [takes_part(standing, included) for standing in Standing for included in (False, True)] == [
        True,
        True,  # member
        False,
        True,  # guest
        False,
        False,  # outsider
    ]


def test_user_objects_as_slack_sends_them_are_read_for_their_standing():
    def event_user(name: str) -> dict:
        text = (FIXTURES / "events" / f"{name}.json").read_text()
        text = text.replace('"${RESTRICTED}"', "true").replace('"${ULTRA_RESTRICTED}"', "false")
        return json.loads(text.replace("${TEAM}", WORKSPACE).replace("${USER}", "UBEN"))["event"]["user"]

    assert standing_of(slack_person(event_user("user_change_guest")), WORKSPACE) is Standing.GUEST
    assert standing_of(slack_person(event_user("team_join_guest")), WORKSPACE) is Standing.GUEST
    assert standing_of(slack_person(stranger("UEXT", OTHER)), WORKSPACE) is Standing.OUTSIDER
    assert standing_of(slack_person(guest("UGIA", WORKSPACE, single_channel=True)), WORKSPACE) is Standing.GUEST
    assert standing_of(slack_person(default_user("UANA", WORKSPACE)), WORKSPACE) is Standing.MEMBER
    grid = {**default_user("UW1", ORG), "enterprise_user": {"id": "UW1", "enterprise_id": ORG, "teams": [WORKSPACE]}}
    assert standing_of(slack_person(grid), WORKSPACE) is Standing.MEMBER


@pytest.mark.parametrize(
    "user",
    [
        {},
        {"team_id": 7, "is_stranger": "false", "is_restricted": "yes"},
        {"team_id": WORKSPACE, "enterprise_user": [ORG]},
        {"team_id": OTHER, "enterprise_user": {"enterprise_id": None, "teams": [None, 3, WORKSPACE]}},
    ],
)
def test_a_malformed_user_object_never_reads_as_more_than_slack_said(user):
    person = slack_person(user)
    assert standing_of(person, WORKSPACE) in (Standing.OUTSIDER, Standing.MEMBER)
    assert person.guest is False and person.stranger is False


def test_what_slack_said_lately_is_remembered_for_ten_minutes_only():
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    recent = RecentStandings()
    recent.put(WORKSPACE, "UEXT", Standing.OUTSIDER, now)

    assert recent.get(WORKSPACE, "UEXT", now + timedelta(minutes=9)) is Standing.OUTSIDER
    assert recent.get(WORKSPACE, "UEXT", now + timedelta(minutes=10)) is None
    assert recent.get(OTHER, "UEXT", now) is None
    recent.forget(WORKSPACE, "UEXT")
    assert recent.get(WORKSPACE, "UEXT", now) is None
