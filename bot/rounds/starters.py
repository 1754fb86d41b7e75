"""Conversation starters: "Give us a question" under a round's introduction (issue 21) posts
one to the group, from what its members can teach each other first, then from a curated
list for the kind of round; pressed again, another, never one the group has had (the
introduction's first question included). Pure: which starters a group may have, in order."""

import hashlib
from dataclasses import dataclass

from bot.rounds.model import RoundKind
from bot.text import escape_mrkdwn

# Open questions that work between colleagues who may not know each other; none asks for
# anything private. Coffee chats: getting to know each other and each other's work.
COFFEE = (
    "What did you work on this week that you're quietly proud of?",
    "What's a tool or habit that saves you time every week?",
    "Who taught you the most at work, and what did they do differently?",
    "What's something about your job that people outside your team get wrong?",
    "What's the best meeting you've been in lately, and what made it good?",
    "What would you like to be known for at work a year from now?",
    "What's a problem you'd love a fresh pair of eyes on?",
    "What's a skill you picked up outside work that helps you at work?",
    "If you could swap jobs with someone here for a week, whose and why?",
    "What's a book, talk or podcast that changed how you work?",
    "What's one thing that would make your team's week easier?",
    "What did your first month here teach you that you still use?",
)

# Reverse mentoring: the early-career member teaches, the senior learns; questions that open
# that up both ways.
REVERSE = (
    "What's something the newest people here see that more senior people miss?",
    "Which tool or way of working should everyone here try, and why?",
    "What's a decision from the top that looked different from where you sit?",
    "What's one thing you'd change about how the two of you usually work with teams like each other's?",
    "What does good feedback look like to you, and when did you last get some?",
    "What's a habit from earlier in your career you'd keep, or drop?",
    "What's hard to ask about here, and how could it be easier?",
    "What would you want to learn from each other by the end of the month?",
    "What's changed in how people start their careers since the other one did?",
    "What's a question you've wanted to ask someone in the other's role?",
)

# Mentoring: a mentor with one or a few mentees; questions that set up what the mentees are
# after and how the mentor can help, and let the mentor learn something too.
MENTORING = (
    "What would make these sessions worth the time for each of you, three months from now?",
    "What's a challenge on your plate right now that a second opinion would help with?",
    "Which mistake early in your career taught you the most?",
    "How do you like to get feedback: straight away, in writing, or when you ask for it?",
    "What's one thing the mentor wishes someone had told them in the mentees' role?",
    "What's something the mentees could teach the mentor, in turn?",
    "Who else here would be good for each of you to meet, and why?",
    "What's a goal you'd like the others to hold you to before you next meet?",
)

CURATED = {RoundKind.COFFEE: COFFEE, RoundKind.REVERSE: REVERSE, RoundKind.MENTORING: MENTORING}


@dataclass(frozen=True)
class Starter:
    """A question for a group: `key` names it for good (a digest of what it asks), so that the
    group is never given it twice, whatever the lists become; `text` is mrkdwn."""

    key: str
    text: str


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def starter(text: str) -> Starter:
    return Starter(_key(text), text)


def starters(
    kind: RoundKind,
    teaching: tuple[tuple[str, str, tuple[str, ...]], ...],
    first_question: str,
    seed: str,
) -> tuple[Starter, ...]:
    """Every starter the group may have, in the order they come: one per skill someone can
    help someone else with (teacher, learner, skill labels as the workspace spells them),
    then the curated list of `kind` in an order of the group's own (`seed`), leaving out the
    introduction's `first_question`."""
    from_skills = [
        starter(f"<@{learner}>, what would you most like to learn from <@{teacher}> about *{escape_mrkdwn(label)}*?")
        for teacher, learner, labels in teaching
        for label in labels
    ]
    curated = sorted(CURATED[kind], key=lambda text: hashlib.sha256(f"{seed}:{text}".encode()).digest())
    chosen: dict[str, Starter] = {}
    for one in [*from_skills, *(starter(text) for text in curated if text != first_question)]:
        chosen.setdefault(one.key, one)
    return tuple(chosen.values())
