"""Skills: what members offer and want, normalized into one vocabulary per workspace.

A skill has a *key*, used to decide whether two names mean the same skill, and a
*label*, the name people see. "Public speaking", "public-speaking" and
"PUBLIC SPEAKING!" share the key `publicspeaking`; "js" is an alias of JavaScript.
The first label a workspace stores for a key is the one everybody sees.
"""

import re
from dataclasses import dataclass
from enum import Enum

from bot.errors import InvalidInput
from bot.text import clean_line, shown

MAX_SKILL_LENGTH = 50
MAX_SKILLS_PER_KIND = 30

# Characters that matter inside a key: letters and digits, plus the marks that
# tell C from C++ and C#.
_KEY_DROP = re.compile(r"[^\w+#]|_")
_SEPARATORS = re.compile(r"[,;\n]")
# Punctuation trimmed from both ends of a label; "+" and "#" stay (C++, C#) and a
# leading "." stays (.NET).
_TRIM = " \t,;:!?'\"()[]{}<>*_~`|\\/-@&^=$%"


class SkillKind(str, Enum):
    OFFER = "offer"
    WANT = "want"


@dataclass(frozen=True)
class Skill:
    key: str
    label: str


def skill_key(label: str) -> str:
    """The comparison key of a label: case, spaces, hyphens and punctuation folded."""
    key = _KEY_DROP.sub("", label.casefold())
    return "." + key if label.startswith(".") else key  # .NET is not NET


# Well-known names with their usual abbreviations; each maps to the first name.
_ALIAS_NAMES = (
    ("JavaScript", "js", "ecmascript"),
    ("TypeScript", "ts"),
    ("SQL",),
    ("HTML",),
    ("CSS",),
    ("Python", "py", "python3"),
    ("Go", "golang"),
    ("Kubernetes", "k8s", "kube"),
    ("PostgreSQL", "postgres", "psql"),
    ("Node.js", "node", "nodejs"),
    ("React", "reactjs", "react.js"),
    ("Machine learning", "ml"),
    ("Artificial intelligence", "ai"),
    ("User experience", "ux", "ux design"),
    ("Product management", "pm"),
    ("Continuous integration", "ci", "ci/cd"),
    ("Amazon Web Services", "aws"),
    ("Google Cloud", "gcp", "google cloud platform"),
)
ALIASES: dict[str, Skill] = {
    skill_key(name): Skill(key=skill_key(names[0]), label=names[0]) for names in _ALIAS_NAMES for name in names
}


def normalize_skill(raw: str) -> Skill:
    """Turn one typed skill name into a Skill, or raise InvalidInput saying why not."""
    cleaned = clean_line(raw)
    label = cleaned.strip(_TRIM + ".")
    if label and cleaned.lstrip(_TRIM).startswith("."):
        label = "." + label
    if len(label) > MAX_SKILL_LENGTH:
        raise InvalidInput(
            f"“{shown(label, 24)}” is too long for a skill: keep each one under {MAX_SKILL_LENGTH} characters."
        )
    if "<" in label or ">" in label:  # Slack's syntax for mentions and links, inside a shared name
        raise InvalidInput(f"“{shown(label, 40)}” isn't a skill name: leave out < and >.")
    key = skill_key(label)
    if not key.strip("."):
        raise InvalidInput(f"“{shown(cleaned, 40)}” isn't a skill name: use words, like `SQL` or `public speaking`.")
    if label.islower():
        label = label[0].upper() + label[1:]  # "public speaking" shows as "Public speaking"
    return ALIASES.get(key, Skill(key=key, label=label))


def parse_skill_list(text: str) -> list[Skill]:
    """Skills from a comma-separated list (semicolons and new lines also separate).

    Empty entries are skipped and repeats kept once, in the order typed. Any bad
    entry raises InvalidInput for the whole list, so nothing is half-stored.
    """
    skills: list[Skill] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text):
        if not clean_line(part):
            continue
        skill = normalize_skill(part)
        if skill.key not in seen:
            seen.add(skill.key)
            skills.append(skill)
    if len(skills) > MAX_SKILLS_PER_KIND:
        raise InvalidInput(f"That's {len(skills)} skills; list at most {MAX_SKILLS_PER_KIND} at once.")
    return skills
