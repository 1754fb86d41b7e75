"""Members Slack can no longer reach, found out without a `user_change` event (one missed
while Mentor was down, say): from a DM Slack refused because the person cannot be messaged
(jobs/slack_errors.py, UNREACHABLE), whatever the DM, or from users.info, asked before a
round about its candidates. Either way one use case, bot.members.services.set_deactivated,
marks them gone, and tells whoever their going left alone in a fresh round."""

import logging
from datetime import date, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.members import services as member_services
from bot.members.model import slack_person, standing_of
from deps import Deps
from jobs.slack_errors import UNREACHABLE
from storage.db import Repositories

logger = logging.getLogger(__name__)

# A member's status read from users.info this recently is trusted; older, it is read again
# before their next round.
STATUS_FRESH_FOR = timedelta(days=7)

# At most this many users.info calls before one round (three minutes at Tier 4's 100 a
# minute), least recently checked first: a large round is not held up. Whoever is left
# unchecked and turns out to be gone is found when their introduction fails.
CHECKS_PER_ROUND = 300


def unreachable_among(deps: Deps, client: WebClient, team_id: str, recipients: str) -> tuple[str, ...]:
    """Who, among a DM's recipients (user ids joined by commas), Slack cannot message, once it
    refused the DM with an UNREACHABLE code. A DM to one person: them. A group DM: Slack's
    answer is for the whole call and does not say who, so each one's own DM is opened in turn
    (conversations.open, paced): the very question that failed, which covers every such code
    (deactivated, a bot, not visible to Mentor) where users.info would tell only of the first."""
    users = recipients.split(",")
    if len(users) == 1:
        return (users[0],)
    gone = []
    for user_id in users:
        deps.pacer.wait(team_id, "conversations.open")
        try:
            client.conversations_open(users=user_id)
        except SlackApiError as error:
            if error.response.get("error") in UNREACHABLE:
                gone.append(user_id)
    return tuple(gone)


def mark_gone(deps: Deps, repositories: Repositories, team_id: str, user_ids: tuple[str, ...]) -> tuple[str, ...]:
    """In the caller's transaction: each of them gone, everywhere. Returns the members told
    (their DMs are queued in the outbox)."""
    told: tuple[str, ...] = ()
    for user_id in user_ids:
        told += member_services.set_deactivated(repositories, team_id, user_id, True, deps.clock())
    return told


def check_candidates(deps: Deps, team_id: str, program: str, held_on: date) -> tuple[str, ...]:
    """Before a round of the program keyed `program` is matched: ask Slack (users.info,
    paced) about its candidates whose status was not read within STATUS_FRESH_FOR, at most
    CHECKS_PER_ROUND of them; the deactivated, and those Slack does not know, are marked gone, so nobody is paired with
    them. Returns those found gone."""
    client = deps.client_for(team_id)
    if client is None:
        return ()
    now = deps.clock()
    with deps.store.transaction() as repositories:
        unchecked = repositories.rounds.unchecked(team_id, program, held_on, now - STATUS_FRESH_FOR, CHECKS_PER_ROUND)
    gone = []
    for user_id in unchecked:
        deps.pacer.wait(team_id, "users.info")
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            code = error.response.get("error")
            if code not in UNREACHABLE:
                logger.warning("users.info failed before a round: %s; the rest go unchecked", code)
                break
            user = {"deleted": True}  # user_not_found: Slack no longer has them
        deleted = bool(user.get("deleted"))
        with deps.store.transaction() as repositories:
            repositories.profiles.record_slack_profile(
                team_id, user_id, user.get("tz_offset"), user.get("tz"), deleted, now
            )
            if deleted:
                mark_gone(deps, repositories, team_id, (user_id,))
                gone.append(user_id)
            else:  # a member made a guest while the event was missed leaves the rounds here
                member_services.note_standing(
                    repositories, team_id, user_id, standing_of(slack_person(user), team_id), now
                )
    return tuple(gone)
