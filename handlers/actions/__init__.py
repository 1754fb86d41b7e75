"""Buttons in messages and on the Home tab, one module per feature.

A click that opens a modal is acknowledged, and its listener runs right after the ack, in
this process (RIGHT_AWAY: its trigger id lasts 3 seconds); every other click is recorded
before its ack and its listener runs on a worker (AFTER_ACK, handlers/interactions.py).

Button values and block ids come back from Slack's clients and are not trusted: every id
is checked against who clicked, in the use case itself."""

import re
from collections.abc import Callable

from slack_bolt import App

from bot import ids
from deps import Deps
from handlers.actions import asks, followups, members, program, programs, rounds
from handlers.interactions import acknowledge_first, defer_click
from handlers.listeners import bind

RIGHT_AWAY: dict[str, Callable[..., None]] = {
    ids.OPEN_PROFILE: members.open_profile,
    ids.FIND_MENTOR: asks.find_mentor,
    ids.FOLLOWUP_ADD_NOTE: followups.open_followup_modal,
    ids.FOLLOWUP_REPLY: followups.open_followup_modal,
    ids.SAY_THANKS: rounds.say_thanks,
    ids.OPEN_SETTINGS: program.open_settings,
    ids.NEW_PROGRAM: programs.new_program,
}
AFTER_ACK: dict[str, Callable[..., None]] = {
    ids.FORGET_ME: members.forget_me,
    ids.FORGET_CANCEL: members.keep_me,
    ids.ACCEPT_ASK: asks.accept_ask,
    ids.PASS_ASK: asks.pass_ask,
    ids.CANCEL_ASK: asks.cancel_ask,
    ids.PICK_ASK_SKILL: asks.pick_ask_skill,
    ids.SELECT_ASK_SKILL: asks.select_ask_skill,
    ids.NAME_ASK_SKILL: asks.name_ask_skill,
    ids.POST_ASK: asks.post_ask,
    ids.POST_ASK_ANONYMOUSLY: asks.post_ask,
    ids.CLAIM_ASK: asks.claim_ask,
    ids.ASK_AGAIN: asks.ask_again,
    ids.ASK_OTHER_SKILL: asks.ask_other_skill,
    **dict.fromkeys(ids.FOLLOWUP_CHOICES.values(), followups.answer_followup),
    ids.FOLLOWUP_SEND_NOW: followups.send_now,
    ids.FOLLOWUP_SHARE: followups.share,
    ids.ASK_HOW_IT_WENT: followups.ask_how_it_went,
    ids.FOLLOWUPS_OFF: followups.switch_followups,
    ids.FOLLOWUPS_ON: followups.switch_followups,
    ids.JOIN_ROUND: rounds.join_or_leave_round,
    ids.LEAVE_ROUND: rounds.join_or_leave_round,
    ids.PAUSE_ROUNDS: rounds.pause_rounds,
    ids.RESUME_ROUNDS: rounds.resume_rounds,
    ids.SKIP_ROUND: rounds.skip_round,
    ids.UNSKIP_ROUND: rounds.skip_round,
    **dict.fromkeys(ids.CHECKIN_CHOICES.values(), rounds.answer_checkin),
    **dict.fromkeys(ids.LEARNED_CHOICES.values(), rounds.answer_learned),
    ids.KEEP_PARTNER: rounds.keep_partner,
    ids.ROUND_STARTER: rounds.give_starter,
    ids.NEW_PARTNER: rounds.keep_partner,
    ids.SEND_CHART: program.send_chart,
    ids.SEND_EXPORT: program.send_export,
    **dict.fromkeys(programs.STATUSES, programs.change_status),
    ids.ENROLL_CHANNEL: programs.enroll_channel,
    ids.SKIP_ENROLL: programs.skip_enroll,
    **dict.fromkeys(ids.PICK_CATEGORY, programs.pick_category),
}


def register(app: App, deps: Deps) -> None:
    # One listener for every click done after its ack, tried first: Bolt tries listeners one
    # at a time, injecting each one's arguments anew, so with a listener per button a click
    # paid some 30 tries before its own, a third of the interpreter's time while acknowledging
    # a burst of clicks (py-spy, bench/load.py's setup).
    app.action(re.compile(f"^(?:{'|'.join(map(re.escape, AFTER_ACK))})$"))(bind(defer_click, deps))
    for action_id, listener in RIGHT_AWAY.items():
        app.action(action_id)(acknowledge_first(listener, deps))
