"""Life situations a member may choose to declare, so that rounds pair them, when they can,
with someone in the same one (bot/matching.py). Used for matching only: the member sees
their own in the profile modal; nobody else sees them, admins included, and introductions
never say that a pair shares one."""

# Stored value: what the member reads. Values are kept forever once used: a stored one that
# is no longer listed is ignored, not an error.
SITUATIONS = {
    "parental_leave": "Back from parental leave",
    "new_country": "New to the country",
    "caregiving": "Caring for a relative",
    "career_change": "Changing careers",
    "new_manager": "New to managing people",
    "first_job": "In my first job",
}


def known(values) -> frozenset[str]:
    """The listed situations among `values` (from storage, or from Slack: untrusted)."""
    return frozenset(value for value in values if isinstance(value, str) and value in SITUATIONS)
