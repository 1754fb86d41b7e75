"""Member use cases: adding and listing skills, saving a profile, members coming and going,
and `/mentor forget`, a member's right to be forgotten. Each is handed the unit of work
(bot.unit_of_work); the caller owns the transaction.

What a forgotten member wrote and who they are go; what stays is anonymous: the member's id
in past asks, follow-ups and rounds becomes a tombstone (bot.members.model), so that program
figures still count that an ask was answered or a loop closed."""

from dataclasses import dataclass
from datetime import datetime

from bot.asks.services import AskUnavailable, Cancelled, cancel_ask
from bot.errors import InvalidInput
from bot.followups import services as followup_services
from bot.members.model import (
    MAX_SKILLS_PER_KIND,
    Forgotten,
    NotAMember,
    Profile,
    RoundPreferences,
    Skill,
    SkillKind,
    Standing,
    parse_skill_list,
    takes_part,
)
from bot.rounds import services as round_services
from bot.rounds.model import BUILT_IN
from bot.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SkillsAdded:
    kind: SkillKind
    added: tuple[Skill, ...]
    already: tuple[Skill, ...]
    all: tuple[Skill, ...]


def skills_of(profile: Profile | None, kind: SkillKind) -> tuple[Skill, ...]:
    """The skills of `kind` a profile lists; none for someone without a profile."""
    if profile is None:
        return ()
    return profile.offers if kind is SkillKind.OFFER else profile.wants


def add_skills(work: UnitOfWork, team_id: str, user_id: str, kind: SkillKind, text: str) -> SkillsAdded:
    """`/mentor offer …` and `/mentor learn …`: add the listed skills to the member's profile.
    Raises InvalidInput for a bad skill (then none is added) or one too many."""
    profiles = work.profiles
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


def list_skills(work: UnitOfWork, team_id: str, user_id: str, kind: SkillKind) -> tuple[Skill, ...]:
    """`/mentor offer` and `/mentor learn` alone: the member's skills of `kind`. Raises nothing."""
    return skills_of(work.profiles.get(team_id, user_id), kind)


def save_profile(work: UnitOfWork, profile: Profile, preferences: RoundPreferences = RoundPreferences()) -> Profile:
    """The profile modal's submission: the member's profile replaced by the form's, and what
    the form says of rounds (who never to be paired with, the rounds they are in, their life
    situations); a part the form did not hold (None) stays as it was."""
    team_id, user_id = profile.team_id, profile.user_id
    saved = work.profiles.save(profile)
    if preferences.never is not None:
        work.rounds.set_never(team_id, user_id, list(preferences.never))
    if preferences.rounds is not None:
        for program in BUILT_IN:  # the profile's tick boxes
            work.rounds.set_opt_in(team_id, user_id, program.key, program.kind in preferences.rounds)
    if preferences.situations is not None:
        work.rounds.set_situations(team_id, user_id, preferences.situations)
    return saved


def welcome(work: UnitOfWork, team_id: str, user_id: str, standing: Standing, now: datetime) -> bool:
    """Someone joined the workspace: one welcome DM queued, once ever, and nothing else (they
    are enrolled in nothing); none for a guest while the program does not include guests, nor
    for anyone from another organisation. False if none was queued."""
    if not takes_part(standing, work.program.settings(team_id).guests_included):
        return False
    return work.profiles.queue_welcome(team_id, user_id, now)


def admit(work: UnitOfWork, team_id: str, user_id: str, fresh: Standing | None = None) -> Standing | None:
    """Whether `user_id` may use Mentor in `team_id`: by what Slack has just said of them
    (`fresh`), else by what was last recorded on their row. None when neither is known: the
    caller asks Slack, records what it said (note_standing, in a transaction of its own, so a
    refusal does not undo it), then calls again with `fresh`. Stores nothing. Raises
    NotAMember for someone from another organisation, or a guest while the program does not
    include guests."""
    standing = fresh or work.profiles.standing(team_id, user_id)
    if standing is None:
        return None
    if not takes_part(standing, work.program.settings(team_id).guests_included):
        raise NotAMember(standing)
    return standing


def note_standing(work: UnitOfWork, team_id: str, user_id: str, standing: Standing, now: datetime) -> None:
    """What Slack now says someone is, kept on their row if they have one (nothing is stored
    for anyone else). Someone who may no longer take part (now a guest while guests are not
    included) leaves every round, is no longer asked how advice went, and no DM waits for
    them; someone who may again is not put back in any: people opt in themselves."""
    if work.profiles.record_standing(team_id, user_id, standing) and not takes_part(
        standing, work.program.settings(team_id).guests_included
    ):
        work.rounds.leave_rounds(team_id, user_id)
        followup_services.cancel_open(work, team_id, user_id, now)


def set_deactivated(work: UnitOfWork, team_id: str, user_id: str, deactivated: bool, now: datetime) -> tuple[str, ...]:
    """A member Slack says is gone (deactivated: `user_change`, users.info; or a DM Slack
    refused because they cannot be messaged) is out of every round, of asks' rankings and of
    follow-ups from now on, and no DM waits for them; whoever their going left alone in a
    fresh round is told, and given a new group where the round allows it
    (bot.rounds.services.regroup_without). One reactivated can be reached again (they rejoin
    rounds themselves). Returns the members told."""
    if not deactivated:
        work.rounds.reactivate(team_id, user_id)
        return ()
    work.rounds.leave_everything(team_id, user_id)
    followup_services.cancel_open(work, team_id, user_id, now)
    return round_services.regroup_without(work, team_id, user_id, now)


def forget_member(
    work: UnitOfWork, team_id: str, user_id: str, tombstone: str, now: datetime
) -> tuple[Forgotten, list[Cancelled]]:
    """Withdraw the member's open asks (their candidates' DMs are then closed), then forget them.
    An ask someone takes at the same moment is forgotten with the rest, not withdrawn: it
    never stops the forgetting. Raises nothing of its own."""
    withdrawn = []
    for ask in work.asks.pending_of(team_id, user_id):
        try:
            withdrawn.append(cancel_ask(work, team_id, ask.id, user_id, now))
        except AskUnavailable:
            continue  # taken or closed since pending_of read it
    return work.forgetting.forget(team_id, user_id, tombstone), withdrawn


def forget_workspace(work: UnitOfWork, team_id: str) -> int:
    """The workspace removed Mentor: everything held about it goes. Returns the rows deleted."""
    return work.forgetting.forget_workspace(team_id)
