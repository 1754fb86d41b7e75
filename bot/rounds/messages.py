"""What members see of rounds: introductions, notices, check-ins and month-end questions."""

from datetime import date

from bot import blocks
from bot.ids import (
    CHECKIN_CHOICES,
    JOIN_ROUND,
    KEEP_PARTNER,
    LEARNED_CHOICES,
    LEAVE_ROUND,
    NEW_PARTNER,
    PAUSE_ROUNDS,
    RESUME_ROUNDS,
    ROUND_STARTER,
    SAY_THANKS,
    SKIP_ROUND,
    SLASH_COMMAND,
    THANKS_NOTE,
    THANKS_SHARE,
    THANKS_TO,
    THANKS_VIEW,
    UNSKIP_ROUND,
)
from bot.rounds import program_messages
from bot.rounds.model import (
    MAX_THANKS_LENGTH,
    MONTHLY,
    PAUSED_UNTIL_RESUMED,
    QUIET_INTROS,
    TEAM_CATEGORY,
    CheckinOutcome,
    Introduction,
    Joined,
    Learned,
    Left,
    Membership,
    Pairing,
    PartnerGone,
    Pick,
    Program,
    RoundKind,
    RoundsNow,
    Thanks,
    ThanksForm,
    Unmatched,
)
from bot.rounds.schedule import Schedule, day_and_hour, when
from bot.rounds.starters import Starter
from bot.text import escape_mrkdwn, shown

OBJECTIVES_SHOWN = 300


def _name(program: Program) -> str:
    """How a sentence names the program ("coffee chats", or its admins' name for it), escaped once."""
    return escape_mrkdwn(program.label)


def _title(program: Program) -> str:
    """The program at the head of a message: "Coffee chat", "Reverse mentoring", or its name."""
    if not program.built_in:
        return escape_mrkdwn(program.name)
    return "Coffee chat" if program.kind is RoundKind.COFFEE else "Reverse mentoring"


def _skills(labels: tuple[str, ...]) -> str:
    named = [f"*{escape_mrkdwn(label)}*" for label in labels]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _people(user_ids: tuple[str, ...]) -> str:
    named = [f"<@{user_id}>" for user_id in user_ids]
    return ", ".join(named[:-1]) + " and " + named[-1]


def _named(user_ids: tuple[str, ...]) -> str:
    """One person or several, mentioned."""
    return _people(user_ids) if len(user_ids) > 1 else f"<@{user_ids[0]}>"


def _gaps(members: tuple[str, ...], teaching: tuple[tuple[str, str, tuple[str, ...]], ...]) -> str:
    """Who teaches nobody and who learns from nobody in the group, as a question to find out,
    so every member is named both ways (a trio's skills often meet one way only)."""
    teaches = {teacher for teacher, _, _ in teaching}
    learns = {learner for _, learner, _ in teaching}
    said = []
    for user_id in members:
        if user_id not in teaches and user_id not in learns:
            said.append(f"what <@{user_id}> could teach and learn")
        elif user_id not in teaches:
            said.append(f"what <@{user_id}> could teach")
        elif user_id not in learns:
            said.append(f"what <@{user_id}> could learn")
    return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)


def introduction(intro: Introduction) -> dict:
    """The group DM that starts a coffee chat, a reverse-mentoring pair, or a mentoring group
    (saying who mentors whom)."""
    group, program = intro.group, intro.program
    if program.kind is RoundKind.COFFEE:
        text = f":coffee: {_title(program)}: {_people(group.members)}, meet each other!"
    elif program.kind is RoundKind.MENTORING and group.mentor is not None:
        mentees = tuple(user_id for user_id in group.members if user_id != group.mentor)
        text = f":seedling: {_title(program)}: <@{group.mentor}> mentors {_named(mentees)} this round."
    elif group.continuing:
        again = "another month together" if program.every_weeks == MONTHLY else "another round together"
        text = (
            f":arrows_counterclockwise: {_title(program)}, {again}: {_people(group.members)}, "
            "you both chose to continue."
        )
    else:
        when = " this month" if program.every_weeks == MONTHLY else ""
        text = f":arrows_counterclockwise: {_title(program)}{when}: {_people(group.members)}."
    lines = []
    for teacher, learner, labels in group.teaching:
        if program.kind is RoundKind.REVERSE and teacher == group.members[0]:  # the early-career member
            lines.append(f"<@{teacher}> teaches <@{learner}> {_skills(labels)}")
        else:
            lines.append(f"<@{teacher}> can help <@{learner}> with {_skills(labels)}")
    why = "; ".join(lines) + "." if lines else "You don't know each other's skills yet: a good first thing to find out."
    if lines and (gaps := _gaps(group.members, group.teaching)):
        why += f"\nStill to find out: {gaps}."
    body = [blocks.section(text), blocks.section("*Why you:* " + why)]
    if group.reasons:
        body.append(blocks.context("Also: " + ", ".join(group.reasons) + "."))
    goals = [
        f"<@{user_id}>: {shown(intro.objectives[user_id], OBJECTIVES_SHOWN)}"
        for user_id in group.members
        if intro.objectives.get(user_id)
    ]
    if goals:
        body.append(blocks.section("*What you're after*\n" + "\n".join(goals)))
    opening = "A question for this month" if group.continuing else "A first question"
    body.append(blocks.section(f"*{opening}:* “{group.question}”"))
    if intro.joined:
        body.append(blocks.context(f"{_named(intro.joined)} joined you this round: their partner couldn't make it."))
    body.append(
        blocks.context(
            f"<@{group.proposer}>, could you propose a time? 30 minutes is plenty. "
            f"Not a good moment? `{SLASH_COMMAND} pause 2w` skips a while."
        )
    )
    if intro.group_id is not None:
        body.append(blocks.actions(blocks.button("Give us a question", ROUND_STARTER, value=str(intro.group_id))))
    return blocks.message(text, *body)


def starter_post(starter: Starter, group_id: int) -> dict:
    """A conversation starter, to the group that asked for one; another is a click away."""
    text = f"*A question to get you talking:* {starter.text}"
    return blocks.message(
        text,
        blocks.section(text),
        blocks.actions(blocks.button("Another question", ROUND_STARTER, value=str(group_id))),
    )


def _labels(programs: tuple[Program, ...]) -> str:
    names = [_name(program) for program in programs]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _until(state: Membership) -> str:
    return "until you resume" if state.paused_until == PAUSED_UNTIL_RESUMED else f"until {state.paused_until:%-d %B %Y}"


def _pause_line(state: Membership, today: date) -> str:
    if not state.paused_on(today):
        return ""
    return f"Paused {_until(state)}: `{SLASH_COMMAND} resume` to come back."


Offer = tuple[Program, Schedule]  # a program a member could join, and when its rounds come


def join_hint(program: Program, schedule: Schedule) -> str:
    """How to join `program`, at its real cadence, hour and zone."""
    often = when(schedule)
    if program.channel:
        return f"join <#{program.channel}> for {_name(program)} {often}"
    if program.key == RoundKind.COFFEE.value:
        return f"`{SLASH_COMMAND} join coffee` pairs you for a chat {often}"
    if program.key == RoundKind.REVERSE.value:
        return f"`{SLASH_COMMAND} join reverse` pairs early-career and senior colleagues {often}"
    return f"`{SLASH_COMMAND} join {program.key}`: {_name(program)}, {often}"


def _reply(text: str, offered: tuple[Offer, ...]) -> dict:
    """`text`, with how to join the programs the member is not in (if any)."""
    body = [blocks.section(text)]
    if offered:
        body.append(blocks.context("; ".join(join_hint(program, schedule) for program, schedule in offered) + "."))
    return blocks.message(text, *body)


def _standing(state: Membership, programs: tuple[Program, ...], today: date) -> str:
    """Where the member stands in rounds: which programs, and any pause."""
    where = f"You're in {_labels(programs)}." if programs else "You're in no rounds."
    return f"{where} {_pause_line(state, today)}".strip()


# Each reply below says what changed once, then only what did not: the programs the member
# is in besides, and a pause the change did not make.
def joined(joined: Joined, today: date, offered: tuple[Offer, ...], pick: Pick | None = None) -> dict:
    """`/mentor join`'s answer: where the member now stands, whether the program's admins
    have paused it for now, and the buttons to pick their group if it introduces by one."""
    state, name = joined.membership, _name(joined.program)
    said = f"Joined {name}" + (f"; you're also in {_labels(joined.others)}." if joined.others else ".")
    if joined.on_hold:
        said += f" Your program's admins have paused {name} for now: you'll be paired once it is back."
    reply = _reply(f"{said} {_pause_line(state, today)}".strip(), offered)
    if pick is not None:
        reply["blocks"][1:1] = program_messages.pick_blocks(pick, "")
    return reply


def left(left: Left, today: date, offered: tuple[Offer, ...]) -> dict:
    """`/mentor leave`'s answer; to someone who was not in that program, that they were not."""
    state, name, others = left.membership, _name(left.program), left.others
    if not left.was_in:
        said = f"You weren't in {name}" + (f"; you're in {_labels(others)}." if others else ", nor any round.")
    else:
        still = f"; you're still in {_labels(others)}." if others else ": you're in no rounds now."
        said = f"Left {name}{still}"
    return _reply(f"{said} {_pause_line(state, today)}".strip(), offered)


def paused(state: Membership, programs: tuple[Program, ...], offered: tuple[Offer, ...]) -> dict:
    """`/mentor pause`'s answer: until when, and which rounds wait meanwhile."""
    paused_from = "no rounds and no asks reach you" if programs else "no asks reach you"
    return _reply(f"Paused {_until(state)}: {paused_from} meanwhile. `{SLASH_COMMAND} resume` to come back.", offered)


def resumed(programs: tuple[Program, ...], offered: tuple[Offer, ...]) -> dict:
    """`/mentor resume`'s answer."""
    where = f"You're in {_labels(programs)}." if programs else "Asks reach you again."
    return _reply(f"Welcome back. {where}", offered)


def _pairing_line(pairing: Pairing, user_id: str) -> str:
    """A current pairing seen by `user_id`: with whom since when, and who helps whom with what."""
    line = f"*{_title(pairing.program)}* with {_named(pairing.partners)}, since {pairing.held_on:%A %-d %B}."
    for teacher, learner, labels in pairing.teaching:
        if teacher == user_id:
            line += f" You can help <@{learner}> with {_skills(labels)}."
        elif learner == user_id:
            line += f" <@{teacher}> can help you with {_skills(labels)}."
    return line


def home_blocks(now: RoundsNow, user_id: str, today: date) -> list[dict]:
    """The rounds section of the Home tab: my current pairings, when the next rounds are,
    what I'm in, with buttons to change it."""
    state = now.membership
    if not (now.joined or now.current):
        invite = "*Meet colleagues:* a coffee chat every few weeks, or reverse mentoring each month."
        if state.paused_on(today):
            invite += " " + _standing(state, now.joined, today)
        return [blocks.divider(), blocks.section(invite), *_membership_buttons(now, today)]
    defaults = all(program.built_in for program in (*now.joined, *now.offered))
    body = [blocks.divider(), blocks.header("Coffee chats and reverse mentoring" if defaults else "Your programs")]
    body += [blocks.section(_pairing_line(pairing, user_id)) for pairing in now.current]
    summary = _standing(state, now.joined, today)
    if len(now.next_on) == 1:
        summary += f" Next round: {day_and_hour(now.next_on[0][1])}."
    elif now.next_on:
        summary += (
            " Next rounds: "
            + "; ".join(f"{_name(program)} on {day_and_hour(start)}" for program, start in now.next_on)
            + "."
        )
    for program in now.on_hold:
        summary += f" Your program's admins have paused {_name(program)} for now: you'll be paired once it is back."
    body.append(blocks.section(summary))
    for pick in now.picks:  # where the member changes their group in a program's category
        body += program_messages.pick_blocks(pick, f"{_title(pick.program)} · ")
    return body + _membership_buttons(now, today)


def _membership_buttons(now: RoundsNow, today: date) -> list[dict]:
    body = []
    # One actions block per program: a join and a leave button share ids across programs.
    for program in sorted((*now.joined, *now.offered), key=lambda program: program in now.offered):
        if program in now.joined and program.channel:  # leaving the channel is leaving the program
            body.append(blocks.context(f"Leave <#{program.channel}> to leave {_name(program)}."))
        elif program in now.joined:
            body.append(blocks.actions(blocks.button(f"Leave {_name(program)}", LEAVE_ROUND, value=program.key)))
        elif program.channel:  # its channel's members are the program's: joining the channel joins it
            body.append(blocks.context(f"Join <#{program.channel}> to take part in {_name(program)}."))
        else:
            body.append(blocks.actions(blocks.button(f"Join {_name(program)}", JOIN_ROUND, value=program.key)))
    # Resume for anyone paused (a pause holds asks too); a pause offered to those in rounds.
    if now.membership.paused_on(today):
        body.append(blocks.actions(blocks.button("Resume", RESUME_ROUNDS)))
    elif now.joined:
        body.append(blocks.actions(blocks.button("Pause 2 weeks", PAUSE_ROUNDS, value="2w")))
    return body


def notice(program: Program, held_on: date, skipped: bool = False) -> dict:
    """The day before a round: it is coming, and skipping it is one click."""
    value = f"{program.key}:{held_on.isoformat()}"
    if skipped:
        text = f"You'll skip {_name(program)} on {held_on:%A %-d %B}; you're still in for the next round."
        undo = blocks.button("Join this round after all", UNSKIP_ROUND, value=value)
        return blocks.message(text, blocks.section(text), blocks.actions(undo))
    grouped = "group you" if program.group_size > 2 else "pair you"
    text = f"Tomorrow I'll {grouped} for {_name(program)}. Busy this time? Skip it: you stay in for the next one."
    return blocks.message(
        text,
        blocks.section(text),
        blocks.actions(blocks.button("Skip this round", SKIP_ROUND, value=value)),
        blocks.context(f"`{SLASH_COMMAND} leave {program.key}` stops them; `{SLASH_COMMAND} pause 2w` takes a break."),
    )


def round_started(program: Program) -> dict:
    return blocks.message(f"This round of {_name(program)} has started already; you can skip the next one.")


def _answer_buttons(answers: type[CheckinOutcome] | type[Learned], action_ids: dict[str, str], group_id: int) -> dict:
    """One button per answer, each carrying the group's id."""
    return blocks.actions(
        *(
            blocks.button(answers(value).label, action_id, value=str(group_id))
            for value, action_id in action_ids.items()
        )
    )


def checkin(
    group_id: int, members: tuple[str, ...], outcome: str | None = None, answered_by: str | None = None
) -> dict:
    """Halfway through the cadence, in the group DM: did you meet?"""
    if outcome is not None:
        text = f"<@{answered_by}> answered: *{CheckinOutcome(outcome).label}*. Thanks for letting me know!"
        if outcome != CheckinOutcome.MET.value:
            return blocks.message(text)
        return blocks.message(
            text,
            blocks.section(text),
            blocks.actions(blocks.button("Say thanks", SAY_THANKS, value=str(group_id))),
            blocks.context("A thank-you goes only to whom you thank, unless you choose to post it."),
        )
    text = f"Halfway to the next round: did you meet, {_people(members)}?"
    return blocks.message(
        text,
        blocks.section(text),
        _answer_buttons(CheckinOutcome, CHECKIN_CHOICES, group_id),
    )


def announcement(program: Program, groups: int, people: int) -> dict:
    """A round's figures, for the program channel: how many, never who."""
    kind = program.kind
    unit = ("intro", "intros") if kind is RoundKind.COFFEE else ("pair", "pairs")
    if kind is RoundKind.MENTORING and program.group_size > 2:
        unit = ("group", "groups")
    counted = f"{people} people in {groups} {unit[groups != 1]}"
    if kind is RoundKind.COFFEE:
        text = f":coffee: This round of {_name(program)} introduced {counted}."
    elif kind is RoundKind.MENTORING:
        text = f":seedling: This round of {_name(program)} put mentors with mentees: {counted}."
    elif not program.built_in:
        text = f":arrows_counterclockwise: This round of {_name(program)} paired {counted}."
    else:
        text = (
            f":arrows_counterclockwise: This month's reverse mentoring paired {counted}: "
            "early-career colleagues teaching senior ones."
        )
    return blocks.message(
        text,
        blocks.section(text),
        blocks.context(
            f"Want in next time? `{SLASH_COMMAND} join {program.key}` — "
            f"and `{SLASH_COMMAND} leave {program.key}` any time."
        ),
    )


def quiet_paused(program: Program) -> dict:
    """To a member paused for leaving QUIET_INTROS of the program's introductions unanswered."""
    if program.key == RoundKind.COFFEE.value:
        which, paused = "coffee introductions", "your coffee chats"
    else:
        which, paused = f"introductions in {_name(program)}", "your rounds"
    text = (
        f"Your last {QUIET_INTROS} {which} went without an answer, so I've paused {paused}: "
        f"no hard feelings, life gets busy. `{SLASH_COMMAND} resume` brings them back whenever you like."
    )
    return blocks.message(text)


_UNMATCHED = {
    (RoundKind.COFFEE, Unmatched.TOO_FEW): (
        "I couldn't find anyone to pair you with for coffee chats this round: nobody else was in it."
    ),
    (RoundKind.COFFEE, Unmatched.NO_FIT): "I couldn't find anyone to pair you with for coffee chats this round.",
    (RoundKind.REVERSE, Unmatched.TOO_FEW): (
        "Reverse mentoring pairs early-career colleagues with senior ones, and nobody from the other side "
        "was in this round, so I couldn't pair you."
    ),
    (RoundKind.REVERSE, Unmatched.CAREER_STAGE): (
        "Reverse mentoring pairs early-career colleagues with senior ones, and your profile says neither, "
        "so I couldn't pair you."
    ),
    (RoundKind.REVERSE, Unmatched.NO_FIT): (
        "Nobody fit you for reverse mentoring this round: it pairs you when the early-career side offers "
        "something the senior side wants."
    ),
}
# Mentoring programs have their admins' names: these take it.
_UNMATCHED_MENTORING = {
    Unmatched.TOO_FEW: "{name} puts mentors with mentees, and nobody from the other side was in this round, "
    "so I couldn't include you.",
    Unmatched.NO_FIT: "I couldn't find you a group in {name} this round: the other side's places were all taken.",
}
_UNMATCHED_HINT = {
    Unmatched.OWN_NEVER_LIST: f"`{SLASH_COMMAND} profile` changes your never-pair list.",
    Unmatched.CAREER_STAGE: f"`{SLASH_COMMAND} profile` sets your career stage.",
    Unmatched.NO_FIT: f"`{SLASH_COMMAND} profile` shows your skills and what you want to learn.",
}


def unmatched(program: Program, why: Unmatched, next_round: date) -> dict:
    """To a member nobody could be grouped with: why, when that can be told (never another
    member's never-list: only their own), and the date of their next chance."""
    kind = program.kind
    if why is Unmatched.OWN_NEVER_LIST:
        text = (
            f"Everyone who could have been your partner in {_name(program)} this round is on your never-pair list, "
            "so I couldn't pair you."
        )
    elif why is Unmatched.NO_CATEGORY and program.category == TEAM_CATEGORY:
        text = (
            f"{_title(program)} introduces people by their team, and your profile doesn't say yours yet, "
            f"so I couldn't include you this round. `{SLASH_COMMAND} profile` sets it."
        )
    elif why is Unmatched.NO_CATEGORY:
        text = (
            f"{_title(program)} introduces people by {escape_mrkdwn(program.category or '')}, and you haven't "
            "picked yours yet, so I couldn't include you this round: pick it with the buttons on my Home tab."
        )
    elif not program.built_in and kind is RoundKind.COFFEE:
        text = f"I couldn't find anyone to group you with for {_name(program)} this round."
    elif kind is RoundKind.MENTORING:
        said = _UNMATCHED_MENTORING.get(why, _UNMATCHED_MENTORING[Unmatched.NO_FIT])
        text = said.format(name=_name(program))
        text = text[0].upper() + text[1:]
    else:
        text = _UNMATCHED.get((kind, why), _UNMATCHED[(kind, Unmatched.NO_FIT)])
    then = f"Next chance: *{next_round:%A %-d %B}*. You stay in until then."
    body = [blocks.section(f"{text}\n{then}")]
    # Skills decide reverse pairs; in coffee chats anyone may meet anyone, and in mentoring
    # the seats ran out, so they are no hint there.
    if why in _UNMATCHED_HINT and not (kind in (RoundKind.COFFEE, RoundKind.MENTORING) and why is Unmatched.NO_FIT):
        body.append(blocks.context(_UNMATCHED_HINT[why]))
    return blocks.message(f"{text} {then}", *body)


def what_did_you_learn(
    group_id: int, user_id: str, members: tuple[str, ...], learned: str | None = None, partner: str | None = None
) -> dict:
    """Month end of reverse mentoring, to one side of the pair; once answered, to one who
    learned something, whether to keep `partner` for the next round."""
    others = tuple(member for member in members if member != user_id)
    if learned is not None:
        thanks = f"Thanks! You learned: *{Learned(learned).label}*. It helps the program see what works."
        if partner is None:
            return blocks.message(thanks)
        ask = f"Would you like another month with <@{partner}>? You'd meet again only if they'd like to too."
        return blocks.message(
            f"{thanks} {ask}",
            blocks.section(thanks),
            blocks.section(ask),
            blocks.actions(
                blocks.button("Keep my partner", KEEP_PARTNER, value=str(group_id)),
                blocks.button("Meet someone new", NEW_PARTNER, value=str(group_id)),
            ),
            blocks.context("Nobody is told what the other chose."),
        )
    paired_with = _named(others)
    text = f"You were paired with {paired_with} for reverse mentoring. What did you learn?"
    return blocks.message(
        text,
        blocks.section(text),
        _answer_buttons(Learned, LEARNED_CHOICES, group_id),
        blocks.context("Only totals reach the program's admins, never who said what."),
    )


def keep_choice(group_id: int, partner: str, keep: bool) -> dict:
    """A side's choice to keep their reverse partner or not, told to them alone, with a way to
    change it. Whether the partner chose the same is never said: the next round's introduction
    shows it, or they meet someone new."""
    if keep:
        text = f"I'll keep you with <@{partner}> next month if they'd like to too; if not, you'll meet someone new."
        change = blocks.button("Meet someone new instead", NEW_PARTNER, value=str(group_id))
    else:
        text = "Got it: you'll meet someone new next month."
        change = blocks.button("Keep my partner after all", KEEP_PARTNER, value=str(group_id))
    return blocks.message(text, blocks.section(text), blocks.actions(change))


def partner_gone(told: PartnerGone) -> dict:
    """To a member whose partner (or whole group) Slack can no longer reach: what happens now."""
    if told.program.kind is RoundKind.COFFEE:
        off = "your coffee chat with them is off"
    elif told.program.kind is RoundKind.MENTORING:
        off = f"your group in {_name(told.program)} is off this round"
    else:
        off = "your reverse-mentoring pair is off this month"
    text = f"{_named(told.gone)} can't be reached on Slack any more, so {off}."
    if told.joined:
        then = f"I've added you to {_named(told.joined)}'s chat instead: say hello in your new group DM."
    elif told.program.kind is not RoundKind.REVERSE:
        then = "Sorry about that: you're still in for the next round."
    else:
        then = "Sorry about that: I'll pair you again next month."
    return blocks.message(f"{text} {then}", blocks.section(f"{text}\n{then}"))


# --- thank-yous after meeting (issue 21) ---------------------------------------------------
SHARE_THANKS = "share"
THANKS_SHOWN = 3  # on the receiver's Home tab, the latest


def thanks_modal(form: ThanksForm) -> dict:
    """ "Say thanks": whom (the group's others, all ticked), a line or two, and whether to also
    post it in the program channel (only when there is one)."""
    people = [{"text": blocks.mrkdwn(f"<@{user_id}>"), "value": user_id} for user_id in form.others]
    inputs: list[dict] = [
        {
            "type": "input",
            "block_id": THANKS_TO,
            "label": blocks.plain("To", 2000),
            "element": {"type": "checkboxes", "action_id": THANKS_TO, "options": people, "initial_options": people},
        },
        {
            "type": "input",
            "block_id": THANKS_NOTE,
            "label": blocks.plain("Your thank-you", 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": THANKS_NOTE,
                "multiline": True,
                "max_length": MAX_THANKS_LENGTH,
                "placeholder": blocks.plain("Thanks for the tips on giving feedback: I tried one today.", 150),
            },
        },
    ]
    if form.channel is not None:
        share = {"text": blocks.mrkdwn(f"Also post it in <#{form.channel}>, with both names"), "value": SHARE_THANKS}
        inputs.append(
            {
                "type": "input",
                "block_id": THANKS_SHARE,
                "optional": True,
                "label": blocks.plain("Share", 2000),
                "element": {"type": "checkboxes", "action_id": THANKS_SHARE, "options": [share]},
            }
        )
    return {
        "type": "modal",
        "callback_id": THANKS_VIEW,
        "private_metadata": str(form.group_id),
        "title": blocks.plain("Say thanks", 24),
        "submit": blocks.plain("Send", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [*inputs, blocks.context("It reaches them by DM and stays on their Home tab.")],
    }


def _chat(program: Program) -> str:
    if not program.built_in:
        return f"your chat in {_name(program)}"
    return "your coffee chat" if program.kind is RoundKind.COFFEE else "your reverse-mentoring month"


def thanks_received(thanks: Thanks) -> dict:
    """To the member thanked, by DM."""
    text = f":sparkles: <@{thanks.sender_id}> thanks you for {_chat(thanks.program)}:"
    return blocks.message(text, blocks.section(text + "\n" + blocks.quote(thanks.note)))


def thanks_post(thanks: Thanks) -> dict:
    """In the program channel, when its sender chose to share it."""
    if not thanks.program.built_in:
        chat = f"a chat in {_name(thanks.program)}"
    else:
        chat = "a coffee chat" if thanks.program.kind is RoundKind.COFFEE else "a month of reverse mentoring"
    text = f":sparkles: <@{thanks.sender_id}> thanks <@{thanks.receiver_id}> for {chat}:"
    return blocks.message(text, blocks.section(text + "\n" + blocks.quote(thanks.note)))


def thanks_beside(thanks: Thanks) -> dict:
    """A thank-you from a mentee, under the advice its receiver gave them (Home tab, theirs alone)."""
    said = f":sparkles: <@{thanks.sender_id}> thanked you on {thanks.sent_at:%-d %B}: “{shown(thanks.note, 200)}”"
    return blocks.context(said)


def thanks_blocks(received: list[Thanks]) -> list[dict]:
    """The Home tab's latest thank-yous to the member; nothing when there are none."""
    if not received:
        return []
    lines = [
        f"<@{thanks.sender_id}>, {thanks.sent_at:%-d %B}:\n{blocks.quote(thanks.note, 400)}"
        for thanks in received[:THANKS_SHOWN]
    ]
    return [blocks.divider(), blocks.header("Thanks from your chats"), *(blocks.section(line) for line in lines)]
