"""Who Mentor is for: members of the workspace (or org) a request belongs to, and its guests
when the program's admins include them. Slack says who someone is (users.info, which needs
only `users:read`) until their standing is on their row; from then on user_change keeps it
current, so a member is not looked up at every request. What Slack said of someone without
a standing on a row is remembered in the process for ten minutes (Deps.standings): someone from
another organisation never has a row, and nothing is stored for them."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import SlackUnavailable
from bot.members import services as member_services
from bot.members.model import NotAMember, SlackPerson, slack_person, standing_of
from deps import Deps

logger = logging.getLogger(__name__)


def workspace_name(client: WebClient) -> str:
    """The workspace's name, to tell someone Mentor is not for, from auth.test: it needs no
    scope, so Mentor asks for no `team:read`; "this workspace" when Slack does not say."""
    try:
        name = client.auth_test().get("team")
    except (SlackApiError, OSError) as error:
        logger.warning("auth.test failed while naming the workspace: %s", type(error).__name__)
        name = None
    return name if isinstance(name, str) and name else "this workspace"


def check(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    """Nothing if Mentor is for `user_id` in `team_id`; else raises bot.members.model.NotAMember,
    or SlackUnavailable when Slack cannot say (then nothing is done for them blindly).

    A row's standing lets a member in without asking Slack; one that would refuse them is
    asked again (at most once per RecentStandings' ten minutes), since a guest made a full
    member while the user_change event was missed would otherwise be refused for good."""
    try:
        try:
            with deps.store.reading() as work:
                if member_services.admit(work, team_id, user_id) is not None:
                    return
        except NotAMember:
            pass  # refused as last recorded: Slack's word is asked for below
        now = deps.clock()
        fresh = deps.standings.get(team_id, user_id, now)
        if fresh is None:
            fresh = standing_of(look_up(client, user_id), team_id)
            deps.standings.put(team_id, user_id, fresh, now)
        with deps.store.transaction() as work:  # kept even when it refuses them, below
            member_services.note_standing(work, team_id, user_id, fresh, now)
        with deps.store.reading() as work:
            member_services.admit(work, team_id, user_id, fresh)
    except NotAMember as refused:
        refused.workspace = workspace_name(client)
        raise


def look_up(client: WebClient, user_id: str) -> SlackPerson:
    """What users.info says of someone; SlackUnavailable when it does not answer."""
    try:
        return slack_person(client.users_info(user=user_id)["user"])
    except SlackApiError as error:
        logger.warning("users.info failed while checking who someone is: %s", error.response.get("error"))
    except OSError as error:  # Slack out of reach: no answer at all
        logger.warning("users.info failed while checking who someone is: %s", type(error).__name__)
    raise SlackUnavailable()
