"""Working out which skills a question is about.

Explicit `#tags` come first, then names from the workspace's vocabulary (aliases and
multi-word skills included) in the order they appear. When nothing matches, the skills
related to the question are suggested (rank_skills): names typed with a typo, names sharing a
word with it, and skills whose confirmed asks in this workspace used its words
(bot.asks.evidence). An unrelated question gets no suggestion at all.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.asks.evidence import MAX_WORD_LENGTH, NO_EVIDENCE, Evidence, posteriors
from bot.errors import InvalidInput
from bot.members.model import ALIASES, Skill, normalize_skill, skill_key

MAX_WORDS_IN_A_SKILL = 4


# "#sql", but not "<#C123|general>" (a channel link) nor "&#39;" (an entity).
_TAG = re.compile(r"(?<![\w&<])#([^\s#,;:!?()\[\]{}<>|\"']+)")


_WORD = re.compile(r"[\w+#.]+")


# English words that are also skill names: they count only when written with a
# capital ("Go", "Rust"), not in "how do I go about it".
_COMMON_WORDS = frozenset(
    {
        "go",
        "rest",
        "swift",
        "spring",
        "express",
        "make",
        "rust",
        "ruby",
        "chef",
        "react",
        "flutter",
        "dart",
        "excel",
        "word",
    }
)


@dataclass(frozen=True)
class Detection:
    skills: tuple[Skill, ...]  # best first; empty when nothing matched
    suggestions: tuple[Skill, ...]  # skills related to the question, when nothing matched; maybe none
    tagged: frozenset[str] = frozenset()  # keys of the skills the asker #tagged: confirmed by them


def _tagged(question: str) -> list[Skill]:
    found = []
    for match in _TAG.finditer(question):
        name = match.group(1).replace("_", " ").replace("-", " ")
        if not any(ch.isalpha() for ch in name):
            continue  # "#42" is an issue number, not a skill
        try:
            found.append(normalize_skill(name))
        except InvalidInput:
            continue  # "#1" or "#!!" is not a tag
    return found


def _named(question: str, vocabulary: dict[str, Skill]) -> list[Skill]:
    """Vocabulary skills named in the text, longest match first at each position."""
    words = [(match.group(0).strip("."), match.start()) for match in _WORD.finditer(question)]
    words = [(word, start) for word, start in words if word]
    found: list[Skill] = []
    position = 0
    while position < len(words):
        for size in range(min(MAX_WORDS_IN_A_SKILL, len(words) - position), 0, -1):
            typed = " ".join(word for word, _ in words[position : position + size])
            key = skill_key(typed)
            skill = vocabulary.get(key) or vocabulary.get(ALIASES[key].key if key in ALIASES else "")
            if skill is None:
                continue
            if size == 1 and key in _COMMON_WORDS and typed.islower():
                continue
            found.append(skill)
            position += size
            break
        else:
            position += 1
    return found


# A typed word this close to a skill's name (rapidfuzz's ratio, 0-100) is that name with a
# typo: "kubernets" and "Kubernetes" score 95, "pyton" and "Python" 91, "retro" and "Python" 36.
TYPO_SCORE = 85


# Shorter words are compared exactly: "sql" and "sq", "ux" and "ui" are different things.
MIN_FUZZY_LENGTH = 4


# A word this long that begins a name is that name cut short: "delegat", "manage".
MIN_PREFIX_LENGTH = 5


def _alike(typed: str, name: str) -> float:
    """How much a typed word or phrase looks like a name, 0 when not enough to count."""
    if typed == name:
        return 100.0
    if len(typed) >= MIN_PREFIX_LENGTH and name.startswith(typed):
        return 90.0
    if min(len(typed), len(name)) < MIN_FUZZY_LENGTH:
        return 0.0
    return fuzz.ratio(typed, name, score_cutoff=TYPO_SCORE)


# Words that say nothing about a subject, in questions and in multi-word skill names alike.
_STOPWORD_TEXT = """
a about after all also am an and any are as at be been before best better but by can could did
do does doing for from get getting good great have having help how i if in into is it its just
know like make me more most my need new of on one or our out should so some start started than
that the their them then there these they thing things this those to up use using us want was
way ways we well what when where which while who why will with would you your first run running
tips advice question work
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


_TOKEN = re.compile(r"[^\W_]+(?:[+#]+|\.js)?")


def _words(text: str) -> list[str]:
    return [word for word in _TOKEN.findall(text.casefold()) if word not in _STOPWORDS]


def _names(skill: Skill) -> tuple[set[str], set[str]]:
    """A skill's whole names (its key and aliases' keys) and the telling words of its label."""
    whole = {skill.key} | {alias for alias, canonical in ALIASES.items() if canonical.key == skill.key}
    return whole, set(_words(skill.label)) - whole


def _relatedness(phrases: list[tuple[str, str]], words: set[str], skill: Skill, doubted: set[str]) -> float:
    """How strongly a question (its phrases of one and two words as (key, words), and its
    words) relates to `skill`, 0 when not at all: a whole name, maybe mistyped, counts most;
    each word shared with a multi-word name counts less, more when it covers more of the
    name. Of the `doubted` words only a whole name written out in full counts."""
    whole, label_words = _names(skill)
    best = max(
        (
            _alike(phrase, name) if doubted.isdisjoint(typed.split()) else 100.0 * (phrase == name)
            for phrase, typed in phrases
            for name in whole
        ),
        default=0.0,
    )
    if label_words:
        sharing = words - doubted
        shared = sum(1 for name_word in label_words if any(_alike(word, name_word) for word in sharing))
        if shared:
            best = max(best, 60.0 + 30.0 * shared / len(label_words))
    return best


def evidence_words(question: str) -> tuple[str, ...]:
    """The words of a question that count as evidence for the skill its asker confirms: its
    telling words (stopwords and #tags left out), each once, in sorted order."""
    words = _words(_TAG.sub(" ", question))
    return tuple(sorted({word for word in words if len(word) <= MAX_WORD_LENGTH}))


# What the workspace learned adds up to this much to a skill's relatedness (0-100): a skill
# its confirmed asks point to with certainty ranks above one sharing a single word with the
# question (60 and up), and still below a whole name, even mistyped (TYPO_SCORE and up).
LEARNED_WEIGHT = 80.0


def rank_skills(
    question: str, vocabulary: list[Skill], limit: int, evidence: Evidence = NO_EVIDENCE
) -> tuple[Skill, ...]:
    """The skills of the vocabulary related to `question`, most related first, at most `limit`;
    none when nothing relates. The one place that ranks candidate skills for a question.

    A skill's score is its relatedness by name (0-100) plus LEARNED_WEIGHT times the
    probability the workspace's confirmed asks give it for the question's words
    (bot.asks.evidence.posteriors, which only names skills those words support). Without
    evidence the ranking is by name alone."""
    words = _words(question)
    phrases = [(skill_key(word), word) for word in words]
    phrases += [
        (skill_key(first + second), f"{first} {second}") for first, second in zip(words, words[1:], strict=False)
    ]
    phrases = [(phrase, typed) for phrase, typed in phrases if phrase]
    learned = posteriors(evidence_words(question), evidence)
    scored = []
    for skill in vocabulary:
        # A word that only looks like the name, or is one word of it ("budget", "time"), counts
        # unless this workspace's confirmed asks say it seldom means this skill.
        doubted = {word for word in words if evidence.doubts(word, skill.key)}
        score = _relatedness(phrases, set(words), skill, doubted) + LEARNED_WEIGHT * learned.get(skill.key, 0.0)
        if score > 0:
            scored.append((score, skill))
    scored.sort(key=lambda pair: (-pair[0], pair[1].label.casefold()))
    return tuple(skill for _, skill in scored[:limit])


def detect_skills(
    question: str, vocabulary: list[Skill], suggestion_limit: int = 5, evidence: Evidence = NO_EVIDENCE
) -> Detection:
    """The skills `question` is about, given the workspace's vocabulary and what it learned.

    A tag names a skill even when nobody has it yet (so the asker hears honestly
    that nobody offers it); untagged words must match the vocabulary."""
    known = {skill.key: skill for skill in vocabulary}
    tagged = _tagged(question)
    ordered: list[Skill] = []
    for skill in [*tagged, *_named(question, known)]:
        skill = known.get(skill.key, skill)  # the workspace's label
        if skill.key not in {s.key for s in ordered}:
            ordered.append(skill)
    if ordered:
        return Detection(tuple(ordered), (), frozenset(skill.key for skill in tagged))
    return Detection((), rank_skills(question, vocabulary, suggestion_limit, evidence))
