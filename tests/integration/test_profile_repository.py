"""ProfileRepository against real SQLite and PostgreSQL."""

from bot.members.model import CareerStage, Profile, Skill, SkillKind, normalize_skill

TEAM, OTHER_TEAM = "T1", "T2"


def skills(*names: str) -> list[Skill]:
    return [normalize_skill(name) for name in names]


def labels(found: tuple[Skill, ...]) -> list[str]:
    return [skill.label for skill in found]


def test_a_member_without_a_profile_has_none(repositories):
    assert repositories.profiles.get(TEAM, "UANA") is None


def test_added_skills_come_back_in_the_order_added(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("SQL", "Go"))
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("Rust"))
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.WANT, skills("Delegation"))

    profile = repositories.profiles.get(TEAM, "UANA")
    assert labels(profile.offers) == ["SQL", "Go", "Rust"]
    assert labels(profile.wants) == ["Delegation"]
    assert profile.capacity == 2


def test_adding_a_skill_twice_keeps_one(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("SQL"))
    added = repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("sql", "Go"))

    assert labels(tuple(added)) == ["Go"]
    assert labels(repositories.profiles.get(TEAM, "UANA").offers) == ["SQL", "Go"]


def test_the_workspace_label_wins_over_a_later_spelling(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("Public speaking"))
    added = repositories.profiles.add_skills(TEAM, "UBEN", SkillKind.WANT, skills("PUBLIC-SPEAKING"))

    assert labels(tuple(added)) == ["Public speaking"]


def test_vocabularies_and_profiles_are_kept_per_workspace(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("Public speaking"))
    repositories.profiles.add_skills(OTHER_TEAM, "UANA", SkillKind.OFFER, skills("PUBLIC SPEAKING"))

    assert labels(repositories.profiles.get(OTHER_TEAM, "UANA").offers) == ["PUBLIC SPEAKING"]
    assert labels(repositories.profiles.get(TEAM, "UANA").offers) == ["Public speaking"]


def test_saving_a_profile_replaces_every_field(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("SQL", "Go", "Rust"))
    saved = repositories.profiles.save(
        Profile(
            team_id=TEAM,
            user_id="UANA",
            offers=tuple(skills("Rust", "SQL", "Kotlin")),
            wants=tuple(skills("Go")),
            objectives="Lead a release\nMentor two people",
            career_stage=CareerStage.EXECUTIVE,
            team="Platform",
            open_to_sponsoring=True,
            capacity=0,
        )
    )

    assert saved == repositories.profiles.get(TEAM, "UANA")
    assert labels(saved.offers) == ["Rust", "SQL", "Kotlin"]
    assert labels(saved.wants) == ["Go"]
    assert saved.objectives == "Lead a release\nMentor two people"
    assert (saved.career_stage, saved.team, saved.open_to_sponsoring, saved.capacity) == (
        CareerStage.EXECUTIVE,
        "Platform",
        True,
        0,
    )


def test_a_skill_can_be_both_offered_and_wanted(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("SQL"))
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.WANT, skills("SQL"))

    profile = repositories.profiles.get(TEAM, "UANA")
    assert labels(profile.offers) == labels(profile.wants) == ["SQL"]


def test_emoji_and_right_to_left_text_survive_a_round_trip(repositories):
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, skills("👩‍💻 pairing", "עברית"))

    assert labels(repositories.profiles.get(TEAM, "UANA").offers) == ["👩‍💻 pairing", "עברית"]
