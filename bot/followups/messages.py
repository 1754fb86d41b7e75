"""What the bot says when it closes the loop: to the mentee, to the mentor, on the Home tab."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import blocks
from bot.followups.model import MENTOR_SIDE, NOT_YET, FollowUp, FollowUpPolicy, FollowUpStatus, Outcome
from bot.ids import (
    ASK_HOW_IT_WENT,
    FOLLOWUP_ADD_NOTE,
    FOLLOWUP_CHOICES,
    FOLLOWUP_NOTE_VIEW,
    FOLLOWUP_REPLY,
    FOLLOWUP_REPLY_VIEW,
    FOLLOWUP_SEND_NOW,
    FOLLOWUP_SHARE,
    FOLLOWUPS_OFF,
    FOLLOWUPS_ON,
    NOTE_INPUT,
    SHARE_INPUT,
    SLASH_COMMAND,
)
from bot.members.model import is_forgotten, person
from bot.text import escape_mrkdwn, shown

EXCERPT = 150


MAX_LISTED = 8


SHARE_OPTION = "yes"


def _skill(followup: FollowUp) -> str:
    return f"*{escape_mrkdwn(followup.skill.label)}*" if followup.skill else "your question"


def when(then: datetime, now: datetime) -> str:
    """How long ago, as the start of a sentence: "Last week", "Yesterday"…"""
    days = (now - then).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if days < 7:
        return f"{days} days ago"
    if days < 14:
        return "Last week"
    return f"{days // 7} weeks ago"


def _outcome_said(outcome: Outcome) -> str:
    return {
        Outcome.HELPED: "it helped",
        Outcome.MIXED: "it was a mixed result",
        Outcome.DIDNT_HELP: "it didn't help",
        Outcome.NOT_RELEVANT: "it turned out not to be relevant",
    }[outcome]


def timing(delay: timedelta) -> str:
    """When the first follow-up comes after "I can help", as every message promises it:
    "in about a week" by default, else the workspace's (or deployment's) real setting."""
    days = delay.days
    if days <= 0:
        return "right away"
    if days == 1:
        return "the next working day"
    if days % 7 == 0:
        weeks = days // 7
        return "in about a week" if weeks == 1 else f"in about {weeks} weeks"
    return f"in about {days} days"


# --- to the mentee ------------------------------------------------------------------------
def _choice_buttons(followup: FollowUp, policy: FollowUpPolicy) -> dict:
    choices = [
        (Outcome.HELPED.value, Outcome.HELPED.label, "primary"),
        (Outcome.MIXED.value, Outcome.MIXED.label, None),
        (Outcome.DIDNT_HELP.value, Outcome.DIDNT_HELP.label, None),
        (NOT_YET, "Not yet", None),
        (Outcome.NOT_RELEVANT.value, Outcome.NOT_RELEVANT.label, None),
    ]
    if followup.snoozes >= policy.max_snoozes:
        choices = [choice for choice in choices if choice[0] != NOT_YET]
    return blocks.actions(
        *(
            blocks.button(label, FOLLOWUP_CHOICES[value], value=str(followup.id), style=style)
            for value, label, style in choices
        )
    )


def prompt(followup: FollowUp, now: datetime, policy: FollowUpPolicy, reminder: bool = False) -> dict:
    """The mentee's DM: did you try it? What happened?"""
    opening = "A gentle reminder: " if reminder else ""
    asked = f"{when(followup.helped_at, now)} <@{followup.mentor_id}> helped you with {_skill(followup)}"
    text = f"{opening}{asked}: did you try it? What happened?"
    body = [blocks.section(text)]
    if followup.question:
        body.append(blocks.context("Your question: " + shown(followup.question, EXCERPT)))
    body += [
        _choice_buttons(followup, policy),
        blocks.context(
            f"Reply in this thread to add a note for <@{followup.mentor_id}>; only they will see it. "
            "“Not yet” asks again in a week."
        ),
        blocks.actions(blocks.button("Turn off follow-ups", FOLLOWUPS_OFF)),
    ]
    return blocks.message(text, *body)


def nudge(followup: FollowUp, reminder: bool) -> dict:
    """A reminder, or the question asked again after "Not yet": a reply in the prompt's own
    thread, which Slack shows to the mentee, with no buttons of its own (the prompt's are the
    only ones live)."""
    opening = "A gentle reminder" if reminder else "As promised, I'm asking again"
    text = (
        f"{opening}: did you try what <@{followup.mentor_id}> suggested about {_skill(followup)}? "
        "Pick an answer in the message above."
    )
    return blocks.message(text)


def as_it_stands(followup: FollowUp, now: datetime, policy: FollowUpPolicy) -> dict:
    """The prompt, redrawn: its buttons while the mentee is being asked, else where things stand."""
    if followup.status is FollowUpStatus.SENT:
        return prompt(followup, now, policy)
    return answered(followup)


def answered(followup: FollowUp) -> dict:
    """What the prompt turns into once the mentee has chosen (redrawn in place: FOLLOWUP_UPDATE)."""
    mentor = f"<@{followup.mentor_id}>"
    if followup.status is FollowUpStatus.SNOOZED:
        return blocks.message(f"No rush. I'll ask again about {_skill(followup)} in a week.")
    if followup.status is not FollowUpStatus.ANSWERED or followup.outcome is None:  # answered: it has one
        return blocks.message(f"This follow-up about {_skill(followup)} has closed. Thanks anyway!")
    if followup.outcome is Outcome.NOT_RELEVANT:
        return blocks.message(f"Noted: not relevant. I won't ask about {_skill(followup)} again.")
    text = f"You said *{followup.outcome.label}* about {_skill(followup)}."
    body = [blocks.section(text)]
    if followup.note:
        body.append(blocks.section("Your note:\n" + blocks.quote(followup.note)))
    if followup.reported:
        body.append(
            blocks.context(
                f"I've passed it on to {mentor}. Thank you for closing the loop! "
                "If they reply, it comes in this thread, and you can answer here."
            )
        )
    else:
        body.append(
            blocks.section(
                f"I'll tell {mentor} shortly. Add a note first if you like: what you tried, what happened. "
                "Reply in this thread, or:"
            )
        )
        body.append(
            blocks.actions(
                blocks.button("Add a note", FOLLOWUP_ADD_NOTE, value=str(followup.id), style="primary"),
                blocks.button("Send without a note", FOLLOWUP_SEND_NOW, value=str(followup.id)),
            )
        )
    body.append(_share_toggle(followup))
    return blocks.message(f"{text} Thank you for closing the loop.", *body)


def _share_toggle(followup: FollowUp) -> dict:
    # The note is mentioned only to someone who wrote one.
    never = " Your note never does." if followup.note else ""
    if followup.shared:
        return {
            "type": "section",
            "text": blocks.mrkdwn(f"Your answer counts, anonymised, in the program's figures.{never}"),
            "accessory": blocks.button("Keep it private", FOLLOWUP_SHARE, value=f"{followup.id}:no"),
        }
    return {
        "type": "section",
        "text": blocks.mrkdwn(
            f"Your answer stays between you and <@{followup.mentor_id}>. You can let it count, anonymised, "
            f"in the program's figures.{never}"
        ),
        "accessory": blocks.button("Let it count", FOLLOWUP_SHARE, value=f"{followup.id}:yes"),
    }


def note_modal(followup: FollowUp) -> dict:
    share_option = {
        "text": blocks.plain("Let my answer count, anonymised, in the program's figures", 75),
        "description": blocks.plain("Admins see totals only, never your note.", 75),
        "value": SHARE_OPTION,
    }
    checkbox: dict = {"type": "checkboxes", "action_id": SHARE_INPUT, "options": [share_option]}
    if followup.shared:
        checkbox["initial_options"] = [share_option]
    return {
        "type": "modal",
        "callback_id": FOLLOWUP_NOTE_VIEW,
        "private_metadata": str(followup.id),
        "title": blocks.plain("A note for your mentor", 24),
        "submit": blocks.plain("Send", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            blocks.section(f"What did you try, and what happened? Only <@{followup.mentor_id}> will read this."),
            {
                "type": "input",
                "block_id": NOTE_INPUT,
                "label": blocks.plain("Your note", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "multiline": True,
                    "max_length": 1000,
                },
            },
            {
                "type": "input",
                "block_id": SHARE_INPUT,
                "optional": True,
                "label": blocks.plain("Figures", 2000),
                "element": checkbox,
            },
        ],
    }


def reply_from_mentor(followup: FollowUp) -> dict:
    """The mentor's one reply, as versions before relayed messages queued it."""
    text = f"<@{followup.mentor_id}> replied about {_skill(followup)}:"
    return blocks.message(text, blocks.section(text + "\n" + blocks.quote(followup.mentor_reply)))


def relayed(followup: FollowUp, author_id: str, message: str) -> dict:
    """What one of the pair wrote, to the other, in the thread of their follow-up."""
    text = f"<@{author_id}> wrote about {_skill(followup)}:"
    return blocks.message(
        text,
        blocks.section(text + "\n" + blocks.quote(message)),
        blocks.context(
            f"Reply in this thread and I'll pass it on to <@{author_id}>, privately. "
            "Or write to each other in your group DM."
        ),
    )


def passed_on(recipient: str) -> dict:
    return blocks.message(f"Passed on to <@{recipient}>.")


def refused(reason: str) -> dict:
    mentor = MENTOR_SIDE
    texts = {
        "not_yours": "That follow-up isn't yours to answer.",
        "not_the_mentor": "Only the mentor who helped can do that.",
        "already_answered": "You've already answered this one. Thank you!",
        "already_snoozed": "I'll ask again in a week; nothing to do until then.",
        "no_more_snoozes": "I've asked twice already: pick the answer that fits best, or “Not relevant”.",
        "already_reported": "Your mentor has already heard how it went.",
        "note_already_sent": "I have your note already: pick how it went above, and it goes to your mentor.",
        "empty_note": "The note is empty: write a few words, or skip it.",
        "unknown_choice": "That isn't one of the answers.",
        "busy": "Something else changed this follow-up just now. Please try again.",
        "followups_off": "They've turned follow-ups off, so I won't ask them.",
        FollowUpStatus.SCHEDULED.value: "I haven't asked about this one yet.",
        mentor + FollowUpStatus.SCHEDULED.value: "They haven't answered yet; their answer will come to you.",
        mentor + FollowUpStatus.SENT.value: "I've already asked them; their answer will come to you.",
        mentor + FollowUpStatus.ANSWERED.value: "They've answered; my DM about it is on its way. Reply to it there.",
        mentor + FollowUpStatus.UNANSWERED.value: "They didn't answer my questions; maybe ask in your group DM.",
        mentor + FollowUpStatus.CANCELLED.value: "They've turned follow-ups off, so I won't ask them.",
        mentor + FollowUpStatus.SNOOZED.value: "They asked me to come back later; I will.",
    }
    return blocks.message(texts.get(reason, "This follow-up has closed. Thanks anyway!"))


def note_kept_for_later(followup: FollowUp) -> dict:
    return blocks.message(
        "Got your note. Pick how it went with the buttons above "
        f"and it goes to <@{followup.mentor_id}> with your answer."
    )


def note_passed_on(followup: FollowUp) -> dict:
    return blocks.message(f"Thanks! Your note is on its way to <@{followup.mentor_id}>.")


def what_i_can_do(in_a_thread: bool = False) -> dict:
    """The answer to a DM that is not in a follow-up's thread: what Mentor can do instead."""
    opening = (
        "This thread isn't one of my follow-ups, so there's nobody to pass it on to."
        if in_a_thread
        else "Hi! Here's what I can do for you:"
    )
    command = SLASH_COMMAND
    text = (
        f"{opening}\n"
        f"• Find someone to help you: `{command} ask How do I …?`\n"
        f"• Help others with what you know: `{command} offer SQL, public speaking`\n"
        "• Tell your mentor how their advice went, or write to them: reply in the thread of my follow-up\n"
        f"`{command} help` lists the rest."
    )
    return blocks.message(text)


def followups_switched(enabled: bool, delay: timedelta, cancelled: int = 0) -> dict:
    if enabled:
        return blocks.message(
            f"Follow-ups are on: when someone helps you, I'll ask you {timing(delay)} how it went and tell them. "
            f"`{SLASH_COMMAND} followups off` turns them off."
        )
    stopped = f" I've cancelled {cancelled} that were waiting." if cancelled else ""
    return blocks.message(
        f"Follow-ups are off: I won't ask how advice went.{stopped} `{SLASH_COMMAND} followups on` turns them back on."
    )


# --- to the mentor ------------------------------------------------------------------------
def _reply_button(followup: FollowUp) -> dict:
    return blocks.actions(blocks.button("Reply", FOLLOWUP_REPLY, value=str(followup.id)))


def report(followup: FollowUp) -> dict:
    """The mentor's DM: what came of the advice."""
    if followup.outcome is None:  # a note, but no answer to how it went
        text = f"<@{followup.mentee_id}> wrote about your help with {_skill(followup)}:"
    else:
        text = f"<@{followup.mentee_id}> closed the loop on {_skill(followup)}: {_outcome_said(followup.outcome)}."
    body = [blocks.section(text)]
    if followup.note_in_report:
        body.append(blocks.section(blocks.quote(followup.note)))
    body += [
        _reply_button(followup),
        blocks.context(
            f"Only you see this. Reply in this thread and I'll pass it on to <@{followup.mentee_id}>, "
            "or write to them in your group DM."
        ),
    ]
    return blocks.message(text, *body)


def note_added(followup: FollowUp) -> dict:
    text = f"<@{followup.mentee_id}> added a note about {_skill(followup)}:"
    return blocks.message(text, blocks.section(text + "\n" + blocks.quote(followup.note)), _reply_button(followup))


def reply_modal(followup: FollowUp) -> dict:
    return {
        "type": "modal",
        "callback_id": FOLLOWUP_REPLY_VIEW,
        "private_metadata": str(followup.id),
        "title": blocks.plain("Reply", 24),
        "submit": blocks.plain("Send", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": NOTE_INPUT,
                "label": blocks.plain("Your reply", 2000),
                "element": {"type": "plain_text_input", "action_id": NOTE_INPUT, "multiline": True, "max_length": 1000},
            }
        ],
    }


def will_ask(followup: FollowUp) -> dict:
    return blocks.message(f"I'll ask <@{followup.mentee_id}> how it went at their next working hour, and tell you.")


# --- the Home tab ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AdviceGiven:
    """An ask a mentor took, with its follow-up if there is one."""

    ask_id: int
    followup: FollowUp | None
    mentee_id: str
    skill_label: str | None


def _state(followup: FollowUp | None) -> str:
    if followup is None:
        return "no follow-up"
    if followup.status is FollowUpStatus.ANSWERED:
        said = f"*{followup.outcome.label}*" if followup.outcome else "answered"
        return said + (f" · “{shown(followup.note, EXCERPT)}”" if followup.note and followup.reported else "")
    return {
        FollowUpStatus.SCHEDULED: "I'll ask how it went"
        + (f" after {followup.due_at:%-d %b}" if followup.due_at else ""),
        FollowUpStatus.SENT: "asked, waiting for an answer",
        FollowUpStatus.SNOOZED: "asked; they'll answer later",
        FollowUpStatus.UNANSWERED: "no answer",
        FollowUpStatus.CANCELLED: "follow-ups off",
    }[followup.status]


def waiting_blocks(waiting: list[FollowUp], policy: FollowUpPolicy, limit: int = MAX_LISTED) -> list[dict]:
    """Follow-ups waiting for my answer, for the Home tab: at most `limit`, then how many more."""
    body = []
    for followup in waiting[:limit]:
        body.append(
            blocks.section(
                f"<@{followup.mentor_id}> helped you with {_skill(followup)}: did you try it? What happened?"
            )
        )
        body.append(_choice_buttons(followup, policy))
    if len(waiting) > limit:
        body.append(blocks.context(f"…and {len(waiting) - limit} more in your messages from Mentor."))
    return body


def home_blocks(given: list[AdviceGiven], beside: Mapping[int, dict] | None = None) -> list[dict]:
    """The advice I gave with what came of it, each with the block `beside` holds for its ask
    (a thank-you from its mentee: bot.home) under it; nothing when I have given none."""
    if not given:
        return []
    beside = beside or {}
    body = [blocks.divider(), blocks.header("Advice you gave")]
    for advice in given[:MAX_LISTED]:
        skill = f"*{escape_mrkdwn(advice.skill_label)}*" if advice.skill_label else "a question"
        line: dict = blocks.section(f"{person(advice.mentee_id)} · {skill} · {_state(advice.followup)}")
        if not is_forgotten(advice.mentee_id) and (
            advice.followup is None or advice.followup.status is FollowUpStatus.SCHEDULED
        ):
            line["accessory"] = blocks.button("Ask how it went", ASK_HOW_IT_WENT, value=str(advice.ask_id))
        body.append(line)
        if advice.ask_id in beside:
            body.append(beside[advice.ask_id])
    return body


def followups_switch(enabled: bool) -> dict:
    """The button that turns follow-ups off, or back on."""
    if enabled:
        return blocks.button("Turn off follow-ups", FOLLOWUPS_OFF)
    return blocks.button("Turn on follow-ups", FOLLOWUPS_ON)
