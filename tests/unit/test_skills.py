import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.members.model import MAX_SKILLS_PER_KIND, normalize_skill, parse_skill_list


@pytest.mark.parametrize(
    ("typed", "key", "label"),
    [
        ("SQL", "sql", "SQL"),
        ("sql", "sql", "SQL"),
        ("js", "javascript", "JavaScript"),
        ("JavaScript", "javascript", "JavaScript"),
        ("k8s", "kubernetes", "Kubernetes"),
        ("node.js", "nodejs", "Node.js"),
        ("public speaking", "publicspeaking", "Public speaking"),
        ("Public-Speaking!", "publicspeaking", "Public-Speaking"),
        ("  PUBLIC   speaking ", "publicspeaking", "PUBLIC speaking"),
        ("C++", "c++", "C++"),
        ("C#", "c#", "C#"),
        (".NET", ".net", ".NET"),
        ("iOS", "ios", "iOS"),
        ("<!channel>", "channel", "Channel"),
        ("ML", "machinelearning", "Machine learning"),
    ],
)
def test_typed_names_become_one_key_and_a_readable_label(typed, key, label):
    skill = normalize_skill(typed)

    assert (skill.key, skill.label) == (key, label)


@pytest.mark.parametrize(
    ("typed", "complaint"),
    [
        ("!!!", "isn't a skill name"),
        ("---", "isn't a skill name"),
        ("x" * 51, "too long"),
        # Shown to the whole workspace in buttons and lists: no mention or link inside a name.
        ("SQL<!here|here>tuning", "leave out < and >"),
        ("Go <https://evil|tips>", "leave out < and >"),
    ],
)
def test_names_that_are_not_skills_are_refused_with_a_reason(typed, complaint):
    with pytest.raises(InvalidInput, match=complaint):
        normalize_skill(typed)


def test_a_list_splits_on_commas_semicolons_and_lines_and_keeps_one_of_each():
    skills = parse_skill_list("SQL, Go;; golang\n\nsql ,Rust,")

    assert [skill.label for skill in skills] == ["SQL", "Go", "Rust"]


def test_one_bad_entry_refuses_the_whole_list():
    with pytest.raises(InvalidInput, match="“\\?\\?” isn't a skill name"):
        parse_skill_list("SQL, ??, Go")


def test_too_many_skills_at_once_are_refused():
    with pytest.raises(InvalidInput, match=f"at most {MAX_SKILLS_PER_KIND}"):
        parse_skill_list(", ".join(f"skill {n}" for n in range(MAX_SKILLS_PER_KIND + 1)))


def test_a_refusal_shows_typed_mrkdwn_escaped():
    with pytest.raises(InvalidInput) as refused:
        normalize_skill("<@U1>" * 20)

    assert "<@U1>" not in refused.value.message
    assert "&lt;" in refused.value.message or "U1&gt;" in refused.value.message


@given(st.text(max_size=200))
def test_any_text_is_either_skills_within_limits_or_a_clear_refusal(text):
    try:
        skills = parse_skill_list(text)
    except InvalidInput as refused:
        assert refused.message
        return
    for skill in skills:
        assert 0 < len(skill.label) <= 50 and not {"<", ">"} & set(skill.label)
        assert skill.key.strip(".")
        assert normalize_skill(skill.label).key == skill.key  # stable: a stored label maps to itself
