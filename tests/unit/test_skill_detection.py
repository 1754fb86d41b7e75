"""Which skills a question is about."""

import pytest

from bot.asks.skill_detection import detect_skills
from bot.members.model import normalize_skill, parse_skill_list
from bot.text import plain_text_of

VOCABULARY = [
    normalize_skill(name)
    for name in ("SQL", "Public speaking", "JavaScript", "Go", "Machine learning", "Delegation", "C++")
]


@pytest.mark.parametrize(
    ("question", "skills"),
    [
        ("How do I tune a slow SQL query?", ["SQL"]),
        ("how do i tune a slow sql query", ["SQL"]),
        ("Tips for public-speaking at all hands?", ["Public speaking"]),
        ("Tips for PUBLIC SPEAKING?", ["Public speaking"]),
        ("writing js tests", ["JavaScript"]),
        ("Any Go experts around?", ["Go"]),
        ("how do I go about this", []),
        ("#delegation how do I let go of work", ["Delegation"]),
        ("#negotiation tips?", ["Negotiation"]),
        ("#public_speaking vs #sql", ["Public speaking", "SQL"]),
        ("machine learning for SQL people", ["Machine learning", "SQL"]),
        ("templates in C++", ["C++"]),
        ("issue #42 again", []),
        ("<#C123|general> &amp; stuff", []),
    ],
)
def test_tags_first_then_vocabulary_names_in_order(question, skills):
    assert [skill.label for skill in detect_skills(question, VOCABULARY).skills] == skills


def test_a_question_naming_no_skill_gets_the_closest_known_ones():
    detection = detect_skills("help me delegat better", VOCABULARY)

    assert detection.skills == ()
    assert [skill.label for skill in detection.suggestions] == ["Delegation"]


def test_the_workspace_label_is_used_for_a_tagged_skill():
    vocabulary = [normalize_skill("Public Speaking")]

    assert detect_skills("#public-speaking", vocabulary).skills[0].label == "Public Speaking"


@pytest.mark.parametrize("name", ["R&D", "Q&A", "P&L", "M&A"])
def test_a_skill_with_an_ampersand_is_the_same_skill_from_a_command_the_modal_and_a_question(name):
    from_modal = parse_skill_list(name)  # modal values arrive as typed
    from_command = parse_skill_list(plain_text_of(name.replace("&", "&amp;")))  # Slack escapes commands' &

    assert from_command == from_modal == [normalize_skill(name)]
    assert from_modal[0].label == name
    asked = plain_text_of(f"Who knows our {name.replace('&', '&amp;')} budget process?")
    assert detect_skills(asked, [*VOCABULARY, *from_modal]).skills == tuple(from_modal)
    assert detect_skills(f"#{name} budget", VOCABULARY).skills == tuple(from_modal)
