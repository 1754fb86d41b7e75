"""What the bot says about asks: to the asker, to the people asked, and to the pair it introduces."""

from bot import blocks
from bot.asks.model import Ask, AskStatus
from bot.asks.ranking import RankedMentor
from bot.asks.services import SKILL_CHOICES, AskRouted, Network, NetworkEntry, Posted
from bot.ids import (
    ACCEPT_ASK,
    ASK_AGAIN,
    ASK_HOW_IT_WENT,
    ASK_OTHER_SKILL,
    ASK_QUESTION,
    ASK_VIEW,
    CANCEL_ASK,
    CLAIM_ASK,
    FIND_MENTOR,
    NAME_ASK_SKILL,
    PASS_ASK,
    PICK_ASK_SKILL,
    POST_ASK,
    POST_ASK_ANONYMOUSLY,
    SELECT_ASK_SKILL,
    SLASH_COMMAND,
)
from bot.members.model import Skill
from bot.text import escape_mrkdwn

QUESTION_SHOWN = 2800


EXCERPT = 150


MAX_ASKS_LISTED = 10


ASK_SKILL_BLOCK_PREFIX = "ask_skill:"


def _skill(skill: Skill | None) -> str:
    return f"*{escape_mrkdwn(skill.label)}*" if skill else "your question"


def _question(ask: Ask, limit: int = QUESTION_SHOWN) -> str:
    return blocks.quote(ask.question, limit)


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _until(ask: Ask) -> str:
    """The ask's deadline as Slack shows a date: in the reader's own time zone, UTC as the fallback."""
    deadline = ask.deadline_at
    if deadline is None:
        return "its deadline"
    fallback = deadline.strftime("%a %d %b %H:%M UTC")
    return f"<!date^{int(deadline.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def _busy(skill: Skill | None, count: int) -> str:
    """Who an ask waits for, in aggregate: "All 2 people who offer *SQL* are busy"."""
    if count == 1:
        return f"The 1 person who offers {_skill(skill)} is busy"
    return f"All {count} people who offer {_skill(skill)} are busy"


def _one_of(count: int) -> str:
    return "they have" if count == 1 else "one of them has"


def _cancel_button(ask: Ask) -> dict:
    return blocks.button("Cancel this ask", CANCEL_ASK, value=str(ask.id))


# --- to the asker ------------------------------------------------------------------
def looking() -> dict:
    return blocks.message(":mag: Looking for mentors for your question…")


def routed(result: AskRouted) -> dict:
    ask = result.ask
    if ask.status is AskStatus.NEEDS_SKILL:
        return needs_skill(ask, result.suggestions, result.choices)
    if ask.status is AskStatus.UNANSWERED:
        return nobody_available(ask, result.program_channel)
    if ask.status is AskStatus.QUEUED:
        return queued(ask, result.waiting_for)
    text = (
        f"I've asked {_people(len(result.notify))} who can help with {_skill(ask.skill)}. "
        "Whoever says yes first will meet you in a group DM. Nobody else sees your question."
    )
    body = [blocks.section(text), blocks.actions(_cancel_button(ask))]
    if result.give_first_reminder:
        body.append(
            blocks.context(
                ":seedling: Mentoring goes both ways: tell colleagues what you can help with, "
                f"like `{SLASH_COMMAND} offer SQL, public speaking`."
            )
        )
    return blocks.message(text, *body)


def _skill_menu(ask: Ask, choices: tuple[Skill, ...]) -> dict:
    """The skills colleagues offer as a select, which Slack filters as the asker types."""
    options = [
        {"text": blocks.plain(skill.label, 75), "value": f"{ask.id}:{skill.key}"}
        for skill in sorted(choices, key=lambda skill: skill.label.casefold())[:SKILL_CHOICES]
    ]
    return {
        "type": "static_select",
        "action_id": SELECT_ASK_SKILL,
        "placeholder": blocks.plain("Skills colleagues offer", 150),
        "options": options,
    }


def needs_skill(ask: Ask, suggestions: tuple[Skill, ...], choices: tuple[Skill, ...] = ()) -> dict:
    """Ask the asker for the skill: the related ones as buttons, if any; otherwise (never a list
    of unrelated skills) a menu of the skills colleagues offer, and a field to type one."""
    if suggestions:
        text = "Which skill is your question about? These look related; the skill decides who I ask."
    else:
        text = "Which skill is your question about? I couldn't tell from the words, and it decides who I ask."
    body = [blocks.section(text)]
    # One block per suggestion: Slack wants each action id once per block.
    body += [
        blocks.actions(blocks.button(skill.label, PICK_ASK_SKILL, value=f"{ask.id}:{skill.key}"))
        for skill in suggestions
    ]
    if choices:
        body.append(
            {
                "type": "section",
                "text": blocks.mrkdwn("Pick another skill:" if suggestions else "Pick the skill:"),
                "accessory": _skill_menu(ask, choices),
            }
        )
    body.append(
        {
            "type": "input",
            "block_id": f"{ASK_SKILL_BLOCK_PREFIX}{ask.id}",
            "dispatch_action": True,
            "label": blocks.plain("Or type it, if nobody offers it yet" if choices else "Name the skill", 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": NAME_ASK_SKILL,
                "max_length": 50,
                "placeholder": blocks.plain("e.g. SQL", 150),
            },
        }
    )
    body.append(blocks.actions(_cancel_button(ask)))
    body.append(blocks.context(f"Next time, tag it: `{SLASH_COMMAND} ask #sql How do I …`"))
    return blocks.message(text, *body)


def queued(ask: Ask, waiting_for: int) -> dict:
    """To the asker, privately: everyone who offers the skill is busy, so the ask waits in line."""
    text = f"{_busy(ask.skill, waiting_for)} right now, so your question is in line."
    return blocks.message(
        text,
        blocks.section(
            f"{text} It goes out as soon as {_one_of(waiting_for)} room, and I'll tell you when it does. "
            f"If nobody has room by {_until(ask)}, I'll let you know. Until it goes out, nobody sees it."
        ),
        blocks.actions(_cancel_button(ask)),
    )


def unqueued(ask: Ask) -> dict:
    """To the asker, when their queued ask goes out."""
    text = (
        f"Someone who offers {_skill(ask.skill)} has room now: your question is on its way to them. "
        "Whoever says yes first will meet you in a group DM."
    )
    return blocks.message(
        text, blocks.section(text), blocks.section(_question(ask)), blocks.actions(_cancel_button(ask))
    )


NO_PROGRAM_CHANNEL = "Your admins haven't named a program channel, so I can't post it for you."


def _post_buttons(ask: Ask, primary: bool) -> dict:
    return blocks.actions(
        blocks.button("Post with my name", POST_ASK, value=str(ask.id), style="primary" if primary else None),
        blocks.button("Post anonymously", POST_ASK_ANONYMOUSLY, value=str(ask.id)),
    )


def _in_channel(ask: Ask, channel: str | None, primary: bool = True) -> list[dict]:
    """The offer to post an ask nobody could take in the program channel, or why there is none;
    its first button `primary` when it is the main way on."""
    if channel is None:
        return [blocks.section(NO_PROGRAM_CHANNEL)]
    return [
        blocks.section(
            f"I can post it in <#{channel}>, where anyone can pick it up: whoever says “I can help” first "
            "meets you in a group DM."
        ),
        _post_buttons(ask, primary),
        blocks.context("Anonymously, the channel sees your question but not your name; whoever takes it does."),
    ]


def nobody_available(ask: Ask, channel: str | None = None) -> dict:
    """To the asker when nobody who offers the skill can be asked: post it in the program
    channel (`channel`; None: the admins named none, which is said), or name another skill."""
    skill = _skill(ask.skill)
    text = f"Nobody who offers {skill} can take a question right now, sorry."
    return blocks.message(
        text,
        blocks.section(text),
        *_in_channel(ask, channel),
        blocks.actions(blocks.button("Name another skill", ASK_OTHER_SKILL, value=str(ask.id))),
        blocks.context(
            f"Add it to what you want to grow (`{SLASH_COMMAND} learn`) so it shows up as a gap in your mentor network."
        ),
    )


def unanswered(ask: Ask, channel: str | None = None) -> dict:
    """A DM to the asker when nobody took the ask in time, even after widening, or in the
    program channel: one click to try again (once), and to post it in `channel` if it was not."""
    if ask.post is not None:
        text = f"Nobody in <#{ask.post.channel}> picked up your question about {_skill(ask.skill)} in time, sorry."
    else:
        text = f"Nobody could take your question about {_skill(ask.skill)} this time, sorry."
    body = [
        blocks.section(text + " Here it is again:\n" + _question(ask)),
        blocks.actions(
            blocks.button("Ask again", ASK_AGAIN, value=str(ask.id), style="primary"),
            blocks.button("Name another skill", ASK_OTHER_SKILL, value=str(ask.id)),
        ),
    ]
    if ask.post is None:
        body += _in_channel(ask, channel, primary=False)
    body.append(
        blocks.context(
            "A shorter, more specific question often helps. "
            f"Add the skill to what you want to grow (`{SLASH_COMMAND} learn`) to see it as a gap in your network."
        )
    )
    return blocks.message(text, *body)


def posted(result: Posted) -> dict:
    """To the asker: their ask is on its way to the program channel."""
    ask = result.ask
    assert ask.post is not None
    hours = int(result.open_for.total_seconds() // 3600)
    how = "without your name" if ask.post.anonymous else "with your name"
    text = (
        f"I'm posting your question about {_skill(ask.skill)} in <#{ask.post.channel}>, {how}. Whoever says "
        f"“I can help” first will meet you in a group DM. It stays open for {hours} hours."
    )
    return blocks.message(text, blocks.section(text), blocks.actions(_cancel_button(ask)))


def post_failed(ask: Ask) -> dict:
    """A DM to the asker when Slack would not let Mentor post their ask in the program channel."""
    channel = f"<#{ask.post.channel}>" if ask.post else "the program channel"
    text = (
        f"I couldn't post your question about {_skill(ask.skill)} in {channel}: Slack won't let Mentor post "
        f"there (a private channel Mentor isn't in, or an archived one). An admin can invite Mentor, or name "
        f"another channel in `{SLASH_COMMAND} settings`. Meanwhile:"
    )
    return blocks.message(
        text,
        blocks.section(text),
        blocks.actions(
            blocks.button("Ask again", ASK_AGAIN, value=str(ask.id), style="primary"),
            blocks.button("Name another skill", ASK_OTHER_SKILL, value=str(ask.id)),
        ),
    )


def cancelled(ask: Ask, anyone_told: bool = True) -> dict:
    """To the asker who cancelled; that the people asked are told only when some request was
    still waiting for an answer (`anyone_told`), not for an ask that waited in line."""
    if ask.post is None and not anyone_told:
        return blocks.message(f"Cancelled your ask about {_skill(ask.skill)}.")
    if ask.post is not None:
        return blocks.message(
            f"Cancelled your ask about {_skill(ask.skill)}. "
            f"Its post in <#{ask.post.channel}> now says it was withdrawn."
        )
    return blocks.message(f"Cancelled your ask about {_skill(ask.skill)}. The people I asked have been told.")


def unavailable(reason: str) -> dict:
    texts = {
        "not_yours": "That ask isn't one you can act on.",
        "already_answered": "You've already answered this one. Thank you!",
        "already_routed": "That ask already has its skill and is on its way.",
        "tried_again": "Done already: you've tried again with that question.",
        "no_channel": NO_PROGRAM_CHANNEL,
        "own_ask": "That's your own question: someone else will pick it up.",
        AskStatus.MATCHED.value: "Someone has already picked this up. Thanks for being there!",
        AskStatus.CANCELLED.value: "This ask was cancelled.",
        AskStatus.UNANSWERED.value: "This ask has closed.",
    }
    return blocks.message(texts.get(reason, "This ask has closed."))


def my_asks(asks: list[Ask], limit: int = MAX_ASKS_LISTED, more: str = "") -> dict:
    """`/mentor asks` and the Home tab: at most `limit` asks, then how many more, and `more`
    (where to see them)."""
    if not asks:
        return blocks.message(f"You have no open asks. Ask one with `{SLASH_COMMAND} ask <your question>`.")
    text = f"Your open asks ({len(asks)}):"
    body = [blocks.section(text)]
    for ask in asks[:limit]:
        status = {
            AskStatus.NEEDS_SKILL: "waiting for a skill",
            AskStatus.QUEUED: f"in line until {_until(ask)}: everyone who offers it is busy",
        }.get(ask.status, "waiting for a mentor")
        if ask.post is not None and ask.status is AskStatus.OPEN:
            status = f"posted in <#{ask.post.channel}>"
        body.append(
            {
                "type": "section",
                "text": blocks.mrkdwn(f"{_skill(ask.skill)} · {status}\n{_question(ask, EXCERPT)}"),
                "accessory": _cancel_button(ask),
            }
        )
    if len(asks) > limit:
        body.append(blocks.context(f"…and {len(asks) - limit} more.{more}"))
    return blocks.message(text, *body)


# --- to the people asked ---------------------------------------------------------------
def candidate_request(ask: Ask) -> dict:
    return blocks.message(
        f"<@{ask.asker_id}> has a question about {_skill(ask.skill)}",
        blocks.section(f"<@{ask.asker_id}> has a question about {_skill(ask.skill)}, which you offer:"),
        blocks.section(_question(ask)),
        blocks.actions(
            blocks.button("I can help", ACCEPT_ASK, value=str(ask.id), style="primary"),
            blocks.button("Not this time", PASS_ASK, value=str(ask.id)),
        ),
        blocks.context(
            "Only the few people asked see this question. The first to say “I can help” "
            f"is introduced to <@{ask.asker_id}>; “Not this time” passes it on, no hard feelings."
        ),
    )


def waiting_on_me(asks: list[Ask], limit: int) -> list[dict]:
    """Questions that reached me and wait for my answer, for the Home tab: at most `limit`,
    each with the same buttons as its DM, then how many more wait in my DMs."""
    body = []
    for ask in asks[:limit]:
        body.append(
            blocks.section(
                f"<@{ask.asker_id}> asks about {_skill(ask.skill)}, which you offer:\n{_question(ask, EXCERPT)}"
            )
        )
        body.append(
            blocks.actions(
                blocks.button("I can help", ACCEPT_ASK, value=str(ask.id), style="primary"),
                blocks.button("Not this time", PASS_ASK, value=str(ask.id)),
            )
        )
    if len(asks) > limit:
        body.append(blocks.context(f"…and {len(asks) - limit} more questions in your messages from Mentor."))
    return body


def candidate_helping(ask: Ask, followup_planned: bool = False, followup_in: str = "in about a week") -> dict:
    """The mentor's own DM once the pair is introduced; with "Ask how it went" when a
    follow-up is planned, as only the mentor may press it. `followup_in` says when the
    follow-up comes (bot.followups.messages.timing), as the introduction does."""
    text = f"You're helping <@{ask.asker_id}> with {_skill(ask.skill)}: I've started a group DM for the two of you."
    body = [blocks.section(text), blocks.section(_question(ask))]
    if followup_planned:
        body.append(
            {
                "type": "section",
                "text": blocks.mrkdwn(f"I'll ask <@{ask.asker_id}> how it went {followup_in}. To hear sooner:"),
                "accessory": blocks.button("Ask how it went", ASK_HOW_IT_WENT, value=str(ask.id)),
            }
        )
    return blocks.message(text, *body)


def candidate_taken(ask: Ask, mentor_id: str) -> dict:
    return blocks.message(
        f"<@{mentor_id}> is helping <@{ask.asker_id}> with this question about {_skill(ask.skill)}. "
        "Thanks for being there!"
    )


def candidate_unintroduced(ask: Ask) -> dict:
    """To the mentor who said "I can help", when Slack can no longer reach the asker."""
    text = (
        f"<@{ask.asker_id}> can't be reached on Slack any more, so I couldn't introduce you for their "
        f"question about {_skill(ask.skill)}. Thanks for offering!"
    )
    return blocks.message(text, blocks.section(text))


def candidate_passed(ask: Ask) -> dict:
    return blocks.message(
        f"Thanks for letting me know. I've passed <@{ask.asker_id}>'s question about {_skill(ask.skill)} on."
    )


def candidate_closed(ask: Ask) -> dict:
    if ask.status is AskStatus.CANCELLED:
        return blocks.message(f"<@{ask.asker_id}> withdrew this question about {_skill(ask.skill)}.")
    return blocks.message(f"This question about {_skill(ask.skill)} from <@{ask.asker_id}> has closed.")


def candidate_too_late(ask: Ask) -> dict:
    """A candidate's request that reached them after the ask was taken, withdrawn or closed."""
    return candidate_taken(ask, ask.mentor_id) if ask.mentor_id else candidate_closed(ask)


# --- in the program channel ----------------------------------------------------------
def _asker_in_channel(ask: Ask) -> str:
    """Who asked, as the channel may see it: nobody's name when they asked anonymously."""
    return "A colleague" if ask.post is None or ask.post.anonymous else f"<@{ask.asker_id}>"


def channel_post(ask: Ask) -> dict:
    """An ask nobody could take, posted in the program channel: anyone may take it."""
    text = f"{_asker_in_channel(ask)} has a question about {_skill(ask.skill)}. Can you help?"
    return blocks.message(
        text,
        blocks.section(text),
        blocks.section(_question(ask)),
        blocks.actions(blocks.button("I can help", CLAIM_ASK, value=str(ask.id), style="primary")),
        blocks.context(
            "Open to everyone here, whatever skills you list: the first to say “I can help” meets them in a group DM."
        ),
    )


def channel_post_closed(ask: Ask) -> dict:
    """The channel's post once it is no longer open, without the question or, if they asked
    anonymously, the asker."""
    if ask.status is AskStatus.MATCHED and ask.mentor_id:
        text = f"Taken — thanks, <@{ask.mentor_id}>! This question about {_skill(ask.skill)} has found its helper."
    elif ask.status is AskStatus.CANCELLED:
        text = f"This question about {_skill(ask.skill)} was withdrawn."
    else:
        text = f"This question about {_skill(ask.skill)} has closed: nobody picked it up in time."
    return blocks.message(text)


def claimed(ask: Ask) -> dict:
    """To whoever took an ask from the program channel, under its post."""
    return blocks.message(
        f"Thank you! You're helping with this question about {_skill(ask.skill)}: I'm starting a group DM "
        "for you and the person who asked."
    )


def asker_gone(ask: Ask) -> dict:
    """To someone who tried to take an ask whose asker Slack can no longer reach."""
    return blocks.message(
        "Thank you! The person who asked can't be reached on Slack any more, so this question has closed."
    )


# --- to the pair -------------------------------------------------------------------------
def introduction(ask: Ask, followup_planned: bool = False, followup_in: str = "in about a week") -> dict:
    """The pair's group DM; `followup_in` says when the follow-up comes (bot.followups.messages.timing)."""
    text = f"<@{ask.asker_id}>, meet <@{ask.mentor_id}>: they offered to help with {_skill(ask.skill)}."
    body = [
        blocks.section(text),
        blocks.section("The question:\n" + _question(ask)),
        blocks.context(
            f"<@{ask.mentor_id}>, a good first question: “What have you tried so far?” "
            f"<@{ask.asker_id}>, suggest a time that suits you both; 20 minutes is often enough."
        ),
    ]
    if followup_planned:
        # Both see this message: the mentor's "Ask how it went" is in their own DM (candidate_helping).
        body.append(
            blocks.context(
                f"{followup_in[:1].upper()}{followup_in[1:]} I'll ask <@{ask.asker_id}> how the advice worked out, "
                f"and tell <@{ask.mentor_id}>."
            )
        )
    return blocks.message(text, *body)


# --- the mentor network ----------------------------------------------------------------
def _mentors(entry: NetworkEntry) -> str:
    """The entry's mentors, each round partner marked with the round that introduced them."""
    rounds = dict(entry.from_rounds)
    return ", ".join(
        f"<@{user_id}>" + (f" ({escape_mrkdwn(rounds[user_id])})" if user_id in rounds else "")
        for user_id in entry.mentor_ids
    )


def network(entries: Network, limit: int | None = None) -> list[dict]:
    """Blocks of the mentor network, for `/mentor network` and the Home tab: at most `limit`
    wants listed (None: all), then how many more and where to see them."""
    body = [blocks.header("Your mentor network")]
    if not entries.wants and not entries.elsewhere:
        body.append(
            blocks.section(
                f"Add skills you want to grow with `{SLASH_COMMAND} learn`; each gets its own mentor here as "
                "colleagues help you. One mentor per skill beats one guru."
            )
        )
        return body
    shown_wants = entries.wants if limit is None else entries.wants[:limit]
    for entry in shown_wants:
        if entry.mentor_ids:
            body.append(blocks.section(f"{_skill(entry.skill)}: {_mentors(entry)}"))
        else:
            body.append(
                {
                    "type": "section",
                    "text": blocks.mrkdwn(f"{_skill(entry.skill)}: _nobody yet_"),
                    "accessory": blocks.button("Find a mentor", FIND_MENTOR, value=entry.skill.key),
                }
            )
    if entries.elsewhere:
        helped = "; ".join(f"{_skill(entry.skill)}: {_mentors(entry)}" for entry in entries.elsewhere)
        body.append(blocks.context(f"Also helped you: {helped}"))
    if len(shown_wants) < len(entries.wants):
        more = len(entries.wants) - len(shown_wants)
        body.append(blocks.context(f"…and {more} more skills you want to grow: `{SLASH_COMMAND} network` lists all."))
    return body


def network_reply(entries: Network) -> dict:
    gaps = sum(1 for entry in entries.wants if not entry.mentor_ids)
    text = f"Your mentor network: {len(entries.wants)} skills you want to grow, {gaps} still without a mentor."
    return blocks.message(text, *network(entries))


def find_mentor_modal(skill: Skill, suggestions: tuple[RankedMentor, ...], busy: int = 0) -> dict:
    """ "Find a mentor": who an ask would reach; with everyone who offers the skill `busy`, that
    an ask would wait in line; with nobody at all, where else to look."""
    if not suggestions and not busy:
        return {
            "type": "modal",
            "title": blocks.plain("Find a mentor", 24),
            "close": blocks.plain("Close", 24),
            "blocks": [
                blocks.section(
                    f"Nobody who offers {_skill(skill)} has room for a question right now. Try again in a few days, "
                    "or ask in a channel where people who know it hang out."
                )
            ],
        }
    if suggestions:
        who = ", ".join(f"<@{mentor.user_id}>" for mentor in suggestions)
        intro = (
            f"These colleagues offer {_skill(skill)} and have room for a question: {who}. "
            "Ask, and they'll hear about it."
        )
    else:
        intro = (
            f"{_busy(skill, busy)} right now. Ask anyway, and your question waits in line until "
            f"{_one_of(busy)} room (I'll tell you when it goes out)."
        )
    return {
        "type": "modal",
        "callback_id": ASK_VIEW,
        "private_metadata": skill.key,
        "title": blocks.plain("Find a mentor", 24),
        "submit": blocks.plain("Ask", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            blocks.section(intro),
            {
                "type": "input",
                "block_id": ASK_QUESTION,
                "label": blocks.plain(f"Your question about {skill.label}", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ASK_QUESTION,
                    "multiline": True,
                    "max_length": 2000,
                    "placeholder": blocks.plain("Short and specific works best", 150),
                },
            },
        ],
    }
