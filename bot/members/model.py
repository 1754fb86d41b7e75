"""Members: skills (offered and wanted, with aliases), profiles, life situations, and the
tombstones that replace a forgotten member's id."""

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.errors import InvalidInput
from bot.ids import ProfileField
from bot.rounds.model import RoundKind
from bot.text import clean_line, clean_paragraphs, shown

MAX_SKILL_LENGTH = 50


MAX_SKILLS_PER_KIND = 30


# Characters that matter inside a key: letters and digits, plus the marks that
# tell C from C++ and C#.
_KEY_DROP = re.compile(r"[^\w+#]|_")


_SEPARATORS = re.compile(r"[,;\n]")


# Punctuation trimmed from both ends of a label; "+" and "#" stay (C++, C#) and a
# leading "." stays (.NET).
_TRIM = " \t,;:!?'\"()[]{}<>*_~`|\\/-@&^=$%"


class SkillKind(str, Enum):
    OFFER = "offer"
    WANT = "want"


@dataclass(frozen=True)
class Skill:
    key: str
    label: str


def skill_key(label: str) -> str:
    """The comparison key of a label: case, spaces, hyphens and punctuation folded."""
    key = _KEY_DROP.sub("", label.casefold())
    return "." + key if label.startswith(".") else key  # .NET is not NET


# Well-known names with their usual abbreviations; each maps to the first name.
_ALIAS_NAMES = (
    ("JavaScript", "js", "ecmascript"),
    ("TypeScript", "ts"),
    ("SQL",),
    ("HTML",),
    ("CSS",),
    ("Python", "py", "python3"),
    ("Go", "golang"),
    ("Kubernetes", "k8s", "kube"),
    ("PostgreSQL", "postgres", "psql"),
    ("Node.js", "node", "nodejs"),
    ("React", "reactjs", "react.js"),
    ("Machine learning", "ml"),
    ("Artificial intelligence", "ai"),
    ("User experience", "ux", "ux design"),
    ("Product management", "pm"),
    ("Continuous integration", "ci", "ci/cd"),
    ("Amazon Web Services", "aws"),
    ("Google Cloud", "gcp", "google cloud platform"),
)


ALIASES: dict[str, Skill] = {
    skill_key(name): Skill(key=skill_key(names[0]), label=names[0]) for names in _ALIAS_NAMES for name in names
}


def normalize_skill(raw: str) -> Skill:
    """Turn one typed skill name into a Skill, or raise InvalidInput saying why not."""
    cleaned = clean_line(raw)
    label = cleaned.strip(_TRIM + ".")
    if label and cleaned.lstrip(_TRIM).startswith("."):
        label = "." + label
    if len(label) > MAX_SKILL_LENGTH:
        raise InvalidInput(
            f"“{shown(label, 24)}” is too long for a skill: keep each one under {MAX_SKILL_LENGTH} characters."
        )
    if "<" in label or ">" in label:  # Slack's syntax for mentions and links, inside a shared name
        raise InvalidInput(f"“{shown(label, 40)}” isn't a skill name: leave out < and >.")
    key = skill_key(label)
    if not key.strip("."):
        raise InvalidInput(f"“{shown(cleaned, 40)}” isn't a skill name: use words, like `SQL` or `public speaking`.")
    if label.islower():
        label = label[0].upper() + label[1:]  # "public speaking" shows as "Public speaking"
    return ALIASES.get(key, Skill(key=key, label=label))


def parse_skill_list(text: str) -> list[Skill]:
    """Skills from a comma-separated list (semicolons and new lines also separate).

    Empty entries are skipped and repeats kept once, in the order typed. Any bad
    entry raises InvalidInput for the whole list, so nothing is half-stored.
    """
    skills: list[Skill] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text):
        if not clean_line(part):
            continue
        skill = normalize_skill(part)
        if skill.key not in seen:
            seen.add(skill.key)
            skills.append(skill)
    if len(skills) > MAX_SKILLS_PER_KIND:
        raise InvalidInput(f"That's {len(skills)} skills; list at most {MAX_SKILLS_PER_KIND} at once.")
    return skills


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


@dataclass(frozen=True)
class RoundPreferences:
    """What the profile modal says of rounds; None where the form did not hold that part (a
    modal opened before it existed) or held what Slack's client could not have sent: that
    part then stays as it was."""

    never: tuple[str, ...] | None = None  # people never to be paired with (Slack user ids)
    rounds: frozenset[RoundKind] | None = None  # the rounds ticked
    situations: frozenset[str] | None = None  # the life situations ticked (keys of SITUATIONS)


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


TOMBSTONE_PREFIX = "X"


def is_forgotten(user_id: str) -> bool:
    return user_id.startswith(TOMBSTONE_PREFIX)


def tombstone(random_hex: str) -> str:
    """A fresh tombstone: one per forgotten member, so counts of distinct people stay right."""
    return TOMBSTONE_PREFIX + random_hex.upper()


def person(user_id: str) -> str:
    """A member as mrkdwn: a mention, or words for someone who asked Mentor to forget them."""
    return "someone who has left Mentor" if is_forgotten(user_id) else f"<@{user_id}>"


# Stored value: what the member reads. Values are kept forever once used: a stored one that
# is no longer listed is ignored, not an error.
SITUATIONS = {
    "parental_leave": "Back from parental leave",
    "new_country": "New to the country",
    "caregiving": "Caring for a relative",
    "career_change": "Changing careers",
    "new_manager": "New to managing people",
    "first_job": "In my first job",
}


def known_situations(values) -> frozenset[str]:
    """The listed situations among `values` (from storage, or from Slack: untrusted)."""
    return frozenset(value for value in values if isinstance(value, str) and value in SITUATIONS)


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


class Standing(str, Enum):
    """Who someone is to the workspace (or org) whose data Mentor holds."""

    MEMBER = "member"
    GUEST = "guest"  # a multi-channel or single-channel guest of the workspace
    OUTSIDER = "outsider"  # from another organisation: a Slack Connect user


@dataclass(frozen=True)
class SlackPerson:
    """What Slack says of someone (users.info, or the user object of user_change and
    team_join), as far as their standing goes."""

    team_id: str | None
    enterprise_id: str | None = None  # their org, on Enterprise Grid
    enterprise_teams: frozenset[str] = frozenset()  # the org's workspaces they belong to
    stranger: bool = False  # Slack's is_stranger: someone whose organisation is not ours
    guest: bool = False  # is_restricted (multi-channel guest) or is_ultra_restricted (single-channel)
    bot: bool = False  # is_bot: an app's bot user, which a channel may have among its members


def slack_person(user: dict) -> SlackPerson:
    """A user object as Slack sends it (users.info, user_change, team_join), read as untrusted."""
    enterprise = user.get("enterprise_user")
    enterprise = enterprise if isinstance(enterprise, dict) else {}
    teams = enterprise.get("teams")
    teams = teams if isinstance(teams, list) else []

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    return SlackPerson(
        team_id=text(user.get("team_id")),
        enterprise_id=text(enterprise.get("enterprise_id")),
        enterprise_teams=frozenset(team for team in teams if isinstance(team, str) and team),
        stranger=user.get("is_stranger") is True,
        guest=user.get("is_restricted") is True or user.get("is_ultra_restricted") is True,
        bot=user.get("is_bot") is True,
    )


def standing_of(person: SlackPerson, owner: str) -> Standing:
    """Who `person` is to `owner`, the workspace or org whose data a request belongs to. A
    member's own workspace, their org, or one of the org's workspaces they belong to is the
    owner, and Slack does not call them a stranger; a restricted member is a guest; everybody
    else (a Slack Connect user from another company) is an outsider."""
    homes = {person.team_id, person.enterprise_id, *person.enterprise_teams} - {None, ""}
    if person.stranger or owner not in homes:
        return Standing.OUTSIDER
    return Standing.GUEST if person.guest else Standing.MEMBER


def takes_part(standing: Standing, guests_included: bool) -> bool:
    """Whether someone of `standing` may use Mentor: members always, guests when the
    workspace's admins include them, outsiders never."""
    return standing is Standing.MEMBER or (standing is Standing.GUEST and guests_included)


@dataclass
class RecentStandings:
    """What Slack said lately of people whose standing is not on a row (they have none yet, or
    it was made by the request that admitted them): each is looked up once per `kept_for`,
    not at every request, until their row holds it."""

    kept_for: timedelta = timedelta(minutes=10)
    _seen: dict[tuple[str, str], tuple[Standing, datetime]] = dataclasses.field(default_factory=dict)

    def get(self, team_id: str, user_id: str, now: datetime) -> Standing | None:
        standing, at = self._seen.get((team_id, user_id), (None, now))
        return standing if now - at < self.kept_for else None

    def put(self, team_id: str, user_id: str, standing: Standing, now: datetime) -> None:
        if len(self._seen) > 10_000:  # a bound on memory: only recent ones matter
            self._seen = {key: seen for key, seen in self._seen.items() if now - seen[1] < self.kept_for}
        self._seen[(team_id, user_id)] = (standing, now)

    def forget(self, team_id: str, user_id: str) -> None:
        self._seen.pop((team_id, user_id), None)


class NotAMember(Exception):
    """Mentor is not for this person in this workspace: they are from another organisation, or
    a guest while the program does not include guests. `workspace` is its name, to tell them
    (the Slack edge fills it in)."""

    def __init__(self, standing: Standing, workspace: str = "this workspace"):
        super().__init__(standing.value)
        self.standing = standing
        self.workspace = workspace
