"""`/mentor forget`: a member's right to be forgotten.

What they wrote and who they are go; what stays is anonymous: the member's id in past asks,
follow-ups and rounds becomes a tombstone (bot.people), so that program figures still count
that an ask was answered or a loop closed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot import blocks
from bot.asking import AskRepository, Cancelled, cancel_ask
from bot.ids import FORGET_CANCEL, FORGET_ME, SLASH_COMMAND


@dataclass(frozen=True)
class Forgotten:
    """What was removed, to tell the member."""

    profile: bool
    skills: int
    asks: int  # questions deleted
    notes: int  # follow-up notes and mentor replies deleted
    followups: int  # follow-ups of theirs that will never be sent or answered now
    deliveries: int  # DMs to them, or about them, that will not go out
    rounds: int  # rounds' groups they were in, now anonymous

    @property
    def anything(self) -> bool:
        return self.profile or any((self.asks, self.notes, self.followups, self.deliveries, self.rounds))


class ForgetRepository(Protocol):
    def forget(self, team_id: str, user_id: str, tombstone: str) -> "Forgotten": ...


def forget_member(
    asks: AskRepository, forgetting: ForgetRepository, team_id: str, user_id: str, tombstone: str, now: datetime
) -> tuple["Forgotten", list[Cancelled]]:
    """Withdraw the member's open asks (their candidates' DMs are then closed), then forget them."""
    withdrawn = [cancel_ask(asks, team_id, ask.id, user_id, now) for ask in asks.pending_of(team_id, user_id)]
    return forgetting.forget(team_id, user_id, tombstone), withdrawn


def confirm() -> dict:
    text = (
        "*Forget me?* Mentor will delete your profile, skills and objectives, your questions, your "
        "follow-up notes and replies, the people on your never-pair list, and any DM still waiting to "
        "go to you; you leave every round. Your open asks are withdrawn. What stays is anonymous: "
        "that an ask was answered or a loop closed counts in your program's figures, with nothing "
        "that points to you. Messages already in Slack conversations stay where they are."
    )
    forget = blocks.button("Forget me", FORGET_ME, value="confirm", style="danger")
    forget["confirm"] = {
        "title": blocks.plain("Forget everything?", 100),
        "text": blocks.plain("This cannot be undone.", 300),
        "confirm": blocks.plain("Forget me", 30),
        "deny": blocks.plain("Keep my data", 30),
        "style": "danger",
    }
    return blocks.message(text, blocks.section(text), blocks.actions(forget, blocks.button("Cancel", FORGET_CANCEL)))


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def forgotten(what: Forgotten) -> dict:
    if not what.anything:
        return blocks.message(
            f"Mentor holds nothing about you: there was nothing to forget. `{SLASH_COMMAND} help` if you change your mind."
        )
    removed = [
        ("your profile" + (" and " + _count(what.skills, "skill", "skills") if what.skills else ""))
        if what.profile
        else "",
        _count(what.asks, "question", "questions") if what.asks else "",
        _count(what.notes, "note or reply", "notes and replies") if what.notes else "",
        _count(what.followups, "follow-up", "follow-ups") + " stopped" if what.followups else "",
        _count(what.deliveries, "pending DM", "pending DMs") + " cancelled" if what.deliveries else "",
        _count(what.rounds, "round introduction", "round introductions") + " made anonymous" if what.rounds else "",
    ]
    text = (
        ":wastebasket: Done: Mentor has forgotten you. Removed: " + "; ".join(part for part in removed if part) + ". "
        "Only anonymous counts remain. You can start afresh any time with "
        f"`{SLASH_COMMAND} offer` or `{SLASH_COMMAND} learn`."
    )
    return blocks.message(text)


def kept() -> dict:
    return blocks.message("Nothing was deleted. Mentor keeps your profile as it is.")
