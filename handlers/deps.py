"""What the listeners are handed: built once in app.py."""

from dataclasses import dataclass, field

from storage.db import Store


@dataclass(frozen=True)
class Deps:
    store: Store
    # MENTOR_ADMINS: program admins on top of the workspace's admins and owners.
    admin_ids: frozenset[str] = field(default_factory=frozenset)


def workspace_of(context) -> str:
    """The id every row is scoped by: the workspace, or the org for org-wide installs."""
    return context.team_id or context.enterprise_id
