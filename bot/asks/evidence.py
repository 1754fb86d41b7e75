"""What a workspace learns from its confirmed asks: which words point to which skill.

Each time an asker confirms the skill of a question (a #tag they typed, a suggestion they
clicked, a skill they picked or typed in the menu, the "Find a mentor" modal's skill), the
question's words become evidence for that skill in that workspace. The counts are the whole
state: the database keeps them, adds one ask's words at a time, and takes a member's asks
back out when they ask to be forgotten.

The rule is multinomial naive Bayes with Laplace (add-one) smoothing (Manning, Raghavan and
Schütze, *Introduction to Information Retrieval*, 2008, ch. 13.2, figure 13.2 and eq. 13.7),
on binarized counts: a word counts once per ask however often the ask repeats it (Jurafsky
and Martin, *Speech and Language Processing*, 3rd ed., §4.4, "binary multinomial naive
Bayes"). Words never counted in the workspace are left out of the product, as the book's
APPLYMULTINOMIALNB does for terms outside the vocabulary.

Naive Bayes always picks some class; a suggestion must relate to the question. So a skill is
a learned candidate only when the workspace's confirmed asks support it for a word of the
question (Evidence.supports: the word was in MIN_SUPPORT of the skill's asks and in MIN_SHARE
of all the asks that had it): one ask that mentioned "team", or many asks about many skills
that did, say nothing about "team". The same counts can doubt a word (Evidence.doubts): one
the workspace uses mostly for other skills no longer suggests a name it merely resembles.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

# A word must have been confirmed this many times for a skill before it can suggest it.
MIN_SUPPORT = 2


# ... and at least this share of the confirmed asks with that word, whatever their skill, must
# be that skill's: "team" in asks about delegation, onboarding and remote work points to none
# of them. Two thirds: chosen on bench/routing.py's labelled set, where a half let one stray
# ask make a word suggest a wrong skill more often than a right one.
MIN_SHARE = 2 / 3


# Longer "words" (a pasted hash, a URL's path) are left out: they never recur.
MAX_WORD_LENGTH = 64


@dataclass(frozen=True)
class Evidence:
    """A workspace's counts, as much of them as one question needs.

    `counts` maps (skill key, word) to the number of confirmed asks of that skill whose
    question had the word (T_ct); `asks` maps each skill key with evidence to its confirmed
    asks (N_c); `words` maps it to the words counted over them (sum of T_ct over t);
    `vocabulary_size` is how many distinct words the workspace counted (|V|)."""

    counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    asks: Mapping[str, int] = field(default_factory=dict)
    words: Mapping[str, int] = field(default_factory=dict)
    vocabulary_size: int = 0

    @cached_property
    def asks_with(self) -> dict[str, int]:
        """word -> the confirmed asks, whatever their skill, whose question had it."""
        totals: dict[str, int] = {}
        for (_, word), count in self.counts.items():
            totals[word] = totals.get(word, 0) + count
        return totals

    def supports(self, word: str, skill: str) -> bool:
        """The workspace's confirmed asks say `word` points to `skill`: MIN_SUPPORT of them
        or more were `skill`'s and had it, at least MIN_SHARE of all those that had it."""
        count = self.counts.get((skill, word), 0)
        return count >= MIN_SUPPORT and count >= MIN_SHARE * self.asks_with.get(word, 0)

    def doubts(self, word: str, skill: str) -> bool:
        """The workspace's confirmed asks say `word` seldom means `skill`: MIN_SUPPORT of them
        or more had it, and under MIN_SHARE of those were `skill`'s ("time" in questions about
        talks running over time and incidents at night, not about time management)."""
        total = self.asks_with.get(word, 0)
        return total >= MIN_SUPPORT and self.counts.get((skill, word), 0) < MIN_SHARE * total


NO_EVIDENCE = Evidence()


def posteriors(words: Iterable[str], evidence: Evidence) -> dict[str, float]:
    """P(skill | the question's words), 0 to 1, for the skills a word of the question
    supports (Evidence.supports); empty when none is.

    The posterior is normalised over every skill with evidence, not only the supported ones,
    so a word shared by many skills points weakly to each."""
    question = set(words)
    known = {word for _, word in evidence.counts} & question
    supported = {skill for skill, word in evidence.counts if word in known and evidence.supports(word, skill)}
    if not supported:
        return {}
    total_asks = sum(evidence.asks.values())
    size = max(evidence.vocabulary_size, len(known))
    log_joint = {
        skill: math.log(asks / total_asks)
        + sum(
            math.log((evidence.counts.get((skill, word), 0) + 1) / (evidence.words.get(skill, 0) + size))
            for word in known
        )
        for skill, asks in evidence.asks.items()
        if asks > 0
    }
    # log-sum-exp: products of many small probabilities underflow a float.
    top = max(log_joint.values())
    norm = top + math.log(sum(math.exp(value - top) for value in log_joint.values()))
    return {skill: math.exp(log_joint[skill] - norm) for skill in supported if skill in log_joint}


def counted(confirmed: Iterable[tuple[str, Iterable[str]]]) -> Evidence:
    """The evidence of confirmed asks given as (skill key, question's evidence words): what
    storage.evidence keeps for them, counted in memory (for benchmarks and tests)."""
    counts: dict[tuple[str, str], int] = {}
    asks: dict[str, int] = {}
    totals: dict[str, int] = {}
    for skill, words in confirmed:
        distinct = set(words)
        asks[skill] = asks.get(skill, 0) + 1
        totals[skill] = totals.get(skill, 0) + len(distinct)
        for word in distinct:
            counts[(skill, word)] = counts.get((skill, word), 0) + 1
    vocabulary_size = len({word for _, word in counts})
    return Evidence(counts=counts, asks=asks, words=totals, vocabulary_size=vocabulary_size)
