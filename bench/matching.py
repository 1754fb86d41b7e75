"""How well and how fast the matching engine pairs a coffee round, next to its peers.

Generates workspaces (3 to 8 offers and 2 to 5 wants per member over 200 skills with a
Zipf-like popularity, N/20 teams, time zones, about 10 past partners each; fixed seed)
and prints, for each N, wall time, peak memory and total score of:

- Mentor's engine (bot.rounds.solving.pair_members: candidate build + matching + leftovers);
- networkx.max_weight_matching (what open-source bots use) on the same candidate graph,
  when it finishes within the time limit (run in a child process, killed after it);
- random pairing (what most commercial bots do), scored with the same function;
- the upper bound: the doubled graph's optimum, halved (a certificate: no pairing of the
  candidate graph scores more).

Times are medians of --repeats runs; ratios are to the bound.

    .venv/bin/python bench/matching.py [--sizes 200,2000,10000] [--repeats 3] [--networkx-limit 120]
"""

import argparse
import multiprocessing
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bot.rounds import scoring, solving
from bot.rounds.scoring import MatchSettings, Member

SKILLS = 200
OFFSETS = (-8, -5, -3, 0, 0, 0, 1, 1, 2, 5.5, 8, 9, 10)


def workspace(n: int, seed: int = 2026) -> tuple[list[Member], dict[frozenset[str], int]]:
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(SKILLS)]
    skills = [f"skill{i:03d}" for i in range(SKILLS)]

    def some(low: int, high: int) -> frozenset[str]:
        count = rng.randint(low, high)
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(rng.choices(skills, weights)[0])
        return frozenset(chosen)

    teams = max(1, n // 20)
    members = [
        Member(
            user_id=f"U{i:06d}",
            offers=some(3, 8),
            wants=some(2, 5),
            team=f"team{rng.randrange(teams)}",
            utc_offset_hours=rng.choice(OFFSETS),
            career_stage=rng.choice(("early", "mid", "senior", "executive")),
        )
        for i in range(n)
    ]
    history: dict[frozenset[str], int] = {}
    for i in range(n):
        for _ in range(5):  # about 10 partners each, counting both sides
            j = rng.randrange(n)
            if j != i:
                history[frozenset((members[i].user_id, members[j].user_id))] = rng.randrange(20)
    return members, history


def engine(members, history) -> tuple[float, float | None]:
    result = solving.pair_members(members, history)
    return result.total, result.bound


def bound_of(members, history) -> float:
    """The doubled graph's optimum, halved, on the same candidate graph."""
    index = scoring.index_members(sorted(members, key=lambda m: m.user_id))
    left, right, weight = solving.candidate_graph(index, history, MatchSettings())
    return solving.doubled_matching(len(members), left, right, weight)[1]


def networkx_total(members, history, answer) -> None:
    import networkx

    index = scoring.index_members(sorted(members, key=lambda m: m.user_id))
    left, right, weight = solving.candidate_graph(index, history, MatchSettings())
    started = time.perf_counter()
    graph = networkx.Graph()
    graph.add_weighted_edges_from(zip(left.tolist(), right.tolist(), weight.tolist(), strict=True))
    pairs = networkx.max_weight_matching(graph, maxcardinality=True)
    total = sum(graph[a][b]["weight"] for a, b in pairs)
    answer.put((time.perf_counter() - started, total, len(pairs)))


def random_total(members, history, seed: int = 1) -> tuple[float, int]:
    """Random pairs (and a trio for an odd count), scored by the engine's own function, and
    how many of them met within the cooldown. Those are scored as if they had not met: the
    engine's -1000 for them is a decision rule, not a measure of the chat."""
    order = sorted(members, key=lambda m: m.user_id)
    index = scoring.index_members(order)
    ids = list(range(len(order)))
    random.Random(seed).shuffle(ids)
    groups = [tuple(ids[k : k + 2]) for k in range(0, len(ids) - len(ids) % 2, 2)]
    if len(ids) % 2:
        groups[-1] = groups[-1] + (ids[-1],)
    cooldown = MatchSettings().cooldown_rounds
    older = {pair: ago for pair, ago in history.items() if ago >= cooldown}
    repeats = sum(
        history.get(frozenset((order[a].user_id, order[b].user_id)), cooldown) < cooldown
        for group in groups
        for x, a in enumerate(group)
        for b in group[x + 1 :]
    )
    scored = scoring.score_groups(index, groups, older, MatchSettings(), reverse=False)
    return sum(group.score for group in scored), repeats


def timed(function, *args):
    tracemalloc.start()
    started = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,2000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--networkx-limit", type=float, default=120.0)
    args = parser.parse_args()

    for n in (int(size) for size in args.sizes.split(",")):
        members, history = workspace(n)
        runs = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            total, _ = engine(members, history)
            runs.append(time.perf_counter() - started)
        _, peak, (total, certified) = timed(engine, members, history)
        bound = certified if certified is not None else bound_of(members, history)
        print(f"N = {n:,}: upper bound {bound:,.0f}")
        print(
            f"  Mentor engine       {statistics.median(runs):7.2f} s  peak {peak / 2**20:6.0f} MiB  "
            f"score {total:,.0f} ({total / bound:.4%} of the bound)"
        )
        context = multiprocessing.get_context("spawn")
        answer = context.Queue()
        child = context.Process(target=networkx_total, args=(members, history, answer))
        child.start()
        child.join(args.networkx_limit)
        if child.is_alive():
            child.kill()
            print(f"  networkx            did not finish within {args.networkx_limit:.0f} s")
        else:
            seconds, nx_total, _ = answer.get()
            print(
                f"  networkx            {seconds:7.2f} s (matching only)   score {nx_total:,.0f} "
                f"({nx_total / bound:.4%} of the bound)   engine/networkx time ratio "
                f"{statistics.median(runs) / seconds:.3f}"
            )
        random_score, repeats = random_total(members, history)
        print(
            f"  random pairing                               score {random_score:,.0f} "
            f"({random_score / bound:.4%} of the bound), {repeats} pairs met within the cooldown"
        )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
