"""Which skills a question is about."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.asks.model import too_short
from bot.asks.skill_detection import detect_skills, rank_skills
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


WORKSPACE = [
    normalize_skill(name)
    for name in ("Python", "SQL", "Data-modeling", "Generative AI", "PostgreSQL", "Kubernetes", "Time management")
]


@pytest.mark.parametrize(
    ("question", "related"),
    [
        ("what's a good way to run my first retro?", []),
        ("how do I handle a difficult conversation with my manager", []),
        ("how do I debug kubernets pods", ["Kubernetes"]),
        ("pyton decorators are confusing me", ["Python"]),
        ("postgress vacuum keeps running forever", ["PostgreSQL"]),
        ("modelling a data warehouse for reporting", ["Data-modeling"]),
        ("how do I manage my time between two teams", ["Time management"]),
        ("using ai to summarise incident reports", ["Generative AI"]),
    ],
)
def test_only_skills_related_to_the_question_are_suggested(question, related):
    assert [skill.label for skill in rank_skills(question, WORKSPACE, 5)] == related


def test_a_whole_name_mistyped_ranks_above_a_single_shared_word():
    vocabulary = [normalize_skill("Data-modeling"), normalize_skill("Database tuning"), normalize_skill("Datadog")]

    assert [skill.label for skill in rank_skills("datadgo alerts for data pipelines", vocabulary, 5)][0] == "Datadog"


unrelated_words = st.lists(st.sampled_from(["retro", "team", "meeting", "feedback", "career", "hiring"]), max_size=8)


@given(unrelated_words)
def test_words_that_share_nothing_with_the_vocabulary_suggest_nothing(words):
    assert rank_skills(" ".join(words), WORKSPACE, 5) == ()


@given(st.text(max_size=200), st.integers(min_value=0, max_value=8))
def test_suggestions_come_from_the_vocabulary_at_most_the_limit_without_repeats(question, limit):
    ranked = rank_skills(question, WORKSPACE, limit)

    assert len(ranked) <= limit and len(set(ranked)) == len(ranked)
    assert set(ranked) <= set(WORKSPACE)


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("x", True),
        ("x #sql", True),  # the tag is not part of the question
        ("SQL help pls", True),  # three words, but 12 characters
        ("Performance optimisation", True),  # 24 characters, but two words
        ("How do I join two tables?", False),
        ("#sql How do I join two tables?", False),
    ],
)
def test_a_question_under_three_words_or_fifteen_characters_is_too_short(question, short):
    assert too_short(question) is short
