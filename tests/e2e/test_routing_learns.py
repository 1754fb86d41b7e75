"""Routing that learns from the workspace, end to end: asks tagged with a skill teach it the
question's words, and a member who asked to be forgotten no longer teaches it anything."""

from bot import ids
from tests.support.members import ask, forget, offered_in, say

RETRO_ASKS = (
    ("UASK", "Our retro keeps turning into a complaint session #agile"),
    ("UDAN", "Ideas for a retro with a quiet team? #agile"),
    ("UEVE", "How often should we hold a retro? #agile"),
)

UNTAGGED = "how do I run a good retro?"


def suggested(answer: dict) -> list[str]:
    return offered_in(answer, ids.PICK_ASK_SKILL)


def test_after_three_retro_asks_tagged_agile_a_retro_question_suggests_agile_first(workspace):
    for user_id in ("UANA", "UBEN", "UCAT"):
        say(workspace, "offer Agile, Python", user_id)
    assert suggested(ask(workspace, UNTAGGED, "UBEN")) == []  # nothing learned yet: no unrelated suggestion

    for asker, question in RETRO_ASKS:
        ask(workspace, question, asker)
    answer = ask(workspace, UNTAGGED, "UCAT")

    assert suggested(answer)[0] == "Agile"
    assert answer.get("response_type", "ephemeral") == "ephemeral"  # Slack's default for response_url


def test_a_member_who_asked_to_be_forgotten_no_longer_teaches_the_workspace(workspace):
    for user_id in ("UANA", "UBEN", "UCAT"):
        say(workspace, "offer Agile", user_id)
    for asker, question in RETRO_ASKS[:2]:
        ask(workspace, question, asker)
    assert suggested(ask(workspace, UNTAGGED, "UBEN"))[:1] == ["Agile"]

    assert "forgotten" in forget(workspace, "UASK")["text"].lower()

    assert suggested(ask(workspace, UNTAGGED, "UCAT")) == []  # one retro ask left: not enough to go on
