"""Routing that learns from the workspace: confirmed asks' words as evidence for their skill."""

from hypothesis import given
from hypothesis import strategies as st

from bot.asks.evidence import NO_EVIDENCE, counted, posteriors
from bot.asks.skill_detection import detect_skills, evidence_words, rank_skills
from bot.members.model import normalize_skill

WORKSPACE = [
    normalize_skill(name)
    for name in (
        "Agile",
        "Python",
        "SQL",
        "Data-modeling",
        "Kubernetes",
        "Time management",
        "Public speaking",
        "Negotiation",
    )
]


def learned(*confirmed: tuple[str, str]):
    """The evidence of asks confirmed as (question, skill label)."""
    return counted((normalize_skill(label).key, evidence_words(question)) for question, label in confirmed)


RETROS_TAGGED_AGILE = learned(
    ("#agile our retro keeps turning into a complaint session", "Agile"),
    ("#agile ideas for a remote retro with a big team", "Agile"),
    ("#agile how often should we hold a retro?", "Agile"),
)


def labels(skills) -> list[str]:
    return [skill.label for skill in skills]


def test_after_three_retros_tagged_agile_a_new_retro_question_suggests_agile_first():
    assert detect_skills("how do I run a good retro?", WORKSPACE).suggestions == ()

    detection = detect_skills("how do I run a good retro?", WORKSPACE, evidence=RETROS_TAGGED_AGILE)

    assert detection.skills == ()
    assert labels(detection.suggestions)[0] == "Agile"


def test_what_was_learned_about_retros_suggests_nothing_for_an_unrelated_question():
    assert rank_skills("how do I ask for a raise at my review?", WORKSPACE, 5, RETROS_TAGGED_AGILE) == ()


def test_a_word_from_a_single_confirmed_ask_is_not_enough():
    once = learned(("#agile our retro keeps turning into a complaint session", "Agile"))

    assert rank_skills("how do I run a good retro?", WORKSPACE, 5, once) == ()


def test_a_word_confirmed_for_many_skills_points_to_none_of_them():
    team = learned(
        ("#agile standups with a big team", "Agile"),
        ("#agile planning with a big team", "Agile"),
        ("#negotiation contracts for my team", "Negotiation"),
        ("#negotiation raises for my team", "Negotiation"),
        ("#public-speaking presenting to the team", "Public speaking"),
    )

    assert rank_skills("how do I help my team?", WORKSPACE, 5, team) == ()


def test_a_word_this_workspace_uses_for_another_skill_no_longer_suggests_the_name_it_shares():
    question = "my talk keeps running over time, how do I keep it short?"
    assert labels(rank_skills(question, WORKSPACE, 5)) == ["Time management"]
    over_time = learned(
        ("#public-speaking my talk ran over time again", "Public speaking"),
        ("#public-speaking keeping to time in a conference talk", "Public speaking"),
        ("#public-speaking nervous before my talk", "Public speaking"),
    )

    assert labels(rank_skills(question, WORKSPACE, 5, over_time)) == ["Public speaking"]


def test_the_learned_skill_ranks_first_by_its_confirmed_asks():
    queries = learned(
        ("#sql slow join query on orders", "SQL"),
        ("#sql window function query", "SQL"),
        ("#data-modeling schema for orders and invoices", "Data-modeling"),
        ("#data-modeling invoices schema with history", "Data-modeling"),
    )

    assert labels(rank_skills("a faster query for monthly totals", WORKSPACE, 5, queries)) == ["SQL"]
    assert labels(rank_skills("invoices table for a new schema", WORKSPACE, 5, queries)) == ["Data-modeling"]


def test_tags_are_not_counted_as_question_words_and_each_word_counts_once():
    assert evidence_words("#agile retro retro RETRO, with a #big-team?") == ("retro",)


def test_posteriors_of_the_supported_skills_are_probabilities():
    probabilities = posteriors(("retro",), RETROS_TAGGED_AGILE)

    assert set(probabilities) == {"agile"}
    assert 0 < probabilities["agile"] <= 1


questions = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=120)
words = st.sampled_from(["retro", "sprint", "query", "schema", "talk", "time", "pods", "kubernets", "python"])
confirmed = st.lists(
    st.tuples(st.sampled_from([skill.label for skill in WORKSPACE]), st.lists(words, min_size=1, max_size=5)),
    max_size=12,
)


@given(questions)
def test_a_workspace_that_learned_nothing_ranks_by_names_alone(question):
    assert rank_skills(question, WORKSPACE, 5, counted([])) == rank_skills(question, WORKSPACE, 5, NO_EVIDENCE)


@given(questions, confirmed)
def test_evidence_about_other_words_changes_no_ranking(question, asks):
    others = counted((normalize_skill(label).key, [f"zz{word}" for word in ask]) for label, ask in asks)

    assert rank_skills(question, WORKSPACE, 5, others) == rank_skills(question, WORKSPACE, 5)


@given(confirmed, st.sampled_from(["how do I debug kubernetes pods", "which python test runner", "our sql reports"]))
def test_whatever_the_workspace_learned_a_skill_named_in_full_stays_suggested(asks, question):
    evidence = counted((normalize_skill(label).key, ask) for label, ask in asks)
    named = rank_skills(question, WORKSPACE, 5)[0]

    assert named in rank_skills(question, WORKSPACE, 5, evidence)


@given(questions, confirmed)
def test_learned_suggestions_come_from_the_vocabulary_at_most_the_limit_without_repeats(question, asks):
    evidence = counted((normalize_skill(label).key, ask) for label, ask in asks)
    ranked = rank_skills(question, WORKSPACE, 3, evidence)

    assert len(ranked) <= 3 and len(set(ranked)) == len(ranked)
    assert set(ranked) <= set(WORKSPACE)
