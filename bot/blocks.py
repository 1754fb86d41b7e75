"""Small Block Kit builders shared by the replies and views; limits from Slack's docs."""

from bot.members.model import Skill
from bot.text import escape_mrkdwn, shown, truncate

SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict:
    """A mrkdwn text object; `text` must already have its member-typed parts escaped."""
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text)}


def header(text: str) -> dict:
    return {"type": "header", "text": plain(text, HEADER_TEXT_LIMIT)}


def context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text, FIELD_TEXT_LIMIT)]}


def button(text: str, action_id: str, value: str | None = None, style: str | None = None) -> dict:
    element = {"type": "button", "text": plain(text, BUTTON_TEXT_LIMIT), "action_id": action_id}
    if value is not None:
        element["value"] = value
    if style is not None:
        element["style"] = style
    return element


def divider() -> dict:
    return {"type": "divider"}


def actions(*elements: dict) -> dict:
    return {"type": "actions", "elements": list(elements)}


def skill_list(skills: tuple[Skill, ...] | list[Skill]) -> str:
    """Skills as escaped mrkdwn, one line: `SQL · Public speaking`."""
    return " · ".join(f"*{escape_mrkdwn(skill.label)}*" for skill in skills)


def input_block(field: str, label: str, element: dict, hint: str | None = None, optional: bool = True) -> dict:
    """An input block whose element shares its block id (`field`)."""
    block = {
        "type": "input",
        "block_id": field,
        "optional": optional,
        "label": plain(label, 2000),
        "element": {**element, "action_id": field},
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def input_state(values: object, block_id: str) -> dict:
    """The state of the one element of an input block in a submitted view's `state.values`;
    {} when Slack's payload lacks it or is not shaped as expected (it comes from outside)."""
    block = values.get(block_id) if isinstance(values, dict) else None
    element = block.get(block_id) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def ticked(values: object, block_id: str) -> list[str] | None:
    """The values of the options ticked in a checkboxes input of a submitted view; None when
    the payload is not shaped as Slack's client sends it."""
    options = input_state(values, block_id).get("selected_options")
    if not isinstance(options, list) or not all(
        isinstance(o, dict) and isinstance(o.get("value"), str) for o in options
    ):
        return None
    return [option["value"] for option in options]


def text_input(initial: str, max_length: int, multiline: bool = False, placeholder: str | None = None) -> dict:
    element: dict = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def message(text: str, *body: dict) -> dict:
    """A message (or ack/respond reply): `text` for notifications, and blocks; one section of
    `text` when no blocks are given. `text` must already have member-typed parts escaped."""
    return {"text": text, "blocks": list(body) or [section(text)]}


def quote(text: str, limit: int = SECTION_TEXT_LIMIT - 200) -> str:
    """Member text as a mrkdwn block quote, escaped and cut to `limit`."""
    return "\n".join("> " + line for line in shown(text, limit).split("\n"))
