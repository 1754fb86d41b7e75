"""A member's mentoring profile and the rules for editing it."""

from dataclasses import dataclass
from enum import Enum

from bot.errors import InvalidInput
from bot.ids import ProfileField
from bot.skills import Skill, parse_skill_list
from bot.text import clean_line, clean_paragraphs

DEFAULT_CAPACITY = 2
MAX_CAPACITY = 10
MAX_OBJECTIVES_LENGTH = 1000
MAX_TEAM_LENGTH = 80


class CareerStage(str, Enum):
    EARLY = "early"
    MID = "mid"
    SENIOR = "senior"
    EXECUTIVE = "executive"

    @property
    def label(self) -> str:
        return {"early": "Early career", "mid": "Mid-career", "senior": "Senior", "executive": "Executive"}[self.value]


@dataclass(frozen=True)
class Profile:
    team_id: str
    user_id: str
    offers: tuple[Skill, ...] = ()
    wants: tuple[Skill, ...] = ()
    objectives: str = ""
    career_stage: CareerStage | None = None
    team: str = ""
    open_to_sponsoring: bool = False
    capacity: int = DEFAULT_CAPACITY


@dataclass(frozen=True)
class ProfileForm:
    """The profile modal's values exactly as Slack sent them (None: left empty)."""

    offers: str | None = None
    wants: str | None = None
    objectives: str | None = None
    career_stage: str | None = None
    team: str | None = None
    open_to_sponsoring: bool = False
    capacity: str | None = None


class ProfileFormErrors(ValueError):
    """The form has mistakes; `errors` maps a ProfileField to what to fix there."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def profile_from_form(team_id: str, user_id: str, form: ProfileForm) -> Profile:
    """Check every field and build the profile, or raise ProfileFormErrors naming each bad field."""
    errors: dict[str, str] = {}
    skills: dict[str, tuple[Skill, ...]] = {}
    for field, text in ((ProfileField.OFFERS, form.offers), (ProfileField.WANTS, form.wants)):
        try:
            skills[field] = tuple(parse_skill_list(text or ""))
        except InvalidInput as error:
            errors[field] = error.message

    objectives = clean_paragraphs(form.objectives or "")
    if len(objectives) > MAX_OBJECTIVES_LENGTH:
        errors[ProfileField.OBJECTIVES] = f"Keep objectives under {MAX_OBJECTIVES_LENGTH} characters."

    career_stage = None
    if form.career_stage:
        try:
            career_stage = CareerStage(form.career_stage)
        except ValueError:
            errors[ProfileField.CAREER_STAGE] = "Choose one of the listed career stages."

    team = clean_line(form.team or "")
    if len(team) > MAX_TEAM_LENGTH:
        errors[ProfileField.TEAM] = f"Keep the team name under {MAX_TEAM_LENGTH} characters."

    capacity = DEFAULT_CAPACITY
    if form.capacity not in (None, ""):
        try:
            capacity = int(form.capacity)
        except ValueError:
            capacity = -1
        if not 0 <= capacity <= MAX_CAPACITY:
            errors[ProfileField.CAPACITY] = f"Enter a whole number from 0 to {MAX_CAPACITY}."

    if errors:
        raise ProfileFormErrors(errors)
    return Profile(
        team_id=team_id,
        user_id=user_id,
        offers=skills[ProfileField.OFFERS],
        wants=skills[ProfileField.WANTS],
        objectives=objectives,
        career_stage=career_stage,
        team=team,
        open_to_sponsoring=form.open_to_sponsoring,
        capacity=capacity,
    )
