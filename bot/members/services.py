"""Member use cases: adding and listing skills, saving a profile, and `/mentor forget`,
a member's right to be forgotten.

What they wrote and who they are go; what stays is anonymous: the member's id in past asks,
follow-ups and rounds becomes a tombstone (bot.members.model), so that program figures still
count that an ask was answered or a loop closed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.asks.services import AskRepository, Cancelled, cancel_ask
from bot.errors import InvalidInput
from bot.members.model import MAX_SKILLS_PER_KIND, Forgotten, Profile, Skill, SkillKind, parse_skill_list


class ProfileRepository(Protocol):
    def get(self, team_id: str, user_id: str) -> Profile | None: ...

    def add_skills(self, team_id: str, user_id: str, kind: SkillKind, skills: list[Skill]) -> list[Skill]:
        """Add skills (creating the member and vocabulary entries as needed); return
        them under the workspace's labels."""
        ...

    def save(self, profile: Profile) -> Profile: ...


@dataclass(frozen=True)
class SkillsAdded:
    kind: SkillKind
    added: tuple[Skill, ...]
    already: tuple[Skill, ...]
    all: tuple[Skill, ...]


def skills_of(profile: Profile | None, kind: SkillKind) -> tuple[Skill, ...]:
    if profile is None:
        return ()
    return profile.offers if kind is SkillKind.OFFER else profile.wants


def add_skills(profiles: ProfileRepository, team_id: str, user_id: str, kind: SkillKind, text: str) -> SkillsAdded:
    """`/mentor offer …` and `/mentor learn …`: add the listed skills to the member's profile."""
    skills = parse_skill_list(text)
    if not skills:
        raise InvalidInput("List one or more skills, separated by commas, like `SQL, public speaking`.")
    current = skills_of(profiles.get(team_id, user_id), kind)
    current_keys = {skill.key for skill in current}
    new = [skill for skill in skills if skill.key not in current_keys]
    if len(current) + len(new) > MAX_SKILLS_PER_KIND:
        raise InvalidInput(
            f"You'd have {len(current) + len(new)} skills there; the most is {MAX_SKILLS_PER_KIND}. "
            "Remove some in `/mentor profile` first."
        )
    added = profiles.add_skills(team_id, user_id, kind, new) if new else []
    already = tuple(skill for skill in current if skill.key in {s.key for s in skills})
    return SkillsAdded(kind=kind, added=tuple(added), already=already, all=tuple(current) + tuple(added))


def list_skills(profiles: ProfileRepository, team_id: str, user_id: str, kind: SkillKind) -> tuple[Skill, ...]:
    return skills_of(profiles.get(team_id, user_id), kind)


def save_profile(profiles: ProfileRepository, profile: Profile) -> Profile:
    """The profile modal's submission: replace the member's profile with the form's."""
    return profiles.save(profile)


class ForgetRepository(Protocol):
    def forget(self, team_id: str, user_id: str, tombstone: str) -> "Forgotten": ...


def forget_member(
    asks: AskRepository, forgetting: ForgetRepository, team_id: str, user_id: str, tombstone: str, now: datetime
) -> tuple["Forgotten", list[Cancelled]]:
    """Withdraw the member's open asks (their candidates' DMs are then closed), then forget them."""
    withdrawn = [cancel_ask(asks, team_id, ask.id, user_id, now) for ask in asks.pending_of(team_id, user_id)]
    return forgetting.forget(team_id, user_id, tombstone), withdrawn
