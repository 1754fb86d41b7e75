"""What the listeners and jobs are handed: built once in app.py."""

import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy
from bot.followups import services as followup_services
from bot.followups.model import FollowUpPolicy
from bot.members.model import RecentStandings
from bot.program.model import FixedSettings
from bot.unit_of_work import UnitOfWork
from jobs.pacing import Pacer
from jobs.recording import Recorder
from storage.db import Store

BACKGROUND_THREADS = 8
# What listeners do after their ack without a record (opening a modal): enough for a burst.
LISTENER_THREADS = 32


def utc_now() -> datetime:
    return datetime.now(UTC)


def _background_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=BACKGROUND_THREADS, thread_name_prefix="after-ack")


def listener_pool() -> ThreadPoolExecutor:
    """A pool for listeners' work right after their ack (Deps.listener_executor)."""
    return ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")


@dataclass(frozen=True)
class Deps:
    store: Store
    # MENTOR_ADMINS: program admins on top of the workspace's admins and owners.
    admin_ids: frozenset[str] = field(default_factory=frozenset)
    ask_policy: AskPolicy = field(default_factory=AskPolicy)
    # MENTOR_ASK_TIMEOUT_HOURS: how long asks wait, for every workspace, over their own settings.
    ask_timeout_hours: int | None = None
    # MENTOR_FOLLOWUP_DAYS: the follow-up delay for every workspace, over their own settings.
    followup_days: int | None = None
    clock: Callable[[], datetime] = utc_now
    # A Web API client with the bot token of a workspace, for work outside a request (jobs).
    client_for: Callable[[str], WebClient | None] = lambda team_id: None
    # Sending what the outbox holds (jobs.outbox.kick) runs here, off the threads serving
    # requests and the workers': the work after an ack itself is a job (jobs/command_jobs.py).
    background: Executor = field(default_factory=_background_pool)
    # What a listener does after its ack that needs no record, such as opening a modal while
    # its trigger id lasts (handlers.listeners.after_ack): Bolt answers Slack only once a
    # listener returns (process_before_response, app.py).
    listener_executor: Executor = field(default_factory=listener_pool)
    # Keeps the outbox's Slack calls within their rate-limit tiers, for the whole process.
    pacer: Pacer = field(default_factory=Pacer)
    # A Web API client for a bot token, such as the one a request was authorized with.
    bot_client: Callable[[str], WebClient] = lambda token: WebClient(token=token)
    # Records commands' work for the workers before their acks (handlers.commands.handoff);
    # made from `store` when not given.
    recorder: Recorder = None  # type: ignore[assignment] # set in __post_init__
    # Set when commands' work was queued in the database: wakes this process's waiting
    # workers at once (jobs/command_jobs.py); others look every second. A flag, not a count:
    # one batch recorded wakes each waiting worker once, where a count of one per job kept
    # them claiming nothing, a write transaction each, long after the burst was done.
    command_queued: threading.Event = field(default_factory=threading.Event)
    # What Slack said lately of people whose standing is not on their row (handlers.membership).
    standings: RecentStandings = field(default_factory=RecentStandings)

    def __post_init__(self) -> None:
        if self.recorder is None:
            recorder = Recorder(self.store, utc_now, self.command_queued.set)
            object.__setattr__(self, "recorder", recorder)  # frozen

    def ask_policy_for(self, work: UnitOfWork, team_id: str) -> AskPolicy:
        """How asks travel in this workspace: the deployment's policy, with the ask timeout
        its admins set unless MENTOR_ASK_TIMEOUT_HOURS fixes it for all."""
        return ask_services.policy_for(work, team_id, self.ask_policy, self.ask_timeout_hours)

    @property
    def fixed_settings(self) -> FixedSettings:
        """The program settings this deployment fixes for every workspace."""
        return FixedSettings(self.ask_timeout_hours, self.followup_days)

    def followup_policy_for(self, work: UnitOfWork, team_id: str) -> FollowUpPolicy:
        """The workspace's follow-up delay, unless MENTOR_FOLLOWUP_DAYS fixes it for all."""
        return followup_services.policy_for(work, team_id, self.followup_days)

    def settle_background(self) -> None:
        """Wait for the work handed to the listener and background pools so far, in that order
        (a listener's may hand some to the background); new work goes to fresh pools."""
        for name, fresh in (("listener_executor", listener_pool), ("background", _background_pool)):
            running = getattr(self, name)
            object.__setattr__(self, name, fresh())  # frozen
            running.shutdown(wait=True)
