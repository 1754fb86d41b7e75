"""What each of Mentor's direct messages (and program-channel posts) is: the kind the
outbox stores with it, and so the one renderer that writes it when it is sent."""

from enum import Enum


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

    # Asks: queued with the use case (jobs/asks.py); the outbox's HOOKS do what follows each.
    ASK_REQUEST = "ask_request"  # to a candidate: can you help?
    ASK_UNANSWERED = "ask_unanswered"  # to the asker: nobody could help this time
    ASK_UNQUEUED = "ask_unqueued"  # to the asker: their queued ask went out, someone has room now
    ASK_INTRODUCTION = "ask_intro"  # to the asker and the mentor who took it, together
    ASK_UPDATE = "ask_update"  # not a post: a candidate's request redrawn (chat.update), as AskEdit says


class AskEdit(str, Enum):
    """How a candidate's request DM is redrawn (an ASK_UPDATE's key): once per candidate and
    ask for each, so queued twice it is kept once, and sent again it is the same edit."""

    PASSED = "passed"  # they said "Not this time"
    TAKEN = "taken"  # someone else took it
    HELPING = "helping"  # they took it and meet the asker in a group DM
    UNINTRODUCED = "unintroduced"  # they took it, but Slack cannot reach the asker
    CLOSED = "closed"  # cancelled, or closed unanswered
    TOO_LATE = "too_late"  # taken or closed while their request was on its way
