"""Direct messages to the bot: in the thread of a follow-up, the mentee's note for their
mentor, then what either of the pair writes to the other; anything else is answered with
what Mentor can do."""

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import replies
from bot.errors import TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUpRefused, FollowUpStatus
from bot.text import plain_text_of
from deps import Deps
from handlers.listeners import REFUSALS, admit, complete, performing, refusal
from jobs import outbox

logger = logging.getLogger(__name__)

# A first delivery still being handled after this long died with its process: a retry takes over.
EVENT_STALE_AFTER = timedelta(minutes=2)


# Message subtypes that carry the member's own new text, read like a plain message: a thread
# reply also sent to the conversation ("Also send as direct message"), a message with a file
# attached (its text is the note; the file is not passed on), and `/me`. Edits and deletions
# (message_changed, message_deleted) are not: the mentor got the note as it was first sent.
MEMBER_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})


def direct_message(event: dict, body: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """A member's message in their DM with Mentor (MEMBER_SUBTYPES). Edits and deletions are left
    alone (a note the mentor has stays as first sent), as are bots' messages (Mentor's own
    included) and every other subtype; an event Slack sends again is handled once."""
    if event.get("channel_type") != "im" or event.get("subtype") not in MEMBER_SUBTYPES or event.get("bot_id"):
        return
    if not (event.get("user") and event.get("channel") and event.get("ts")):
        return  # nobody to answer, or nowhere: Slack sends all three with every message
    try:
        team_id, _ = admit(deps, client, context)
    except REFUSALS as error:  # someone Mentor is not for: told so, and nothing is stored
        answer(client, event, refusal(error))
        return
    once(deps, team_id, body.get("event_id"), lambda: answer_direct_message(deps, team_id, event, client))


def answer_direct_message(deps: Deps, team_id: str, event: dict, client: WebClient) -> None:
    channel, ts, thread_ts = event["channel"], event["ts"], event.get("thread_ts")
    if not thread_ts or thread_ts == ts:
        answer(client, event, followup_messages.what_i_can_do())
        return
    text = plain_text_of(event.get("text") or "")
    reply, changed = in_thread(deps, team_id, channel, thread_ts, ts, event["user"], text)
    answer(client, event, reply)
    if changed:
        outbox.kick(deps)  # the note shows on the prompt, or the message goes to the other


def answer(client: WebClient, event: dict, reply: dict) -> None:
    """Answer a direct message in its thread (a new one under it, for a message not in one)."""
    try:
        client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"], **reply)
    except SlackApiError as error:
        logger.warning("Could not answer a direct message: %s", error.response.get("error"))


def in_thread(
    deps: Deps, team_id: str, channel: str, thread_ts: str, ts: str, user_id: str, text: str
) -> tuple[dict, bool]:
    """A message in a thread: the mentee's note, or a message for the other of the pair.
    What to answer in the thread, and whether anything was queued."""
    try:
        with deps.store.transaction() as work:
            taken = followup_services.in_thread(work, team_id, channel, thread_ts, ts, user_id, text, deps.clock())
            complete(work)
    except FollowUpRefused as refused:
        return followup_messages.refused(refused.reason), False
    except TemporarilyUnavailable as error:
        return replies.unavailable(error.message + " It wasn't saved: send it again in a minute."), False
    if taken is None:
        return followup_messages.what_i_can_do(in_a_thread=True), False
    followup, relayed = taken
    if relayed:
        other = followup.mentee_id if user_id == followup.mentor_id else followup.mentor_id
        return followup_messages.passed_on(other), True
    if followup.status is FollowUpStatus.ANSWERED:
        return followup_messages.note_passed_on(followup), True
    return followup_messages.note_kept_for_later(followup), True


def once(deps: Deps, team_id: str, event_id: str | None, work: Callable[[], None]) -> None:
    """Do `work` for an event unless it is being, or was, done for an earlier delivery of it
    (Slack retries, with the same event id, an event it thinks went unanswered). If `work`
    fails, a retry does it afresh; if the worker doing it dies, the job's next try does."""
    if not event_id:
        work()
        return
    doing = performing.get()
    job_id = doing.job.id if doing is not None else None
    with deps.store.transaction() as repositories:
        if not repositories.events.start(team_id, event_id, deps.clock(), EVENT_STALE_AFTER, job_id):
            logger.info("Event %s was already handled", event_id)
            return
    try:
        work()
    except BaseException:
        with deps.store.transaction() as repositories:
            repositories.events.abandon(team_id, event_id)
        raise
    with deps.store.transaction() as repositories:
        repositories.events.finish(team_id, event_id)
