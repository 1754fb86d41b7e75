"""Members as others see them, including those Mentor was asked to forget.

A forgotten member's id is replaced, wherever a record is also someone else's, by a
tombstone: an id no Slack user can have (theirs start with U or W), never shown."""

TOMBSTONE_PREFIX = "X"


def is_forgotten(user_id: str) -> bool:
    return user_id.startswith(TOMBSTONE_PREFIX)


def tombstone(random_hex: str) -> str:
    """A fresh tombstone: one per forgotten member, so counts of distinct people stay right."""
    return TOMBSTONE_PREFIX + random_hex.upper()


def person(user_id: str) -> str:
    """A member as mrkdwn: a mention, or words for someone who asked Mentor to forget them."""
    return "someone who has left Mentor" if is_forgotten(user_id) else f"<@{user_id}>"
