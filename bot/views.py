"""The profile modal and the App Home tab."""

from bot import ask_messages, blocks
from bot.asking import Network
from bot.asks import Ask
from bot.ids import OPEN_PROFILE, PROFILE_VIEW, SLASH_COMMAND, ProfileField
from bot.profile import DEFAULT_CAPACITY, MAX_CAPACITY, MAX_OBJECTIVES_LENGTH, MAX_TEAM_LENGTH, CareerStage, Profile
from bot.situations import SITUATIONS
from bot.text import escape_mrkdwn, shown

SKILLS_INPUT_LIMIT = 2000
MAX_HOME_BLOCKS = 100
SPONSORING_OPTION = "yes"


def _stage_option(stage: CareerStage) -> dict:
    return {"text": blocks.plain(stage.label, 75), "value": stage.value}


MAX_NEVER_PAIRS = 20


def _round_option(kind: str, text: str, description: str) -> dict:
    return {"text": blocks.plain(text, 75), "description": blocks.plain(description, 75), "value": kind}


ROUND_OPTIONS = (
    _round_option("coffee", "Coffee chats", "Every two weeks, a colleague to talk with"),
    _round_option("reverse", "Reverse mentoring", "Monthly: early-career colleagues teach senior ones"),
)


SITUATION_OPTIONS = tuple({"text": blocks.plain(label, 75), "value": value} for value, label in SITUATIONS.items())


def profile_modal(
    profile: Profile | None,
    never: list[str] = (),
    rounds: frozenset[str] = frozenset(),
    situations: frozenset[str] = frozenset(),
) -> dict:
    """The modal of `/mentor profile` and of the Home tab's button, filled with the current
    profile, the rounds the member is in ("coffee", "reverse"), the people they never
    want to be paired with in rounds, and the life situations they declared."""
    offers = ", ".join(skill.label for skill in profile.offers) if profile else ""
    wants = ", ".join(skill.label for skill in profile.wants) if profile else ""
    stage_select: dict = {
        "type": "static_select",
        "placeholder": blocks.plain("Choose one", 150),
        "options": [_stage_option(stage) for stage in CareerStage],
    }
    if profile and profile.career_stage:
        stage_select["initial_option"] = _stage_option(profile.career_stage)
    sponsoring_option = {
        "text": blocks.plain("I'm open to sponsoring people I mentor", 75),
        "description": blocks.plain("Shown to the people you mentor, nothing more.", 75),
        "value": SPONSORING_OPTION,
    }
    sponsoring: dict = {"type": "checkboxes", "options": [sponsoring_option]}
    if profile and profile.open_to_sponsoring:
        sponsoring["initial_options"] = [sponsoring_option]
    capacity = profile.capacity if profile else DEFAULT_CAPACITY
    never_select: dict = {
        "type": "multi_users_select",
        "placeholder": blocks.plain("Nobody", 150),
        "max_selected_items": MAX_NEVER_PAIRS,
    }
    if never:
        never_select["initial_users"] = list(never)[:MAX_NEVER_PAIRS]
    round_boxes: dict = {"type": "checkboxes", "options": list(ROUND_OPTIONS)}
    if rounds:
        round_boxes["initial_options"] = [option for option in ROUND_OPTIONS if option["value"] in rounds]
    situation_boxes: dict = {"type": "checkboxes", "options": list(SITUATION_OPTIONS)}
    if situations:
        situation_boxes["initial_options"] = [option for option in SITUATION_OPTIONS if option["value"] in situations]
    return {
        "type": "modal",
        "callback_id": PROFILE_VIEW,
        "title": blocks.plain("Your mentoring profile", 24),
        "submit": blocks.plain("Save", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            blocks.input_block(
                ProfileField.OFFERS,
                "Skills I can help with",
                blocks.text_input(offers, SKILLS_INPUT_LIMIT, multiline=True, placeholder="SQL, public speaking"),
                hint="Separate skills with commas.",
            ),
            blocks.input_block(
                ProfileField.WANTS,
                "Skills I want to grow",
                blocks.text_input(
                    wants, SKILLS_INPUT_LIMIT, multiline=True, placeholder="Delegation, our release process"
                ),
                hint="Separate skills with commas.",
            ),
            blocks.input_block(
                ProfileField.OBJECTIVES,
                "What I want out of mentoring",
                blocks.text_input(
                    profile.objectives if profile else "",
                    MAX_OBJECTIVES_LENGTH,
                    multiline=True,
                    placeholder="Become a better delegator; learn how we run releases",
                ),
            ),
            blocks.input_block(ProfileField.CAREER_STAGE, "Career stage", stage_select),
            blocks.input_block(
                ProfileField.TEAM, "Team", blocks.text_input(profile.team if profile else "", MAX_TEAM_LENGTH)
            ),
            blocks.input_block(ProfileField.SPONSORING, "Sponsorship", sponsoring),
            blocks.input_block(
                ProfileField.CAPACITY,
                "Questions I take at once",
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": "0",
                    "max_value": str(MAX_CAPACITY),
                    "initial_value": str(capacity),
                },
                hint="How many colleagues' questions you're happy to have open at a time. 0 means none for now.",
            ),
            blocks.input_block(ProfileField.ROUNDS, "Rounds I'm in", round_boxes),
            blocks.input_block(
                ProfileField.NEVER,
                "Never pair me with",
                never_select,
                hint="For coffee chats and reverse mentoring: your manager, a partner… Nobody else sees this list.",
            ),
            blocks.input_block(
                ProfileField.SITUATIONS,
                "Life situations, for matching only",
                situation_boxes,
                hint="Optional. Rounds then pair you, when they can, with someone in the same situation. "
                "Nobody sees what you tick, admins included, and no introduction mentions it.",
            ),
        ],
    }


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
    profile: Profile | None, open_asks: list[Ask] = (), network: Network | None = None, loop: list[dict] = ()
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
