"""What each of Mentor's direct messages (and program-channel posts) is: the kind the
outbox stores with it, and so the one renderer that writes it when it is sent."""

from enum import Enum, IntEnum


class DeliveryKind(str, Enum):
    """One kind per message Mentor sends. The values are stored with every queued message
    (the deliveries' `purpose` column, where they were first written), so they never change."""

    WELCOME = "welcome"  # to someone who joined the workspace, once ever

    # Closing the loop on an ask (bot.followups: each Purpose has its kind).
    FOLLOWUP_PROMPT = "prompt"  # to the mentee: how did it go?
    FOLLOWUP_REMINDER = "reminder"  # to the mentee, when the prompt got no answer
    FOLLOWUP_REPORT = "report"  # to the mentor: the outcome, with the note if there is one
    FOLLOWUP_NOTE = "note"  # to the mentor: a note that came after the report
    FOLLOWUP_REPLY = "reply"  # to the mentee: the mentor's answer to the note (queued before 0012)
    FOLLOWUP_RELAY = "relay"  # to one of the pair: what the other wrote, in their follow-up's thread
    FOLLOWUP_UPDATE = "prompt_update"  # not a post: the mentee's prompt redrawn (chat.update)

    # Rounds: to a group of a round, to its members one by one, or to the program channel.
    ROUND_INTRODUCTION = "intro"  # to the group: who, why, a first question
    ROUND_CHECKIN = "checkin"  # to a coffee group, halfway to the next round: did you meet?
    ROUND_LEARNED = "learned"  # to each side of a reverse pair at month end: what did you learn?
    ROUND_NOTICE = "notice"  # to each member, the day before: it is coming, skip it if you like
    ROUND_UNMATCHED = "unmatched"  # to a member nobody could be paired with this time
    ROUND_QUIET = "quiet"  # to a member paused for leaving introductions unanswered
    ROUND_PARTNER_GONE = "partner_gone"  # to a member left alone: their partner can't be reached
    ROUND_ANNOUNCEMENT = "announce"  # to the program channel: the round's figures, no names
    ROUND_STARTER = "starter"  # to the group, when one of them asks: a conversation starter (its key says which)
    ROUND_THANKS = "thanks"  # to a member a partner thanked after they met (the key names the thank-you)
    ROUND_THANKS_POST = "thanks_post"  # to the program channel, when the sender chose to share it
    # To a member who joined a program's channel, or was enrolled with it: a reply to their
    # joining (REPLY urgency), not a round's scheduled DM.
    PROGRAM_WELCOME = "program_welcome"
    # To a member of a program by an admin's category who has not picked their group in it:
    # the day before a round, once per member and program (the round leaves them out). REPLY
    # urgency, as kinds added after 0016_delivery_urgency are: a few, ahead of the notices.
    PROGRAM_PICK = "program_pick"

    # Asks: queued with the use case (jobs/asks.py); the outbox's HOOKS do what follows each.
    ASK_REQUEST = "ask_request"  # to a candidate: can you help?
    ASK_UNANSWERED = "ask_unanswered"  # to the asker: nobody could help this time
    ASK_UNQUEUED = "ask_unqueued"  # to the asker: their queued ask went out, someone has room now
    ASK_INTRODUCTION = "ask_intro"  # to the asker and the mentor who took it, together
    ASK_UPDATE = "ask_update"  # not a post: a candidate's request redrawn (chat.update), as AskEdit says
    # An ask nobody could take, posted in the program channel at the asker's choice (issue 20).
    ASK_POST = "ask_post"  # to the program channel: anyone can say "I can help"
    ASK_POST_UPDATE = "ask_post_update"  # not a post: that message redrawn once taken, withdrawn or closed
    ASK_POST_FAILED = "ask_post_failed"  # to the asker: Mentor could not post in the channel

    # Slash commands (issue 22): the key names the subcommand.
    COMMAND_NOT_DONE = "command_not_done"  # to a member: Mentor gave up on a command of theirs
    # Clicks and DMs to Mentor (issue 22): the key names the action id or the event type.
    CLICK_NOT_DONE = "click_not_done"  # to a member: Mentor gave up on a button they clicked
    MESSAGE_NOT_DONE = "message_not_done"  # to a member: Mentor gave up on a DM they sent it


class AskEdit(str, Enum):
    """How a candidate's request DM is redrawn (an ASK_UPDATE's key): once per candidate and
    ask for each, so queued twice it is kept once, and sent again it is the same edit."""

    PASSED = "passed"  # they said "Not this time"
    TAKEN = "taken"  # someone else took it
    HELPING = "helping"  # they took it and meet the asker in a group DM
    UNINTRODUCED = "unintroduced"  # they took it, but Slack cannot reach the asker
    CLOSED = "closed"  # cancelled, or closed unanswered
    TOO_LATE = "too_late"  # taken or closed while their request was on its way


class Urgency(IntEnum):
    """Which queued message the sender takes first: the lowest urgency value, then the
    oldest. Slack's limits are per workspace (pacing.py), so when a round's hundreds of DMs
    share the budget with a question just asked, the question's first request goes ahead of
    them instead of a minute or more behind (measured in bench/ask_latency.py)."""

    ON_SCREEN = 0  # someone is waiting for it in Slack now: the first request of a new ask
    REPLY = 1  # follows what a member just did: other requests, edits, introductions, relays
    SCHEDULED = 2  # sent by a schedule or an event: rounds, follow-up prompts, welcomes


_SCHEDULED = frozenset(
    {
        DeliveryKind.WELCOME,
        DeliveryKind.FOLLOWUP_PROMPT,
        DeliveryKind.FOLLOWUP_REMINDER,
        DeliveryKind.ROUND_INTRODUCTION,
        DeliveryKind.ROUND_CHECKIN,
        DeliveryKind.ROUND_LEARNED,
        DeliveryKind.ROUND_NOTICE,
        DeliveryKind.ROUND_UNMATCHED,
        DeliveryKind.ROUND_QUIET,
        DeliveryKind.ROUND_PARTNER_GONE,
        DeliveryKind.ROUND_ANNOUNCEMENT,
    }
)


def urgency(kind: DeliveryKind) -> Urgency:
    """How soon a message of `kind` goes, when nobody is known to be waiting on it: REPLY
    for what follows a member's click or message (an ask's DMs, a follow-up's report, note
    and relays), SCHEDULED for the rest."""
    return Urgency.SCHEDULED if kind in _SCHEDULED else Urgency.REPLY
