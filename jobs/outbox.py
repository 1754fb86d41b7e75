"""The outbox sender: every direct message (and program-channel post) a state change queued,
in the same transaction as the change, is sent from here, once; and so is every edit of one
already in Slack (chat.update: a follow-up's prompt, an ask's candidates' requests).

Slack's rate limits are per workspace, so workspaces are served side by side, each in its
lane: a sender takes a workspace's lane (delivery_lanes, a lease renewed before each
batch of deliveries, taken over once it runs out), and only the lane's holder claims that workspace's
deliveries, so its pacer (jobs/pacing.py) is the workspace's only one, in every process and
replica. A drain holds a few lanes and sends in as many threads, one batch at a time per
lane, the lane that has waited longest first; a lane waiting for its workspace's tier holds
no thread, and one that must wait long is let go with its pace, for whichever sender is free
then to take on. Slack's 429s, waited out as Slack asks, stay the backstop.

Within its lane, a sender claims a batch with a lease: the most urgent deliveries, then the
oldest (bot.deliveries.Urgency), as many as the workspace's pace lets go now (up to
LANE_BATCH), in one statement. It renders each as things stand now (its kind picks the
renderer, in jobs/deliveries.py; a round's introductions are read for the batch at once),
posts it with the delivery's id in the message's metadata, and records the ts of the
batch's messages together. Claims it has not tried within half their lease, or when an
error stops the batch, it gives back for any sender to take at once. Whenever a delivery is
tried a second time (its sender died, or Slack's answer left it unclear whether the message
went out), the sender first looks for that metadata in the conversation and posts only if
it is not there; a sender that dies holding a batch leaves it all to be looked for.

Some kinds carry work of their own once their message is in Slack, or once it never will be
(jobs/deliveries.py, HOOKS): an ask records its candidate's DM, or passes over a candidate Slack cannot reach.
That work is done in the transaction that records the delivery's outcome, and only by the
sender that still holds the claim; what it queues there (an edit among them) this drain sends.

A DM of any kind that Slack refuses because a recipient cannot be messaged at all marks that
member gone (jobs/departures.py), in the same transaction; a round's introduction or
check-in then goes again at once to the rest of its group.
"""

import heapq
import itertools
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from deps import Deps
from jobs import departures
from jobs.deliveries import HOOKS, NO_HOOKS, RENDERERS, MissingReference, Rendered, Replace, render_together
from jobs.slack_errors import PERMANENT, UNREACHABLE
from storage.db import Repositories
from storage.outbox import Claimed

logger = logging.getLogger(__name__)


SENDER = f"{socket.gethostname()}:{os.getpid()}"  # who holds a claim: see gone()


LEASE = timedelta(minutes=10)  # longer than one delivery's calls, rate-limit waits included


LANE_THREADS = 8  # deliveries one drain sends at once, to as many workspaces: each mostly waits on Slack
LANES_HELD = LANE_THREADS  # lanes one drain holds at once: other senders take the rest
# Renewed before each delivery; as long as a delivery's own lease (LEASE), since one delivery
# may wait that long for its tier or a Retry-After, and a shorter lane lease would let a second
# sender take the workspace meanwhile. A crashed sender's lanes are taken over after it.
LANE_LEASE = LEASE
LANE_BATCH = 25  # deliveries a lane claims at once, if its pace lets them all go now
LANE_KEPT = 0.05  # of a minute: a lane whose pace makes it wait longer is let go until then

_DRAINS = itertools.count(1)


MAX_ATTEMPTS = 5


METADATA_EVENT = "mentor_delivery"


HISTORY_LOOKBACK = 200  # messages of the DM searched for one a dead sender may have posted


def kick(deps: Deps, job: Callable[[Deps], object] | None = None) -> None:
    """Send what is queued now (or run `job`, such as a due-follow-ups run), off the
    listener's thread; a failure is logged and the scheduler's next run retries."""

    def run() -> None:
        try:
            (job or drain)(deps)
        except Exception as error:  # broad on purpose: a thread of our own: log it
            logger.error("Sending queued DMs failed: %s", type(error).__name__, exc_info=error)

    deps.background.submit(run)


def drain(deps: Deps) -> int:
    """Send every delivery that is due, each workspace's in its lane (above); returns how
    many messages were posted. Returns once nothing due is left but what other senders hold
    the lanes of. An error in one lane stops that lane alone: the first is raised once the
    other lanes are done. What senders of this machine that ended held is taken over first
    (take_over_ended)."""
    take_over_ended(deps)
    return _Drain(deps).run()


def take_over_ended(deps: Deps) -> int:
    """Let go the lanes, and make due now the DMs, that senders of this machine held when
    they ended (killed, out of memory), rather than leave their workspaces' DMs waiting up to
    LANE_LEASE for the leases to run out. A sender on another machine cannot be seen to
    have ended from here: its leases tell. The DMs taken over stay "sending", so each is
    looked for in its conversation before it is posted again. Returns how many."""
    now = deps.clock()
    with deps.store.reading() as repositories:
        ended = {sender for sender in repositories.outbox.senders(now) if gone(sender)}
    if not ended:
        return 0  # as nearly always: no write, which on SQLite would wait for its one writer
    with deps.store.transaction() as repositories:
        released = repositories.outbox.release_claims(now, lambda sender: sender in ended)
    logger.info("Took over the lanes and %d DMs of %d ended senders", released, len(ended))
    return released


class _Lane:
    """One workspace's deliveries, most urgent first, sent by whichever of its drain's
    threads is free: a few at a time, as many as the workspace's pace lets go now (up to
    LANE_BATCH), claimed together and their outcomes recorded together; between two such
    batches, the thread goes back to the pool."""

    def __init__(self, deps: Deps, team_id: str, holder: str):
        self.deps = deps
        self.team_id = team_id
        self.holder = holder
        self.methods: set[str] = set()  # what its last deliveries called: its next ones likely call the same
        self.posted = 0
        self.lost = False  # its lease ran out and another sender took the lane over

    def pace(self, method: str) -> None:
        self.methods.add(method)
        self.deps.pacer.wait(self.team_id, method)

    def step(self) -> float | None:
        """Send the next few deliveries, if the workspace's pace lets them go now. Returns
        how many seconds (the pacer's) until the next may go (0: at once), or None when
        nothing is due or the lane was lost."""
        pacer = self.deps.pacer
        delay = pacer.delay(self.team_id, self.methods)
        if delay > 0:
            return delay
        # Before the first delivery the lane does not know what its deliveries call: one.
        room = pacer.room(self.team_id, self.methods) if self.methods else 1
        now = self.deps.clock()
        with self.deps.store.transaction() as repositories:
            if not repositories.outbox.renew_lane(self.team_id, self.holder, now + LANE_LEASE):
                self.lost = True
                return None
            claimed = repositories.outbox.claim(
                now, now + LEASE, LANE_BATCH if room is None else min(room, LANE_BATCH), SENDER, self.team_id
            )
        if not claimed:
            return None
        self.methods = set()
        # Sent within half the lease, or given back: the lane's lease and the claims' last
        # from `now` on, so none is sent after another sender may have taken it over.
        self.posted += _send(self.deps, claimed, self.pace, until=now + LEASE / 2)
        return pacer.delay(self.team_id, self.methods)


class _Drain:
    """The lanes one drain holds, and the threads that send in them: each lane whose pace
    lets its next delivery go now gets the next free thread, the one that has waited longest
    first, so workspaces take turns and none waiting for its tier holds a thread."""

    def __init__(self, deps: Deps):
        self.deps = deps
        self.pacer = deps.pacer
        self.holder = f"{SENDER}/{next(_DRAINS)}"  # each drain its own lanes, even within a process
        self.kept = deps.pacer.seconds_per_minute * LANE_KEPT
        self.lanes: dict[str, _Lane] = {}
        self.ready: list[tuple[float, int, str]] = []  # a heap of (when it may go on, turn, team)
        self.turns = itertools.count()
        self.running: dict[Future, _Lane] = {}
        self.failed: set[str] = set()  # workspaces whose lane met an error: not taken again here
        self.errors: list[Exception] = []
        self.posted = 0
        # When to look for more lanes (the pacer's clock): every `kept` while fewer than
        # LANES_HELD are held, and at once when one is let go, so that a thread freed by a
        # workspace that must wait is not left idle while others have DMs due now.
        self.next_lookup = 0.0

    def run(self) -> int:
        with ThreadPoolExecutor(LANE_THREADS, thread_name_prefix="outbox-lane") as pool:
            while True:
                self._start_ready(pool)
                if not self.lanes:
                    later = self._take_lanes()
                    self.next_lookup = self.pacer.clock() + self.kept
                    if self.lanes:
                        continue
                    if later is None:
                        break  # nothing due, or only what other senders are sending
                    time.sleep(max(0.0, later - self.pacer.clock()))  # until the earliest free lane's pace
                    continue
                now = self.pacer.clock()
                if len(self.lanes) < LANES_HELD and now >= self.next_lookup:
                    self._take_lanes()
                    self.next_lookup = now + self.kept
                    self._start_ready(pool)
                wake = [self.next_lookup] if len(self.lanes) < LANES_HELD else []
                if self.ready and len(self.running) < LANE_THREADS:
                    wake.append(self.ready[0][0])
                timeout = max(0.0, min(wake, default=now + self.kept) - self.pacer.clock())
                if self.running:
                    done, _ = wait(self.running, timeout=timeout, return_when=FIRST_COMPLETED)
                    for future in done:
                        self._finished(future)
                else:
                    time.sleep(timeout)  # each lane held waits a moment for its pace
        if self.errors:
            raise self.errors[0]
        return self.posted

    def _start_ready(self, pool: ThreadPoolExecutor) -> None:
        while self.ready and self.ready[0][0] <= self.pacer.clock() and len(self.running) < LANE_THREADS:
            _, _, team_id = heapq.heappop(self.ready)
            lane = self.lanes[team_id]
            self.running[pool.submit(lane.step)] = lane

    def _finished(self, future: Future) -> None:
        lane = self.running.pop(future)
        try:
            after = future.result()
        except Exception as error:  # broad on purpose: one workspace's failure must not stop the others
            logger.error("Sending %s's DMs failed: %s", lane.team_id, type(error).__name__, exc_info=error)
            self.errors.append(error)
            self.failed.add(lane.team_id)
            self._release(lane)
            return
        if after is None or after > self.kept:
            self._release(lane)  # nothing due, or a long wait: whoever is free then takes it
            self.next_lookup = 0.0
        else:
            heapq.heappush(self.ready, (self.pacer.clock() + after, next(self.turns), lane.team_id))

    def _take_lanes(self) -> float | None:
        """Take the lanes of workspaces with deliveries due whose pace lets them go now, up
        to LANES_HELD; returns when the earliest of the others may go (the pacer's clock), if any."""
        now, paced_now = self.deps.clock(), self.pacer.clock()
        with self.deps.store.transaction() as repositories:
            due = repositories.outbox.workspaces_due(now)
        later: float | None = None
        for team_id, next_call_at in due:
            if team_id in self.lanes or team_id in self.failed:
                continue
            if next_call_at is not None and next_call_at > paced_now:
                later = next_call_at if later is None else min(later, next_call_at)
                continue
            if len(self.lanes) >= LANES_HELD:
                break
            with self.deps.store.transaction() as repositories:
                taken = repositories.outbox.take_lane(team_id, self.holder, now, now + LANE_LEASE)
            if taken is None:
                continue  # another sender took it just now
            if taken.paced_calls:
                self.pacer.restore(team_id, json.loads(taken.paced_calls))
            self.lanes[team_id] = _Lane(self.deps, team_id, self.holder)
            heapq.heappush(self.ready, (paced_now, next(self.turns), team_id))
        return later

    def _release(self, lane: _Lane) -> None:
        """Let the lane go, with its pace, for its next holder (in any process) to keep."""
        del self.lanes[lane.team_id]
        self.posted += lane.posted
        if lane.lost:
            return
        next_call_at = self.pacer.clock() + self.pacer.delay(lane.team_id, lane.methods)
        paced_calls = json.dumps(self.pacer.recent(lane.team_id))
        with self.deps.store.transaction() as repositories:
            repositories.outbox.release_lane(lane.team_id, self.holder, next_call_at, paced_calls)


class _Batch:
    """A lane's claims sent together: the workspace's client, looked up once; the renderings
    of those whose kind reads many at once (jobs/deliveries.py, render_together); and those
    in Slack, recorded together (one transaction for all of them, rather than one each) once
    the batch is done or cut short, or before the next delivery about the same thing is
    rendered: that one may read what they record (a follow-up's thread, an ask's request)."""

    def __init__(self, deps: Deps, claimed: list[Claimed]):
        self.deps = deps
        self.client = deps.client_for(claimed[0].team_id)  # a lane's claims are one workspace's
        self.rendered_together: Mapping[int, Rendered | Replace | None] = {}
        self.in_slack: list[tuple[Claimed, str, str]] = []  # (claim, channel, ts)

    def render(self, claim: Claimed) -> "Rendered | Replace | None":
        """What the claim's message is now, and to whom (or None: it should no longer go)."""
        if claim.id in self.rendered_together:
            return self.rendered_together[claim.id]
        return RENDERERS[claim.kind](self.deps, claim)

    def sent(self, claim: Claimed, channel: str, ts: str) -> None:
        self.in_slack.append((claim, channel, ts))

    def before(self, claim: Claimed) -> None:
        """Record what is in Slack now if `claim` is about the same thing as one of them."""
        if any(sent.about.subject == claim.about.subject for sent, _, _ in self.in_slack):
            with self.deps.store.transaction() as repositories:
                self.record(repositories)

    def record(self, repositories: Repositories) -> None:
        recorded = repositories.outbox.sent_together(self.in_slack, self.deps.clock())
        for claim, channel, ts in self.in_slack:
            hook = HOOKS.get(claim.kind, NO_HOOKS).sent
            if hook and claim.id in recorded:  # else no longer this sender's: whoever holds it sees to it
                hook(self.deps, repositories, claim, channel, ts)
        self.in_slack = []


def _send(deps: Deps, claimed: list[Claimed], pace: Callable[[str], None], until: datetime) -> int:
    """Send one lane's claimed deliveries in turn until `until` (the clock's); record those
    in Slack and give back the ones not tried, whatever happens on the way (another sender
    may take them at once, not after their lease). Returns how many messages were posted."""
    batch = _Batch(deps, claimed)
    posted = tried = 0
    try:
        if batch.client is not None:
            batch.rendered_together = render_together(deps, claimed)
        for claim in claimed:
            if deps.clock() >= until:
                break  # slowed down (rate limits, Slack): the rest are not ours to hold on to
            batch.before(claim)
            tried += 1
            posted += _deliver(deps, claim, pace, batch)
    finally:
        with deps.store.transaction() as repositories:
            batch.record(repositories)
            repositories.outbox.give_back(claimed[tried:], deps.clock())
    return posted


def _record_failed(
    deps: Deps, repositories: Repositories, claim: Claimed, error: str, gone: tuple[str, ...] = ()
) -> None:
    if not repositories.outbox.fail(claim, error):
        return
    departures.mark_gone(deps, repositories, claim.team_id, gone)
    hook = HOOKS.get(claim.kind, NO_HOOKS).failed
    if hook:
        hook(deps, repositories, claim, error)


# --- sending ---------------------------------------------------------------------------------
def _already_posted(client: WebClient, channel: str, claim: Claimed, thread_ts: str | None = None) -> str | None:
    """The ts of a message in `channel` (in the thread of `thread_ts`, if given) that an
    earlier try of this delivery posted, if any. A thread's replies are not in the
    conversation's history: Slack lists them with conversations.replies only."""
    try:
        if thread_ts:
            history = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        else:
            history = client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True)
    except SlackApiError as error:
        if error.response.get("error") != "missing_scope":
            raise
        # Installed before im:history was asked for: better a rare double than a lost DM.
        logger.warning("Cannot check for a DM already sent: reinstall Mentor to grant im:history")
        return None
    messages: list[dict[str, Any]] = history.get("messages") or []
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("delivery") == claim.id:
            return message.get("ts")
    return None


def _deliver(deps: Deps, claim: Claimed, pace: Callable[[str], None], batch: _Batch) -> int:
    """Send one claimed delivery of `batch`, its outcome recorded, but for being in Slack,
    which the batch records. Returns how many messages were posted (0 or 1)."""
    client = batch.client
    if client is None:
        logger.warning(
            "No installation holds a bot token for %s: %s DM %s not sent", claim.team_id, claim.kind.value, claim.id
        )
        with deps.store.transaction() as repositories:
            repositories.outbox.fail(claim, "not_installed")
        return 0
    try:
        rendered = batch.render(claim)
    except MissingReference:
        logger.warning("A %s DM (delivery %s) names nothing to render", claim.kind.value, claim.id)
        with deps.store.transaction() as repositories:
            repositories.outbox.fail(claim, "no_reference")
        return 0
    if rendered is None:
        if claim.in_flight and HOOKS.get(claim.kind, NO_HOOKS).stale_copy_redrawn:
            _record_stale_copy(deps, client, claim, pace, batch)
        else:
            with deps.store.transaction() as repositories:
                repositories.outbox.cancel(claim, "no_longer_needed")
        return 0
    if isinstance(rendered, Replace):
        _replace(deps, client, claim, rendered, pace, batch)
        return 0
    message, recipient = rendered
    if claim.in_flight and is_channel(recipient):
        # A channel's history is not ours to read (no channels:history): after a crash that
        # may have posted it, an announcement is better missed than posted twice.
        with deps.store.transaction() as repositories:
            repositories.outbox.cancel(claim, "unknown_after_crash")
        return 0
    try:
        if is_channel(recipient):
            channel = recipient
        else:
            pace("conversations.open")
            channel = client.conversations_open(users=recipient)["channel"]["id"]
        ts = None
        if claim.attempts > 1 and not is_channel(recipient):
            pace("conversations.replies" if message.get("thread_ts") else "conversations.history")
            ts = _already_posted(client, channel, claim, message.get("thread_ts"))
        if ts is None:
            metadata = {"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
            pace("chat.postMessage")
            ts = _without_resends(client).chat_postMessage(channel=channel, metadata=metadata, **message)["ts"]
            posted = 1
        else:
            posted = 0
    except SlackApiError as error:
        code = str(error.response.get("error"))
        logger.warning("A %s DM (delivery %s) failed: %s", claim.kind.value, claim.id, code)
        gone: tuple[str, ...] = ()
        if code in UNREACHABLE and not is_channel(recipient):
            gone = departures.unreachable_among(deps, client, claim.team_id, recipient)
        with deps.store.transaction() as repositories:
            if gone and HOOKS.get(claim.kind, NO_HOOKS).resent_without_the_gone and claim.attempts < MAX_ATTEMPTS:
                if repositories.outbox.retry_later(claim, deps.clock(), code):
                    departures.mark_gone(deps, repositories, claim.team_id, gone)
            elif code in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
                _record_failed(deps, repositories, claim, code, gone)
            else:
                backoff = timedelta(minutes=2**claim.attempts)
                repositories.outbox.retry_later(claim, deps.clock() + backoff, code)
        return 0
    batch.sent(claim, channel, ts)
    return posted


def _record_stale_copy(
    deps: Deps, client: WebClient, claim: Claimed, pace: Callable[[str], None], batch: _Batch
) -> None:
    """A DM no longer needed (its ask was taken or closed) that a sender which died may have
    posted: if Slack has it, record it as sent, so its hook redraws its buttons away; if
    not, or Slack cannot tell us, cancel it (a copy left live answers a click with "already
    taken": handlers/actions/asks.py)."""
    channel = ts = None
    try:
        pace("conversations.open")
        channel = client.conversations_open(users=claim.recipient)["channel"]["id"]
        pace("conversations.history")
        ts = _already_posted(client, channel, claim)
    except SlackApiError as error:
        code = error.response.get("error")
        logger.warning("A stale %s DM (delivery %s) could not be looked for: %s", claim.kind.value, claim.id, code)
    if channel and ts:
        batch.sent(claim, channel, ts)
        return
    with deps.store.transaction() as repositories:
        repositories.outbox.cancel(claim, "no_longer_needed")


def _replace(
    deps: Deps, client: WebClient, claim: Claimed, replace: Replace, pace: Callable[[str], None], batch: _Batch
) -> None:
    """Redraw a message in place. chat.update of the same message with the same content is
    harmless, so a retry after a crash or an unclear answer simply updates again: it never
    posts. Retried with backoff like a DM; failed for good on an error that will not pass
    (the message was deleted: message_not_found)."""
    try:
        pace("chat.update")
        client.chat_update(channel=replace.channel, ts=replace.ts, **replace.message)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        logger.warning("A %s update (delivery %s) failed: %s", claim.kind.value, claim.id, code)
        with deps.store.transaction() as repositories:
            if code in PERMANENT or code in UNUPDATABLE or claim.attempts >= MAX_ATTEMPTS:
                repositories.outbox.fail(claim, code)
            else:
                repositories.outbox.retry_later(claim, deps.clock() + timedelta(minutes=2**claim.attempts), code)
        return
    batch.sent(claim, replace.channel, replace.ts)


# chat.update's errors that trying again will not cure.
UNUPDATABLE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed", "msg_too_long"})


def is_channel(recipient: str) -> bool:
    """A channel id (the program channel) rather than user ids to open a DM with."""
    return recipient[:1] in ("C", "G") and "," not in recipient


def _without_resends(client: WebClient) -> WebClient:
    """The client for posting: it waits out a 429 (nothing was posted) but does not resend
    after a broken connection, when Slack may have posted it; that case is left to the
    lease and the metadata check."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[
            handler for handler in client.retry_handlers if isinstance(handler, RateLimitErrorRetryHandler)
        ],
    )


def gone_at_start(claimer: str | None) -> bool:
    """At a process's start: whether a claim's sender has ended, this process's own name
    included (a restarted container's first process has the same pid as the one before it,
    whose claims and lanes are then its predecessor's, not its own)."""
    return claimer == SENDER or gone(claimer)


def gone(claimer: str | None) -> bool:
    """Whether the sender that holds a claim is a process of this machine that has ended."""
    host, _, pid = (claimer or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's, or unknown: its lease will tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False
