"""Working out which skills a question is about.

Explicit `#tags` come first, then names from the workspace's vocabulary (aliases and
multi-word skills included) in the order they appear. When nothing matches, the
closest known skills are suggested instead.
"""

import difflib
import re
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.skills import ALIASES, Skill, normalize_skill, skill_key

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
    suggestions: tuple[Skill, ...]  # closest known skills, when nothing matched


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


def _suggestions(question: str, vocabulary: dict[str, Skill], limit: int) -> tuple[Skill, ...]:
    words = [match.group(0) for match in _WORD.finditer(question)]
    phrases = {skill_key(" ".join(words[i : i + n])) for n in (1, 2) for i in range(len(words) - n + 1)}
    scored: dict[str, float] = {}
    for phrase in phrases:
        if len(phrase) < 3:
            continue
        for key in difflib.get_close_matches(phrase, vocabulary, n=limit, cutoff=0.75):
            scored[key] = max(scored.get(key, 0.0), difflib.SequenceMatcher(None, phrase, key).ratio())
    best = sorted(scored, key=lambda key: (-scored[key], key))[:limit]
    return tuple(vocabulary[key] for key in best)


def detect_skills(question: str, vocabulary: list[Skill], suggestion_limit: int = 5) -> Detection:
    """The skills `question` is about, given the workspace's vocabulary.

    A tag names a skill even when nobody has it yet (so the asker hears honestly
    that nobody offers it); untagged words must match the vocabulary."""
    known = {skill.key: skill for skill in vocabulary}
    ordered: list[Skill] = []
    for skill in [*_tagged(question), *_named(question, known)]:
        skill = known.get(skill.key, skill)  # the workspace's label
        if skill.key not in {s.key for s in ordered}:
            ordered.append(skill)
    if ordered:
        return Detection(tuple(ordered), ())
    return Detection((), _suggestions(question, known, suggestion_limit))
