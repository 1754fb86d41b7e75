"""What the outbox does for each kind of delivery (bot.deliveries.DeliveryKind): the one
renderer that writes its message as things stand now, and to whom (RENDERERS), and the work
some kinds do once their message is in Slack, or once it never will be (HOOKS)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from bot import replies
from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import Ask, AskStatus, introduced
from bot.deliveries import AskEdit, DeliveryKind
from bot.followups import messages as followup_messages
from bot.followups.model import FollowUp, FollowUpPolicy, Purpose, still_wanted
from bot.members import messages as member_messages
from bot.members.model import is_forgotten
from bot.rounds import messages as round_messages
from bot.rounds import program_messages, programs
from bot.rounds import services as round_services
from bot.rounds.model import Program, Thanks
from bot.rounds.starters import starters
from deps import Deps
from storage.db import Repositories
from storage.outbox import Claimed

# --- rendering: the message as things stand now, and to whom -------------------------------
Rendered = tuple[dict[str, Any], str]  # the message, and user ids joined by commas or the program channel's id


# None: the message should no longer go out.
Renderer = Callable[[Deps, Claimed], "Rendered | Replace | None"]


T = TypeVar("T")


class MissingReference(Exception):
    """A delivery without the row its kind is about: queued by a version that did not store it."""


def _reference(value: T | None) -> T:
    if value is None:
        raise MissingReference()
    return value


def _welcome(deps: Deps, claim: Claimed) -> Rendered:
    return member_messages.welcome(), claim.recipient


def _command_not_done(deps: Deps, claim: Claimed) -> Rendered:
    return replies.not_done(claim.key), claim.recipient


def _click_not_done(deps: Deps, claim: Claimed) -> Rendered:
    return replies.click_not_done(claim.key), claim.recipient


def _message_not_done(deps: Deps, claim: Claimed) -> Rendered:
    return replies.message_not_done(), claim.recipient


def _followup(purpose: Purpose, message: Callable[[FollowUp, datetime, FollowUpPolicy], dict]) -> Renderer:
    """A follow-up's DM, while the follow-up still wants it."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        with deps.store.transaction() as repositories:
            followup = repositories.followups.get(claim.team_id, _reference(claim.about.followup_id))
        if followup is None or not still_wanted(followup, purpose, claim.key):
            return None
        return message(followup, deps.clock(), FollowUpPolicy()), claim.recipient

    return render


def _in_thread(message: dict[str, Any], thread: tuple[str, str] | None) -> dict[str, Any]:
    return {**message, "thread_ts": thread[1]} if thread else message


def _followup_thread(
    purpose: Purpose, side: str, threaded: Callable[[FollowUp], dict], alone: Callable[..., dict]
) -> Renderer:
    """A follow-up's DM that belongs in the thread of `side`'s first DM of it (the mentee's
    prompt, the mentor's report): `threaded` there; `alone`, as a message of its own, when that
    thread does not exist (its first DM never reached Slack, or was sent by an older version)."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        with deps.store.transaction() as repositories:
            followup = repositories.followups.get(claim.team_id, _reference(claim.about.followup_id))
            thread = repositories.followups.thread_of(followup.id, side) if followup else None
        if followup is None or not still_wanted(followup, purpose, claim.key):
            return None
        if thread is None:
            return alone(followup, deps.clock(), FollowUpPolicy()), claim.recipient
        return _in_thread(threaded(followup), thread), claim.recipient

    return render


def _followup_relay(deps: Deps, claim: Claimed) -> Rendered | None:
    """What one of the pair wrote, to the other, in the thread of their own first DM of it."""
    followup_id = _reference(claim.about.followup_id)
    _, _, message_id = claim.key.partition(":")
    with deps.store.transaction() as repositories:
        followup = repositories.followups.get(claim.team_id, followup_id)
        written = repositories.followups.message(followup_id, int(message_id)) if message_id.isdigit() else None
        side = "mentee" if followup and claim.recipient == followup.mentee_id else "mentor"
        thread = repositories.followups.thread_of(followup_id, side)
    if followup is None or written is None:
        return None  # its author was forgotten meanwhile
    author, text = written
    return _in_thread(followup_messages.relayed(followup, author, text), thread), claim.recipient


@dataclass(frozen=True)
class Replace:
    """What a kind renders when it redraws a message already in Slack instead of posting one."""

    channel: str
    ts: str
    message: dict[str, Any]


def _followup_redraw(deps: Deps, claim: Claimed) -> Replace | None:
    """The mentee's prompt as the follow-up stands now; nothing before the prompt is in Slack."""
    with deps.store.transaction() as repositories:
        followup = repositories.followups.get(claim.team_id, _reference(claim.about.followup_id))
        thread = repositories.followups.thread_of(followup.id, "mentee") if followup else None
    if followup is None or thread is None or not still_wanted(followup, Purpose.UPDATE, claim.key):
        return None
    return Replace(*thread, followup_messages.as_it_stands(followup, deps.clock(), FollowUpPolicy()))


def _round_introduction(deps: Deps, claim: Claimed) -> Rendered | None:
    _reference(claim.about.group_id)
    return _round_introductions(deps, [claim])[claim.id]


def _round_introductions(deps: Deps, claims: list[Claimed]) -> dict[int, Rendered | None]:
    """Introductions of one workspace's groups, read together (a round queues hundreds);
    those that name no group are left out."""
    claims = [claim for claim in claims if claim.about.group_id is not None]
    if not claims:
        return {}
    wanted = [(_reference(claim.about.group_id), claim.recipient) for claim in claims]
    with deps.store.transaction() as repositories:
        intros = repositories.rounds.introductions(claims[0].team_id, wanted)
    rendered: dict[int, Rendered | None] = {}
    for claim, key in zip(claims, wanted, strict=True):
        intro = intros[key]  # None: someone left the workspace, fewer than two to introduce
        rendered[claim.id] = (round_messages.introduction(intro), ",".join(intro.group.members)) if intro else None
    return rendered


def _round_starter(deps: Deps, claim: Claimed) -> Rendered | None:
    """The conversation starter the delivery's key names, to the group as it stands."""
    group_id = _reference(claim.about.group_id)
    with deps.store.transaction() as repositories:
        intro = repositories.rounds.introduction(claim.team_id, group_id, claim.recipient)
    if intro is None:
        return None  # fewer than two of them left
    key = claim.key.partition(":")[2]
    group = intro.group
    offered = starters(intro.program.kind, group.teaching, group.question, str(group_id))
    found = [one for one in offered if one.key == key]
    return (round_messages.starter_post(found[0], group_id), ",".join(group.members)) if found else None


def _round_thanks(message: Callable[[Thanks], dict]) -> Renderer:
    """A thank-you (the delivery's key names it), to its receiver or the program channel; none
    once it is gone (its sender or receiver asked to be forgotten)."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        number = claim.key.partition(":")[2]
        if not (number.isascii() and number.isdigit()):
            raise MissingReference()
        with deps.store.transaction() as repositories:
            thanks = repositories.rounds.thanks(claim.team_id, int(number))
        return (message(thanks), claim.recipient) if thanks else None

    return render


def _round_partner_gone(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        told = repositories.rounds.partner_gone(claim.team_id, _reference(claim.about.group_id), claim.recipient)
    return (round_messages.partner_gone(told), claim.recipient) if told else None


def _group_answer(deps: Deps, claim: Claimed) -> tuple[int, tuple[str, ...], str | None, str | None] | None:
    """(group, members, outcome, answered by) of the group a check-in asks; None if fewer
    than two remain (someone asked Mentor to forget them): nobody left to ask about."""
    group_id = _reference(claim.about.group_id)
    with deps.store.transaction() as repositories:
        answer = repositories.rounds.checkin_answer(claim.team_id, group_id)
    if answer is None:
        return None
    members = tuple(user_id for user_id in answer[0] if not is_forgotten(user_id))
    return (group_id, members, *answer[1:]) if len(members) >= 2 else None


def _round_checkin(deps: Deps, claim: Claimed) -> Rendered | None:
    answer = _group_answer(deps, claim)
    if answer is None:
        return None
    group_id, members, outcome, answered_by = answer
    return round_messages.checkin(group_id, members, outcome, answered_by), ",".join(members)


def _round_learned(deps: Deps, claim: Claimed) -> Rendered | None:
    answer = _group_answer(deps, claim)
    if answer is None:
        return None
    group_id, members, _, _ = answer
    return round_messages.what_did_you_learn(group_id, claim.recipient, members), claim.recipient


def _the_round(repositories: Repositories, claim: Claimed) -> tuple[Program, date]:
    """The program (by the key the delivery names) and the date of the round it is about."""
    program = repositories.rounds.program(claim.team_id, _reference(claim.about.program))
    return _reference(program), _reference(claim.about.held_on)


def _program_welcome(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        key = _reference(claim.about.program)
        welcome = programs.welcome(repositories, claim.team_id, claim.recipient, key, deps.clock())
    return (program_messages.welcome(welcome), claim.recipient) if welcome else None


def _program_pick(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        wanted = programs.pick_wanted(repositories, claim.team_id, claim.recipient, _reference(claim.about.program))
    return (program_messages.pick_request(wanted), claim.recipient) if wanted else None


def _round_notice(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        program, held_on = _the_round(repositories, claim)
        if round_services.round_of_cycle(repositories, claim.team_id, program, held_on) is not None:
            return None  # too late to tell them it is coming, or run by hand meanwhile: it is not
    return round_messages.notice(program, held_on), claim.recipient


def _round_unmatched(deps: Deps, claim: Claimed) -> Rendered:
    with deps.store.transaction() as repositories:
        program, held_on = _the_round(repositories, claim)
        why = repositories.rounds.unmatched_reason(claim.team_id, program.key, held_on, claim.recipient)
        # The same next date as the Home tab's: the first of the cadence whose cycle has no round.
        next_on = round_services.next_round_on(repositories, claim.team_id, program, deps.clock())
    return round_messages.unmatched(program, why, next_on), claim.recipient


def _round_quiet(deps: Deps, claim: Claimed) -> Rendered:
    with deps.store.transaction() as repositories:
        program, _ = _the_round(repositories, claim)
    return round_messages.quiet_paused(program), claim.recipient


def _round_announcement(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        program, held_on = _the_round(repositories, claim)
        figures = repositories.rounds.announcement(claim.team_id, program.key, held_on)
    return (round_messages.announcement(program, *figures), claim.recipient) if figures else None


def _ask(message: Callable[[Ask], dict], open_only: bool = False) -> Renderer:
    """An ask's DM; with `open_only`, only while nobody has taken it and it is not closed."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        with deps.store.transaction() as repositories:
            ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
        if ask is None or (open_only and ask.status is not AskStatus.OPEN):
            return None
        return message(ask), claim.recipient

    return render


def _ask_introduction(deps: Deps, claim: Claimed) -> Rendered | None:
    """To the pair the ask itself names (a group DM), while both are still there."""
    ask_id = _reference(claim.about.ask_id)
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, ask_id)
        followup_planned = repositories.followups.of_ask(claim.team_id, ask_id) is not None
        policy = deps.followup_policy_for(repositories, claim.team_id)
    pair = introduced(ask) if ask else None
    if not (ask and pair):
        return None
    return ask_messages.introduction(ask, followup_planned, followup_messages.timing(policy.delay)), pair


def _ask_update(deps: Deps, claim: Claimed) -> Rendered | Replace | None:
    """A candidate's request redrawn as its key (AskEdit) says, once that DM is in Slack; one
    that never reached Slack has nothing to redraw (if it is on its way, its hook closes it).
    Someone who took an ask in the program channel had no request: what it would have
    become ("You're helping", with "Ask how it went") is a DM of its own."""
    ask_id = _reference(claim.about.ask_id)
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, ask_id)
        dm = repositories.asks.notification(ask_id, claim.recipient)
        followup_planned = repositories.followups.of_ask(claim.team_id, ask_id) is not None
        followup_in = followup_messages.timing(deps.followup_policy_for(repositories, claim.team_id).delay)
    claimed_in_channel = ask is not None and ask.post is not None and dm is not None and not dm.message_ts
    if ask is None or dm is None or not (dm.channel and dm.message_ts or claimed_in_channel):
        return None
    edit = AskEdit(claim.key)
    if edit is AskEdit.PASSED:
        message = ask_messages.candidate_passed(ask)
    elif edit is AskEdit.TAKEN and ask.mentor_id:
        message = ask_messages.candidate_taken(ask, ask.mentor_id)
    elif edit is AskEdit.HELPING:
        message = ask_messages.candidate_helping(ask, followup_planned, followup_in)
    elif edit is AskEdit.UNINTRODUCED:
        message = ask_messages.candidate_unintroduced(ask)
    elif edit is AskEdit.CLOSED:
        message = ask_messages.candidate_closed(ask)
    elif edit is AskEdit.TOO_LATE:
        message = ask_messages.candidate_too_late(ask)
    else:
        return None
    if claimed_in_channel:
        return message, claim.recipient
    return Replace(dm.channel or "", dm.message_ts or "", message)


def _ask_unanswered(deps: Deps, claim: Claimed) -> Rendered | None:
    """To the asker: nobody took it; with the program channel to post it in, if admins named one."""
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
        channel = repositories.program.settings(claim.team_id).program_channel
    return (ask_messages.unanswered(ask, channel), claim.recipient) if ask else None


def _ask_post(deps: Deps, claim: Claimed) -> Rendered | None:
    """An ask in the program channel, while it is still open there."""
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
    if ask is None or ask.post is None or ask.status is not AskStatus.OPEN:
        return None
    return ask_messages.channel_post(ask), claim.recipient


def _ask_post_update(deps: Deps, claim: Claimed) -> Replace | None:
    """The ask's post in the program channel redrawn as the ask stands, once it is there."""
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
    if ask is None or ask.post is None or ask.post.ts is None:
        return None  # never reached Slack; if it is on its way, its hook queues this again
    return Replace(ask.post.channel, ask.post.ts, ask_messages.channel_post_closed(ask))


# Every kind of delivery, and the one function that renders it.
RENDERERS: dict[DeliveryKind, Renderer] = {
    DeliveryKind.WELCOME: _welcome,
    DeliveryKind.COMMAND_NOT_DONE: _command_not_done,
    DeliveryKind.CLICK_NOT_DONE: _click_not_done,
    DeliveryKind.MESSAGE_NOT_DONE: _message_not_done,
    # One follow-up, one message with one thread: the first prompt opens it; asking again
    # after "Not yet", reminders and the mentor's replies come in its thread, and every change
    # redraws the prompt in place (FOLLOWUP_UPDATE), so that one set of buttons is ever live.
    DeliveryKind.FOLLOWUP_PROMPT: _followup_thread(
        Purpose.PROMPT,
        "mentee",
        lambda followup: followup_messages.nudge(followup, reminder=False),
        followup_messages.prompt,
    ),
    DeliveryKind.FOLLOWUP_REMINDER: _followup_thread(
        Purpose.REMINDER,
        "mentee",
        lambda followup: followup_messages.nudge(followup, reminder=True),
        lambda followup, now, policy: followup_messages.prompt(followup, now, policy, reminder=True),
    ),
    DeliveryKind.FOLLOWUP_REPORT: _followup(Purpose.REPORT, lambda followup, *_: followup_messages.report(followup)),
    DeliveryKind.FOLLOWUP_NOTE: _followup_thread(
        Purpose.NOTE,
        "mentor",
        followup_messages.note_added,
        lambda followup, *_: followup_messages.note_added(followup),
    ),
    DeliveryKind.FOLLOWUP_REPLY: _followup_thread(
        Purpose.REPLY,
        "mentee",
        followup_messages.reply_from_mentor,
        lambda followup, *_: followup_messages.reply_from_mentor(followup),
    ),
    DeliveryKind.FOLLOWUP_RELAY: _followup_relay,
    DeliveryKind.FOLLOWUP_UPDATE: _followup_redraw,
    DeliveryKind.ROUND_INTRODUCTION: _round_introduction,
    DeliveryKind.ROUND_CHECKIN: _round_checkin,
    DeliveryKind.ROUND_LEARNED: _round_learned,
    DeliveryKind.ROUND_NOTICE: _round_notice,
    DeliveryKind.ROUND_UNMATCHED: _round_unmatched,
    DeliveryKind.ROUND_QUIET: _round_quiet,
    DeliveryKind.ROUND_PARTNER_GONE: _round_partner_gone,
    DeliveryKind.ROUND_STARTER: _round_starter,
    DeliveryKind.ROUND_THANKS: _round_thanks(round_messages.thanks_received),
    DeliveryKind.ROUND_THANKS_POST: _round_thanks(round_messages.thanks_post),
    DeliveryKind.ROUND_ANNOUNCEMENT: _round_announcement,
    DeliveryKind.PROGRAM_WELCOME: _program_welcome,
    DeliveryKind.PROGRAM_PICK: _program_pick,
    DeliveryKind.ASK_REQUEST: _ask(ask_messages.candidate_request, open_only=True),
    DeliveryKind.ASK_UNANSWERED: _ask_unanswered,
    DeliveryKind.ASK_UNQUEUED: _ask(ask_messages.unqueued, open_only=True),
    DeliveryKind.ASK_INTRODUCTION: _ask_introduction,
    DeliveryKind.ASK_UPDATE: _ask_update,
    DeliveryKind.ASK_POST: _ask_post,
    DeliveryKind.ASK_POST_UPDATE: _ask_post_update,
    DeliveryKind.ASK_POST_FAILED: _ask(ask_messages.post_failed),
}


def render_together(deps: Deps, claims: list[Claimed]) -> dict[int, "Rendered | Replace | None"]:
    """What RENDERERS would render now for those of `claims` (one workspace's) whose kind
    reads many at once as cheaply as one (TOGETHER), by the claim's id; the others are left
    out, to be rendered one by one (those that name nothing among them: MissingReference)."""
    rendered: dict[int, Rendered | Replace | None] = {}
    for kind, render in TOGETHER.items():
        mine = [claim for claim in claims if claim.kind is kind]
        if mine:
            rendered.update(render(deps, mine))
    return rendered


# Kinds a lane renders a batch of together, in one transaction: a round's.
TOGETHER: dict[DeliveryKind, Callable[[Deps, list[Claimed]], dict[int, Rendered | None]]] = {
    DeliveryKind.ROUND_INTRODUCTION: _round_introductions,
}


# --- what follows: work a kind does once its message is in Slack, or never will be -----------
# After the message is in Slack (posted now, or found by its metadata after a crash), with
# its channel and ts: in the transaction that records them.
AfterSent = Callable[[Deps, Repositories, Claimed, str, str], None]


# After it failed for good (a permanent error, or too many attempts), with Slack's error
# code: in the transaction that marks it failed.
AfterFailed = Callable[[Deps, Repositories, Claimed, str], None]


@dataclass(frozen=True)
class Hooks:
    """What a kind does beyond its own message. Each hook runs in the transaction that
    records the delivery's outcome, only if this sender still held the claim (so once), and
    may queue more deliveries there (edits of messages already in Slack among them)."""

    sent: AfterSent | None = None
    failed: AfterFailed | None = None
    # A message to a group whose renderer leaves out members Slack can no longer reach: when
    # one of them made Slack refuse it, it is tried again at once, for the others.
    resent_without_the_gone: bool = False
    # A message with buttons someone may still press: when it is no longer needed but a sender
    # that died may have posted it, the copy is looked for and recorded as sent, so that its
    # `sent` hook redraws it, instead of it being left live.
    stale_copy_redrawn: bool = False


def _ask_request_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> None:
    """The candidate's DM is recorded, so that their click and everyone else's can update it;
    if the ask was taken or closed while it was on its way, its closing edit is queued."""
    ask_id = _reference(claim.about.ask_id)
    if repositories.asks.candidate_status(ask_id, claim.recipient) is None:
        return  # not a candidate of this ask (any more): no DM of theirs to keep
    repositories.asks.record_notification(ask_id, claim.recipient, channel, ts)
    ask = repositories.asks.get(claim.team_id, ask_id)
    if ask is not None and ask.status is not AskStatus.OPEN:
        repositories.asks.queue_edits(ask, [(claim.recipient, AskEdit.TOO_LATE)], deps.clock())


def _ask_request_failed(deps: Deps, repositories: Repositories, claim: Claimed, error: str) -> None:
    """A candidate Slack cannot reach (if they cannot be messaged at all, the sender has marked
    them gone): the ask passes to the next best, whose request is queued here; with nobody
    left, the ask closes and the asker's "nobody could take it" is queued instead."""
    ask_id, now = _reference(claim.about.ask_id), deps.clock()
    try:
        passed = ask_services.pass_unreachable(
            repositories,
            claim.team_id,
            ask_id,
            claim.recipient,
            now,
            deps.ask_policy_for(repositories, claim.team_id),
        )
    except ask_services.AskUnavailable:
        return  # taken, cancelled or closed meanwhile: nothing to pass on
    repositories.asks.queue_dms(passed.ask, ask_services.direct_messages(passed), now)


def _ask_introduction_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> None:
    """The pair's group DM is recorded; then the mentor's DM says they're helping (the other
    candidates' edits, who took it, were queued with the acceptance)."""
    ask_id = _reference(claim.about.ask_id)
    repositories.asks.set_group_channel(ask_id, channel)
    ask = repositories.asks.get(claim.team_id, ask_id)
    if ask is not None and ask.mentor_id is not None:
        repositories.asks.queue_edits(ask, [(ask.mentor_id, AskEdit.HELPING)], deps.clock())


def _ask_introduction_failed(deps: Deps, repositories: Repositories, claim: Claimed, error: str) -> None:
    """The pair's group DM was refused for good: if the asker is who Slack cannot reach (the
    sender has marked them gone), the mentor's DM says there is nobody to introduce them to."""
    ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
    if ask is None or ask.mentor_id is None or not repositories.profiles.deactivated(claim.team_id, ask.asker_id):
        return
    repositories.asks.queue_edits(ask, [(ask.mentor_id, AskEdit.UNINTRODUCED)], deps.clock())


def _ask_post_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> None:
    """The post's ts is kept, so that it can be redrawn; if the ask was taken, withdrawn or
    closed while it was on its way, the redraw is queued now."""
    ask_id = _reference(claim.about.ask_id)
    repositories.asks.record_post(ask_id, ts)
    ask = repositories.asks.get(claim.team_id, ask_id)
    if ask is not None and ask.status is not AskStatus.OPEN:
        repositories.asks.queue_post_update(ask, deps.clock())


def _ask_post_failed(deps: Deps, repositories: Repositories, claim: Claimed, error: str) -> None:
    """Slack refused the post for good (Mentor is not in the channel, or it is gone): the ask
    closes unanswered and the asker is told, with ways to try again."""
    ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
    if ask is None or not repositories.asks.transition(ask.id, {AskStatus.OPEN}, AskStatus.UNANSWERED, deps.clock()):
        return  # withdrawn meanwhile
    repositories.asks.queue_dms(ask, [(ask.asker_id, DeliveryKind.ASK_POST_FAILED)], deps.clock())


def _relayed(deps: Deps, repositories: Repositories, claim: Claimed, *outcome: str) -> None:
    """A message of the pair is in the other's thread, or never will be: Mentor keeps no copy."""
    message_id = claim.key.partition(":")[2]
    if message_id.isdigit():
        repositories.followups.drop_text(_reference(claim.about.followup_id), int(message_id))


# The kinds that do more than send their message, and what (beside RENDERERS).
HOOKS: dict[DeliveryKind, Hooks] = {
    DeliveryKind.ASK_REQUEST: Hooks(sent=_ask_request_sent, failed=_ask_request_failed, stale_copy_redrawn=True),
    DeliveryKind.ASK_INTRODUCTION: Hooks(sent=_ask_introduction_sent, failed=_ask_introduction_failed),
    DeliveryKind.ASK_POST: Hooks(sent=_ask_post_sent, failed=_ask_post_failed),
    DeliveryKind.ROUND_INTRODUCTION: Hooks(resent_without_the_gone=True),
    DeliveryKind.ROUND_CHECKIN: Hooks(resent_without_the_gone=True),
    DeliveryKind.FOLLOWUP_RELAY: Hooks(sent=_relayed, failed=_relayed),
}


NO_HOOKS = Hooks()
