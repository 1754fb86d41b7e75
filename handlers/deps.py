"""What the listeners and jobs are handed: built once in app.py."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from slack_sdk import WebClient

from bot.asks import AskPolicy
from storage.db import Store


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Deps:
    store: Store
    # MENTOR_ADMINS: program admins on top of the workspace's admins and owners.
    admin_ids: frozenset[str] = field(default_factory=frozenset)
    ask_policy: AskPolicy = field(default_factory=AskPolicy)
    clock: Callable[[], datetime] = utc_now
    # A Web API client with the bot token of a workspace, for work outside a request (jobs).
    client_for: Callable[[str], WebClient | None] = lambda team_id: None


def workspace_of(context) -> str:
    """The id every row is scoped by: the workspace, or the org for org-wide installs."""
    return context.team_id or context.enterprise_id
