"""How well an ask's skill is found from its question: the method of the day issue 20 was
filed, next to the new one, cold and after learning. Three methods:

- before issue 20 (bot/asks/skill_detection.py at 6c5954a): #tags and names, else the names
  difflib finds close to a word of the question, else the workspace's most offered skills
  (the five the issue saw offered for a question about retros: Python, SQL, Data-modeling,
  Generative AI, PostgreSQL). It learns nothing;
- names only: the new method as it is before any confirmed ask (#tags, names, aliases, typos
  with rapidfuzz, words shared with a name; related skills or none). It learns nothing either;
- new: the same plus what the workspace learned from confirmed asks (bot.asks.evidence).

The labelled set is bench/routing_questions.py (questions written for this benchmark, each
with its skill). "After learning": the set is split at random (seeded) into --folds parts
(2 by default: halves); each part is measured after the questions of the others were learned
as confirmed asks (k-fold cross-validation); figures are the means over every part and
--seeds seeds.

For each question, the list the asker sees is the skills detected (a #tag or a name) or,
when none is, the suggestions (at most bot.asks.services.SUGGESTIONS):

- top-1: the list's first skill is the right one;
- top-3: the right skill is among the list's first three;
- unrelated: the list is not empty and the right skill is not in it at all;
- none: the list is empty (the asker names the skill from the menu).

Last, the read an ask makes of its workspace's evidence (storage.evidence.read, one query) is
timed on SQLite after --asks confirmed asks (the labelled questions again and again, each
with three words of a long tail of 5,000, so the workspace counts thousands of words).

    .venv/bin/python bench/routing.py [--folds 2] [--seeds 5] [--asks 5000]
"""

import argparse
import difflib
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.ack_latency import fresh_database
from bench.routing_questions import QUESTIONS, VOCABULARY
from bot.asks.evidence import NO_EVIDENCE, Evidence, counted
from bot.asks.services import SUGGESTIONS
from bot.asks.skill_detection import detect_skills, evidence_words
from bot.members.model import Skill, normalize_skill, skill_key
from storage import evidence, models

Labelled = Sequence[tuple[str, str]]
Method = Callable[[str, list[Skill]], list[str]]  # (question, vocabulary) -> the skill keys shown


# What the asker of the issue's retro question was offered: the workspace's most offered skills.
MOST_OFFERED = ("Python", "SQL", "Data-modeling", "Generative AI", "PostgreSQL")


def before_issue_20(question: str, vocabulary: list[Skill]) -> list[str]:
    """The skills shown for `question` at 6c5954a: those named, else difflib's close names
    (that revision's _suggestions, copied), else the most offered."""
    detection = detect_skills(question, vocabulary, SUGGESTIONS)
    if detection.skills:  # #tags and names were found as they are today
        return [skill.key for skill in detection.skills]
    keys = {skill.key for skill in vocabulary}
    words = [match.group(0) for match in re.finditer(r"[\w+#.]+", question)]
    phrases = {skill_key(" ".join(words[i : i + n])) for n in (1, 2) for i in range(len(words) - n + 1)}
    scored: dict[str, float] = {}
    for phrase in phrases:
        if len(phrase) < 3:
            continue
        for key in difflib.get_close_matches(phrase, keys, n=SUGGESTIONS, cutoff=0.75):
            scored[key] = max(scored.get(key, 0.0), difflib.SequenceMatcher(None, phrase, key).ratio())
    close = sorted(scored, key=lambda key: (-scored[key], key))[:SUGGESTIONS]
    return close or [normalize_skill(name).key for name in MOST_OFFERED]


def learning(evidence: Evidence) -> Method:
    """The new method, with the workspace's `evidence` (NO_EVIDENCE: cold)."""

    def shown(question: str, vocabulary: list[Skill]) -> list[str]:
        detection = detect_skills(question, vocabulary, SUGGESTIONS, evidence)
        return [skill.key for skill in detection.skills or detection.suggestions]

    return shown


def measure(questions: Labelled, vocabulary: list[Skill], method: Method) -> dict[str, float]:
    """The shares (0-1) of `questions` at top-1, top-3, unrelated and none, and the median
    milliseconds per question."""
    tallies = dict.fromkeys(("top-1", "top-3", "unrelated", "none"), 0)
    times = []
    for question, label in questions:
        right = normalize_skill(label).key
        started = time.perf_counter()
        shown = method(question, vocabulary)
        times.append(time.perf_counter() - started)
        tallies["top-1"] += shown[:1] == [right]
        tallies["top-3"] += right in shown[:3]
        tallies["unrelated"] += bool(shown) and right not in shown
        tallies["none"] += not shown
    figures = {name: count / len(questions) for name, count in tallies.items()}
    figures["ms"] = statistics.median(times) * 1000
    return figures


def learned(questions: Labelled) -> Evidence:
    return counted((normalize_skill(label).key, evidence_words(question)) for question, label in questions)


def folds(seed: int, k: int) -> list[tuple[Labelled, Labelled]]:
    """k (learned, measured) splits of the set, shuffled with `seed`: each part is measured
    once, after learning from the k-1 others."""
    shuffled = list(QUESTIONS)
    random.Random(seed).shuffle(shuffled)
    parts = [shuffled[index::k] for index in range(k)]
    return [([q for other in parts if other is not part for q in other], part) for part in parts]


def mean(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.mean(run[name] for run in runs) for name in runs[0]}


def time_reads(asks: int) -> tuple[float, float, int]:
    """Median and 99th percentile milliseconds of reading one question's evidence on SQLite
    after `asks` confirmed asks; and how many distinct words the workspace then counts."""
    rng = random.Random(0)
    tail = [f"tail{index}" for index in range(5000)]
    with tempfile.TemporaryDirectory() as directory:
        engine = fresh_database(f"sqlite:///{directory}/routing.db")
        with Session(engine) as session, session.begin():
            now = datetime.now(UTC)
            rows = [
                {"team_id": "T1", "asker_id": f"U{n % 500}", "question": "", "status": "matched", "created_at": now}
                for n in range(asks)
            ]
            session.execute(insert(models.Ask), rows)
            for ask_id in range(1, asks + 1):
                question, label = rng.choice(QUESTIONS)
                words = sorted({*evidence_words(question), *rng.sample(tail, 3)})
                evidence.learn(session, ask_id, "T1", f"U{ask_id % 500}", normalize_skill(label).key, words)
        times = []
        with Session(engine) as session:
            for question, _ in QUESTIONS * 3:
                started = time.perf_counter()
                read = evidence.read(session, "T1", evidence_words(question))
                times.append(time.perf_counter() - started)
        engine.dispose()
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000, read.vocabulary_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--asks", type=int, default=5000)
    args = parser.parse_args()
    vocabulary = [normalize_skill(name) for name in VOCABULARY]
    labels = {label for _, label in QUESTIONS}
    assert labels <= set(VOCABULARY), labels - set(VOCABULARY)
    print(f"{len(QUESTIONS)} labelled questions over {len(labels)} skills; vocabulary of {len(vocabulary)}")

    before, names, new_cold, new_after = [], [], [], []
    for seed in range(args.seeds):
        for learn_from, measured in folds(seed, args.folds):
            # The first two learn nothing: they rank every measured part as they rank it cold.
            before.append(measure(measured, vocabulary, before_issue_20))
            names.append(measure(measured, vocabulary, learning(NO_EVIDENCE)))
            new_cold.append(names[-1])  # the new method before any confirmed ask is names only
            new_after.append(measure(measured, vocabulary, learning(learned(learn_from))))
    columns = {
        "before issue 20": mean(before),
        "names only": mean(names),
        "new, cold": mean(new_cold),
        "new, learned": mean(new_after),
    }
    print(
        f"{args.folds}-fold cross-validation x {args.seeds} seeds: each part measured after learning"
        f" from the {args.folds - 1} other{'s' if args.folds > 2 else ''} as confirmed asks; means."
        "\nOnly the new method learns: the others show each part what they show it cold.\n"
    )
    print(f"{'':<28}" + "".join(f"{name:>17}" for name in columns))
    rows = (
        ("top-1 accuracy", "top-1"),
        ("top-3 accuracy", "top-3"),
        ("unrelated suggestions (1)", "unrelated"),
        ("no suggestion (2)", "none"),
    )
    for title, name in rows:
        print(f"{title:<28}" + "".join(f"{figures[name]:>17.1%}" for figures in columns.values()))
    print(f"{'median time per question':<28}" + "".join(f"{f['ms']:>14.3f} ms" for f in columns.values()))
    print(
        "\n(1) a list of skills shown (detected, or up to 5 suggestions) without the right one"
        "\n(2) nothing detected nor suggested: the asker names the skill from the menu"
    )
    for name, baseline in (("before issue 20", before), ("names only", names)):
        pairs = list(zip(baseline, new_after, strict=True))
        ahead = sum(new["top-3"] > old["top-3"] for old, new in pairs)
        fewer = sum(new["unrelated"] < old["unrelated"] for old, new in pairs)
        same = sum(new["unrelated"] == old["unrelated"] for old, new in pairs)
        print(
            f"\nof the {len(pairs)} measured parts, the new method learned is ahead of {name} on top-3 in {ahead},"
            f" gives fewer unrelated suggestions in {fewer}, as many in {same}"
        )
    new = columns["new, learned"]
    for name in ("before issue 20", "names only"):
        old = columns[name]
        met = new["top-3"] > old["top-3"] and new["unrelated"] < old["unrelated"]
        print(
            f"target (new, learned ahead of {name} on top-3 with fewer unrelated): "
            f"top-3 {new['top-3']:.1%} vs {old['top-3']:.1%}, "
            f"unrelated {new['unrelated']:.1%} vs {old['unrelated']:.1%}: {'met' if met else 'NOT met'}"
        )
    if args.asks:
        p50, p99, words = time_reads(args.asks)
        print(
            f"\nreading a question's evidence (SQLite, {args.asks} confirmed asks, {words} distinct words):"
            f" p50 {p50:.2f} ms, p99 {p99:.2f} ms"
        )


if __name__ == "__main__":
    main()
