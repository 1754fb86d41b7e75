"""Slack's error codes that no retry can fix, for every sender of messages: the outbox
(jobs/outbox.py), and the ask DMs that still go straight to Slack (jobs/asks.py)."""

# This person cannot be messaged (conversations.open, chat.postMessage): they left, were
# deactivated, or cannot get DMs from Mentor. Whatever the DM, they are marked gone from then
# on (jobs/departures.py): out of rounds, asks' rankings and follow-ups.
UNREACHABLE = frozenset({"user_disabled", "account_inactive", "user_not_found", "cannot_dm_bot", "user_not_visible"})

# Mentor cannot post there at all: the app lost its token or a scope, or the channel is
# gone, archived, or private without Mentor in it (a program channel).
NO_ACCESS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
    }
)

PERMANENT = UNREACHABLE | NO_ACCESS  # a message that met one of these is failed, not retried
