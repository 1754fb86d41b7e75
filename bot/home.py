"""The App Home tab: each feature's section, in one view."""

from collections.abc import Sequence

from bot import blocks
from bot.asks import messages as ask_messages
from bot.asks.model import Ask
from bot.asks.services import Network
from bot.ids import OPEN_PROFILE, SLASH_COMMAND
from bot.members.model import (
    Profile,
)
from bot.text import escape_mrkdwn, shown

MAX_HOME_BLOCKS = 100


def _profile_blocks(profile: Profile) -> list[dict]:
    def or_nothing(text: str, how: str) -> str:
        return text if text else f"_Nothing yet. {how}_"

    offers = blocks.skill_list(profile.offers)
    wants = blocks.skill_list(profile.wants)
    stage = profile.career_stage.label if profile.career_stage else "Not set"
    return [
        blocks.header("Your mentoring profile"),
        blocks.section("*I can help with*\n" + or_nothing(offers, f"Add some with `{SLASH_COMMAND} offer`.")),
        blocks.section("*I want to grow*\n" + or_nothing(wants, f"Add some with `{SLASH_COMMAND} learn`.")),
        blocks.section(
            "*What I want out of mentoring*\n"
            + or_nothing(shown(profile.objectives, 2800), "Add your objectives with *Edit profile*.")
        ),
        {
            "type": "section",
            "fields": [
                blocks.mrkdwn(f"*Career stage*\n{stage}", blocks.FIELD_TEXT_LIMIT),
                blocks.mrkdwn(f"*Team*\n{escape_mrkdwn(profile.team) or 'Not set'}", blocks.FIELD_TEXT_LIMIT),
                blocks.mrkdwn(
                    f"*Open to sponsoring*\n{'Yes' if profile.open_to_sponsoring else 'No'}", blocks.FIELD_TEXT_LIMIT
                ),
                blocks.mrkdwn(f"*Questions I take at once*\n{profile.capacity}", blocks.FIELD_TEXT_LIMIT),
            ],
        },
        blocks.actions(blocks.button("Edit profile", OPEN_PROFILE, style="primary")),
        blocks.context(f"Everyone here is both a mentor and a mentee. `{SLASH_COMMAND} help` lists the commands."),
    ]


def _welcome_blocks() -> list[dict]:
    return [
        blocks.header("Welcome to Mentor"),
        blocks.section(
            "Mentor helps colleagues learn from each other: everyone is both a mentor and a mentee. "
            "Start by saying what you can help with and what you want to grow. "
            "You are not enrolled in anything until you choose to be."
        ),
        blocks.actions(blocks.button("Set up my profile", OPEN_PROFILE, style="primary")),
        blocks.context(f"Or type `{SLASH_COMMAND} offer SQL, public speaking` and `{SLASH_COMMAND} learn delegation`."),
    ]


def _open_asks_blocks(open_asks: list[Ask]) -> list[dict]:
    if not open_asks:
        return []
    return [blocks.divider(), *ask_messages.my_asks(open_asks)["blocks"]]


def home(
    profile: Profile | None,
    open_asks: Sequence[Ask] = (),
    network: Network | None = None,
    loop: Sequence[dict] = (),
) -> dict:
    """The App Home tab: the member's profile (or a welcome), their open asks, their mentor
    network, then `loop`: their rounds, the follow-ups waiting for them, the advice they gave."""
    body = _profile_blocks(profile) if profile else _welcome_blocks()
    body += _open_asks_blocks(list(open_asks))
    if profile is not None and network is not None:
        body += [blocks.divider(), *ask_messages.network(network)]
    body += list(loop)
    return {"type": "home", "blocks": body[:MAX_HOME_BLOCKS]}


def notice_modal(title: str, text: str) -> dict:
    """A modal that only tells something, such as that the database is not answering."""
    return {
        "type": "modal",
        "title": blocks.plain(title, 24),
        "close": blocks.plain("Close", 24),
        "blocks": [blocks.section(text)],
    }


def home_notice(text: str) -> dict:
    """The Home tab when the profile cannot be read: say so instead of showing stale data."""
    return {"type": "home", "blocks": [blocks.header("Mentor"), blocks.section(text)]}
