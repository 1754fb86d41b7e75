"""What Slack says of a program's channel: whether Mentor is in it, who its members are, and
which of them Mentor is for (members of the installed workspace or org; no bots, nobody from
another organisation, guests only when the admins include them: handlers.membership)."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import SlackUnavailable
from bot.members import services as member_services
from bot.members.model import NotAMember, standing_of
from deps import Deps
from handlers import membership

logger = logging.getLogger(__name__)

PAGE = 200  # conversations.members' page size: Slack advises no more than 200 per call


def mentor_in(client: WebClient, channel: str) -> bool:
    """Whether Mentor is a member of `channel` (conversations.info's `is_member`): a private
    channel it was not invited to is one Slack does not show it (channel_not_found)."""
    try:
        return client.conversations_info(channel=channel)["channel"].get("is_member") is True
    except SlackApiError as error:
        logger.info("conversations.info of a program channel: %s", error.response.get("error"))
        return False


def members_of(client: WebClient, channel: str) -> list[str]:
    """Every member of `channel`, through conversations.members' pages (cursor pagination).
    Raises SlackApiError as Slack answers: channel_not_found, not_in_channel…"""
    members: list[str] = []
    cursor = None
    while True:
        page = client.conversations_members(channel=channel, limit=PAGE, **({"cursor": cursor} if cursor else {}))
        members += [user_id for user_id in page.get("members") or [] if isinstance(user_id, str)]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members


def _known_member(deps: Deps, team_id: str, user_id: str) -> bool:
    """Whether what Mentor knows of `user_id` lets them in, as handlers.membership.check reads
    it: what Slack said lately (Deps.standings), else their row's standing. Either was learned
    from a request of theirs or from a users.info that found no bot, and another app's bot
    never makes requests: nothing to ask Slack."""
    try:
        with deps.store.reading() as work:
            return (
                member_services.admit(work, team_id, user_id, deps.standings.get(team_id, user_id, deps.clock()))
                is not None
            )
    except NotAMember:
        return False  # refused as last known: Slack is asked again, as membership.check does


def takes_part(client: WebClient, deps: Deps, team_id: str, user_id: str, bot_user_id: str | None) -> bool:
    """Whether `user_id`, in a program's channel, may be in the program: not Mentor, not
    another app's bot, and someone Mentor is for. A member whose row admits them is not looked
    up (a 250-person channel of members costs no users.info call); for anyone else, what
    users.info says is remembered for the membership check (Deps.standings), which then asks
    Slack nothing more."""
    if user_id == bot_user_id:
        return False
    if _known_member(deps, team_id, user_id):
        return True
    try:
        person = membership.look_up(client, user_id)
        if person.bot:
            return False
        deps.standings.put(team_id, user_id, standing_of(person, team_id), deps.clock())
        membership.check(client, deps, team_id, user_id)
    except (NotAMember, SlackUnavailable):
        return False
    return True
