"""Asks made straight through the use cases, for tests on the rolled-back `repositories` fixture."""

from datetime import UTC, datetime

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy
from bot.members.model import SkillKind, normalize_skill

TEAM = "T1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = AskPolicy()


def offer(repositories, *user_ids: str, skill: str = "SQL") -> None:
    for user_id in user_ids:
        repositories.profiles.add_skills(TEAM, user_id, SkillKind.OFFER, [normalize_skill(skill)])


def start(repositories, asker: str = "UASK", question: str = "A question about SQL joins", now: datetime = NOW):
    return ask_services.start_ask(repositories, TEAM, asker, question, now, POLICY)
