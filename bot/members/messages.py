"""What members see of their own profile: the profile modal, skills added or listed, the
welcome DM, the replies of `/mentor forget`, and what someone Mentor is not for is told."""

from collections.abc import Sequence

from bot import blocks
from bot.ids import FORGET_CANCEL, FORGET_ME, PROFILE_VIEW, SLASH_COMMAND, ProfileField
from bot.members.model import (
    DEFAULT_CAPACITY,
    MAX_CAPACITY,
    MAX_OBJECTIVES_LENGTH,
    MAX_TEAM_LENGTH,
    SITUATIONS,
    CareerStage,
    Forgotten,
    NotAMember,
    Profile,
    Skill,
    SkillKind,
    Standing,
)
from bot.members.services import SkillsAdded
from bot.text import escape_mrkdwn


def confirm() -> dict:
    # Short enough to read before pressing: what goes, what stays, nothing said twice.
    text = (
        "*Forget me?* I'll delete your profile, skills, questions and notes, withdraw your open asks "
        "and take you out of every round. Only anonymous counts stay, and messages already in Slack."
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
            "Mentor holds nothing about you: there was nothing to forget. "
            f"`{SLASH_COMMAND} help` if you change your mind."
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


_KIND_WORDS = {
    SkillKind.OFFER: ("you can help with", "offer"),
    SkillKind.WANT: ("you want to grow", "learn"),
}


def skills_added(result: SkillsAdded) -> dict:
    """Each skill named once: added, already there, or listed before."""
    meaning, _ = _KIND_WORDS[result.kind]
    named = {skill.key for skill in (*result.added, *result.already)}
    rest = tuple(skill for skill in result.all if skill.key not in named)
    parts = []
    if result.added:
        parts.append(f"Added to what {meaning}: {blocks.skill_list(result.added)}.")
    if result.already:
        parts.append(f"Already there: {blocks.skill_list(result.already)}.")
    if rest:
        parts.append(f"Also listed: {blocks.skill_list(rest)}.")
    if not parts:  # nothing named at all: say what is listed, never an empty reply
        return skills_listed(result.kind, result.all)
    return blocks.message(" ".join(parts), *(blocks.section(part) for part in parts))


def skills_listed(kind: SkillKind, skills: tuple[Skill, ...]) -> dict:
    meaning, verb = _KIND_WORDS[kind]
    if not skills:
        return blocks.message(
            f"You haven't listed any skills {meaning} yet. Add some with `{SLASH_COMMAND} {verb} SQL, public speaking`."
        )
    return blocks.message(f"Skills {meaning}: {blocks.skill_list(skills)}.")


def not_a_member(refused: NotAMember) -> str:
    """Why Mentor does nothing for someone: it is for the workspace's members (and guests, when
    its admins include them)."""
    workspace = escape_mrkdwn(refused.workspace)
    if refused.standing is Standing.GUEST:
        return (
            f"Mentor is for members of {workspace}. Guests can take part once the program's admins "
            "include them; until then Mentor won't ask you questions or pair you with anyone."
        )
    return (
        f"Mentor is for members of {workspace}. You're here from another organisation, so you can't "
        "take part, and Mentor hasn't saved anything about you."
    )


def welcome() -> dict:
    """The one DM to someone who joined the workspace: what Mentor is, and how to opt in."""
    text = (
        ":wave: Welcome! I'm Mentor: colleagues here learn from each other, and everyone is both a mentor "
        "and a mentee. You're not enrolled in anything, and won't be unless you choose to."
    )
    steps = (
        f"• `{SLASH_COMMAND} offer SQL, public speaking`: what you can help with\n"
        f"• `{SLASH_COMMAND} learn delegation`: what you want to grow\n"
        f"• `{SLASH_COMMAND} ask How do I …?`: a question to the colleagues best placed to answer\n"
        f"• `{SLASH_COMMAND} join coffee`: a coffee chat with a colleague every few weeks"
    )
    return blocks.message(
        text,
        blocks.section(text),
        blocks.section(steps),
        blocks.context(
            f"Or open my *Home* tab. `{SLASH_COMMAND} help` lists everything; "
            "this is the only DM you'll get unless you join in."
        ),
    )


SKILLS_INPUT_LIMIT = 2000


SPONSORING_OPTION = "yes"


def _stage_option(stage: CareerStage) -> dict:
    return {"text": blocks.plain(stage.label, 75), "value": stage.value}


MAX_NEVER_PAIRS = 20


def _round_option(kind: str, text: str, description: str) -> dict:
    return {"text": blocks.plain(text, 75), "description": blocks.plain(description, 75), "value": kind}


def _round_options(coffee_every: str) -> tuple[dict, ...]:
    return (
        _round_option(
            "coffee", "Coffee chats", f"{coffee_every[:1].upper()}{coffee_every[1:]}, a colleague to talk with"
        ),
        _round_option("reverse", "Reverse mentoring", "Monthly: early-career colleagues teach senior ones"),
    )


SITUATION_OPTIONS = tuple({"text": blocks.plain(label, 75), "value": value} for value, label in SITUATIONS.items())


def profile_modal(
    profile: Profile | None,
    never: Sequence[str] = (),
    rounds: frozenset[str] = frozenset(),
    situations: frozenset[str] = frozenset(),
    coffee_every: str = "every two weeks",
) -> dict:
    """The modal of `/mentor profile` and of the Home tab's button, filled with the current
    profile, the rounds the member is in ("coffee", "reverse"), the people they never
    want to be paired with in rounds, and the life situations they declared; `coffee_every`
    is how often the workspace's coffee rounds come (bot.rounds.schedule.how_often)."""
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
    round_options = _round_options(coffee_every)
    round_boxes: dict = {"type": "checkboxes", "options": list(round_options)}
    if rounds:
        round_boxes["initial_options"] = [option for option in round_options if option["value"] in rounds]
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
