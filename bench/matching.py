"""How well and how fast the matching engine pairs a coffee round, next to its peers, on the
workspaces that are common in practice (issue 18), with each target printed met or not met.

Workspaces (fixed seed), each at every N of --sizes:

- skilled: 3 to 8 offers and 2 to 5 wants per member over 200 skills with a Zipf-like
  popularity, N/20 teams, time zones, career stages;
- blank: everyone `Member(id)`, nothing filled in;
- new blank: the same with no history at all (a fresh workspace's first round);
- 50% blank, 90% blank: the skilled workspace with that share of members (drawn at random)
  replaced by `Member(id)`;
- one team: the skilled workspace with everyone in the same team.

All shapes but "new blank" share the same history (about 10 past partners each, 0 to 19
rounds ago, so about 3 within the cooldown), so only the profiles differ. Every contestant
runs in a child process of its own, stopped after --limit seconds (--networkx-limit for
networkx) or above --memory-cap GiB of resident memory; the parent watches the child's peak
resident memory (VmHWM). A negative total is the engine's -1000 per pair met within the
cooldown (a decision rule, counted as the engine counts it).

Columns of the large rounds (times are medians of --repeats runs, fewer when the limit
came first; "n/m" = n runs done of m):

- engine: `bot.rounds.solving.pair_members` end to end (candidate build, matching,
  leftovers, trio), its peak resident memory (the whole child process: Python, NumPy and
  the workspace included), its total as a share of the bound (/bound) and of the candidate
  graph's optimum (/opt);
- candidate graph: `candidate_graph` on the same members and history, its build time, its
  edge count, how many members its optimum leaves unpaired, and the bound: the doubled
  graph's optimum, halved (`Matching.bound` when the engine reports one, else
  `doubled_matching` on the candidate graph): no pairing of the candidate graph scores more;
- rustworkx: Edmonds' blossom (`max_weight_matching`, maximum cardinality) on the candidate
  graph: its time (building its graph and matching, not the candidate build) and its total,
  the candidate graph's exact optimum;
- networkx: `max_weight_matching` (what open-source bots use) on the same graph, timed the
  same way, when it finishes within --networkx-limit;
- random: random pairs (what most commercial bots do), scored by the engine's own function
  (pairs met within the cooldown scored as if they had not met), and how many such pairs.

Above the exact limit (3,000), a second table puts the engine beside the bound of the
candidate graph with every pair scored (`candidate_graph` with no cells, --every-pair-limit
seconds): above `full_scoring_limit` (12,000) the engine takes candidates from cells, and
this says what that costs; below it, the engine made to use cells is run too, to show what
they would save and cost there.

Then small programs: 4 to 9 members (blank and skilled) and 21 blank members over 12
rounds, each round's groups fed back as history (pair -> rounds ago, 0 = last round):
pairs met within the cooldown against the fewest any grouping of that round could have
(brute force, up to 10 members; for 21, the engine's own count), rounds that repeat the
previous round's groups, and the most trio seats any member took against the fair share
(3 seats a round, spread over everyone). Last, random odd rounds of 17, 19 and 21 members,
above the engine's exact trio search: cooldown pairs used against the fewest possible, found
by that exact search run at their size.

Mentoring rounds (--mentoring-sizes, after the groups): one member in 2, 3, 4, 5 or 6 a
mentor, each group a mentor and up to size - 1 mentees (bot.rounds.solving.group_mentoring,
an assignment of mentees to mentors' seats on each mentee's shortlist of mentors), each in a
child: time, peak resident memory, mentees placed, the fit of the mentor and mentee pairs,
their repeats within the cooldown and how evenly mentees are shared; next to the exact
assignment on every pair (up to 2,000 members: its graph is every mentee by every seat) and
random seats.

    .venv/bin/python bench/matching.py [--sizes 2000,10000,50000] [--repeats 3] [--limit 30]
        [--networkx-limit 30] [--every-pair-limit 180] [--memory-cap 6] [--no-small]

A full run with the defaults takes about 35 minutes on 2 cores (scoring every pair of
50,000 members, six times, is most of it); `--sizes 2000` about 5.
"""

import argparse
import inspect
import multiprocessing
import os
import queue
import random
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bot.rounds import grouping, scoring, solving
from bot.rounds.grouping import group_sizes
from bot.rounds.model import Intro
from bot.rounds.scoring import MatchSettings, Member

SKILLS = 200
OFFSETS = (-8, -5, -3, 0, 0, 0, 1, 1, 2, 5.5, 8, 9, 10)
SHAPES = ("skilled", "blank", "new blank", "50% blank", "90% blank", "one team")
PARTLY_BLANK = {"50% blank": 0.5, "90% blank": 0.9}
SETUP_LIMIT = 600.0  # seconds for a child to generate its workspace, before its own limit starts
SMALL_ROUNDS = 12
BRUTE_FORCE = 10

# Targets (issue 18): seconds, share of the bound, and memory, by N.
EXACT_SECONDS = {2_000: 0.5}
NEAR_BOUND = {10_000: (0.999, 1.0, None), 50_000: (0.999, 10.0, 2 * 2**30)}
BLANK_SLOWDOWN = 1.5


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


def shaped(shape: str, n: int) -> tuple[list[Member], dict[frozenset[str], int]]:
    """The workspace of that shape: the skilled one, with profiles emptied or teams merged."""
    members, history = workspace(n)
    if shape in ("blank", "new blank"):
        members = [Member(m.user_id) for m in members]
        if shape == "new blank":
            history = {}
    elif shape in PARTLY_BLANK:
        rng = random.Random(7)
        members = [Member(m.user_id) if rng.random() < PARTLY_BLANK[shape] else m for m in members]
    elif shape == "one team":
        members = [Member(m.user_id, m.offers, m.wants, "team0", m.utc_offset_hours, m.career_stage) for m in members]
    return members, history


def with_seed(function, seed: str):
    """`function`, given a seed when it takes one (the engine may or may not: issue 18)."""
    parameter = inspect.signature(function).parameters.get("seed")
    if parameter is None:
        return function
    kind = str(parameter.annotation)
    value: int | str = seed
    if "int" in kind and "str" not in kind:
        value = int.from_bytes(seed.encode()[-8:], "big")
    return lambda *args, **kwargs: function(*args, seed=value, **kwargs)


def candidates(members: list[Member], history) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = scoring.index_members(sorted(members, key=lambda m: m.user_id))
    return with_seed(solving.candidate_graph, "bench")(index, history, MatchSettings())


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


def max_rss() -> int:
    """This process's peak resident memory, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# Children: each puts (kind, payload) on `answers`, "ready" once its workspace is built.


def engine_child(shape: str, n: int, repeats: int, cells: bool, answers) -> None:
    """The engine as it is, or (`cells`) made to take its candidates from cells at any N."""
    members, history = shaped(shape, n)
    pair = with_seed(solving.pair_members, "bench")
    settings = MatchSettings(full_scoring_limit=1) if cells else MatchSettings()
    answers.put(("ready", max_rss()))
    for _ in range(repeats):
        started = time.perf_counter()
        result = pair(members, history, settings)
        seconds = time.perf_counter() - started
        run = {"seconds": seconds, "total": result.total, "bound": result.bound, "unmatched": len(result.unmatched)}
        answers.put(("run", run | {"peak": max_rss()}))
    answers.put(("done", None))


def peers_child(shape: str, n: int, repeats: int, answers) -> None:
    import rustworkx

    members, history = shaped(shape, n)
    answers.put(("ready", max_rss()))
    started = time.perf_counter()
    left, right, weight = candidates(members, history)
    answers.put(("graph", {"seconds": time.perf_counter() - started, "edges": len(left)}))
    answers.put(("bound", {"bound": solving.doubled_matching(n, left, right, weight)[1]}))
    answers.put(("random", dict(zip(("total", "repeats"), random_total(members, history), strict=True))))
    scaled = np.rint(weight * solving.WEIGHT_SCALE).astype(int)
    edges = list(zip(left.tolist(), right.tolist(), scaled.tolist(), strict=True))
    for _ in range(repeats):
        started = time.perf_counter()
        graph = rustworkx.PyGraph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges)
        matched = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
        seconds = time.perf_counter() - started
        total = sum(graph.get_edge_data(a, b) for a, b in matched) / solving.WEIGHT_SCALE
        answers.put(("run", {"seconds": seconds, "total": total, "pairs": len(matched)}))
    answers.put(("done", None))


def every_pair_child(shape: str, n: int, repeats: int, answers) -> None:
    """The candidate graph with every pair scored, whatever N, and its bound: what no pairing
    of each member's best partners from the whole workspace can beat."""
    members, history = shaped(shape, n)
    index = scoring.index_members(sorted(members, key=lambda m: m.user_id))
    answers.put(("ready", max_rss()))
    started = time.perf_counter()
    left, right, weight = with_seed(solving.candidate_graph, "bench")(
        index, history, MatchSettings(full_scoring_limit=n)
    )
    build = time.perf_counter() - started
    answers.put(("run", {"seconds": build, "bound": solving.doubled_matching(n, left, right, weight)[1]}))
    answers.put(("done", None))


def networkx_child(shape: str, n: int, repeats: int, answers) -> None:
    import networkx

    members, history = shaped(shape, n)
    answers.put(("ready", max_rss()))  # the limit counts the candidate build too
    left, right, weight = candidates(members, history)
    for _ in range(repeats):
        started = time.perf_counter()
        graph = networkx.Graph()
        graph.add_weighted_edges_from(zip(left.tolist(), right.tolist(), weight.tolist(), strict=True))
        pairs = networkx.max_weight_matching(graph, maxcardinality=True)
        seconds = time.perf_counter() - started
        answers.put(("run", {"seconds": seconds, "total": sum(graph[a][b]["weight"] for a, b in pairs)}))
    answers.put(("done", None))


@dataclass
class Outcome:
    """What a child said before it finished or was stopped."""

    said: dict[str, list] = field(default_factory=dict)
    peak: int = 0  # bytes of resident memory, at most
    stopped: str | None = None  # why it was stopped, if it was
    limit: float = 0.0

    def short(self) -> str:
        """Why it stopped, in a table's column."""
        if self.stopped is None:
            return "-"
        return {"timed": f"> {self.limit:.0f} s", "stopped": "> cap"}.get(self.stopped.split()[0], "failed")

    def runs(self) -> list[dict]:
        return self.said.get("run", [])

    def first(self, kind: str) -> dict | None:
        return self.said[kind][0] if self.said.get(kind) else None

    def median(self, key: str = "seconds") -> float | None:
        return statistics.median(run[key] for run in self.runs()) if self.runs() else None


def resident_peak(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def supervise(target, args: tuple, limit: float, memory_cap: float) -> Outcome:
    """Run `target(*args, answers)` in a child; stop it `limit` seconds after it is ready,
    or when its resident memory passes `memory_cap` bytes."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=target, args=(*args, answers), daemon=True)
    child.start()
    outcome = Outcome(limit=limit)
    deadline, ready = time.monotonic() + SETUP_LIMIT, False
    while True:
        try:
            kind, payload = answers.get(timeout=0.05)
        except queue.Empty:
            kind, payload = None, None
        outcome.peak = max(outcome.peak, resident_peak(child.pid or 0))
        if kind == "done":
            break
        if kind == "ready":
            deadline, ready = time.monotonic() + limit, True
        elif kind is not None:
            outcome.said.setdefault(kind, []).append(payload)
            outcome.peak = max(outcome.peak, payload.get("peak", 0))
        if kind is None and not child.is_alive():
            outcome.stopped = f"failed (exit code {child.exitcode})"
            break
        if time.monotonic() > deadline:
            outcome.stopped = f"timed out after {limit:.0f} s" if ready else "setup timed out"
            break
        if outcome.peak > memory_cap:
            outcome.stopped = f"stopped above {memory_cap / 2**30:.0f} GiB"
            break
    child.kill()
    child.join()
    return outcome


@dataclass
class Cell:
    """One shape at one N: every contestant's outcome."""

    shape: str
    n: int
    engine: Outcome
    peers: Outcome
    networkx: Outcome
    # Above the exact limit: the engine made to use cells (at most full_scoring_limit members)
    # and the bound of the graph with every pair scored.
    cells: Outcome | None = None
    every_pair: Outcome | None = None

    def every_pair_bound(self) -> float | None:
        return self.every_pair.runs()[0]["bound"] if self.every_pair and self.every_pair.runs() else None

    def bound(self) -> float | None:
        run = self.engine.runs()[0] if self.engine.runs() else None
        if run and run["bound"] is not None:
            return run["bound"]
        said = self.peers.first("bound")
        return said["bound"] if said else None

    def optimum(self) -> float | None:
        return self.peers.runs()[0]["total"] if self.peers.runs() else None

    def engine_total(self) -> float | None:
        return self.engine.runs()[0]["total"] if self.engine.runs() else None


def number(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def share(value: float | None, of: float | None, digits: int = 2) -> str:
    if value is None or not of:
        return "-"
    if abs(value / of) >= 10:  # far off (pairs within the cooldown): the digits say nothing
        return f"{value / of:.0%}"
    return f"{value / of:.{digits}%}"


def seconds_of(outcome: Outcome, repeats: int) -> str:
    median = outcome.median()
    if median is None:
        return outcome.short()
    done = len(outcome.runs())
    return f"{median:6.2f} s" + ("" if done == repeats else f" {done}/{repeats}")


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def print_cells(n: int, cells: list[Cell], repeats: int) -> None:
    print(f"\nN = {n:,}")
    print(
        f"  {'':10} | {'Mentor engine':^45} | {'candidate graph':^37} | {'rustworkx blossom':^19} |"
        f" {'networkx':^24} | {'random':^16}"
    )
    print(
        f"  {'shape':10} | {'time':>10} {'peak RSS':>9} {'total':>10} {'/bound':>7} {'/opt':>7} |"
        f" {'build':>8} {'edges':>9} {'unpaired':>8} {'bound':>9} | {'time':>10} {'/bound':>8} |"
        f" {'time':>15} {'/bound':>8} | {'/bound':>7} {'repeats':>8}"
    )
    for cell in cells:
        bound, total = cell.bound(), cell.engine_total()
        graph = cell.peers.first("graph") or {}
        rustworkx = cell.peers.runs()[0] if cell.peers.runs() else {}
        chosen = cell.peers.first("random") or {}
        nx_total = cell.networkx.runs()[0]["total"] if cell.networkx.runs() else None
        build = f"{graph['seconds']:6.2f} s" if graph else cell.peers.short()
        unpaired = f"{n - 2 * rustworkx['pairs']:,}" if rustworkx else "-"
        print(
            f"  {cell.shape:10} | {seconds_of(cell.engine, repeats):>10} {cell.engine.peak / 2**20:>5.0f} MiB"
            f" {number(total, ',.0f'):>10} {share(total, bound):>7} {share(total, cell.optimum()):>7} |"
            f" {build:>8} {number(graph.get('edges'), ','):>9} {unpaired:>8} {number(bound, ',.0f'):>9} |"
            f" {seconds_of(cell.peers, repeats):>10} {share(rustworkx.get('total'), bound):>8} |"
            f" {seconds_of(cell.networkx, repeats):>15} {share(nx_total, bound):>8} |"
            f" {share(chosen.get('total'), bound):>7} {number(chosen.get('repeats'), ','):>8}"
        )
    print_every_pair(n, cells, repeats)
    print_targets(n, cells)


def print_every_pair(n: int, cells: list[Cell], repeats: int) -> None:
    """Cells against every pair scored: what the candidate build above full_scoring_limit
    gives up for its speed, and what it would give up below it."""
    if not any(cell.every_pair for cell in cells):
        return
    limit = MatchSettings().full_scoring_limit
    chosen = "cells" if n > limit else "every pair"
    print(f"  candidates from every pair scored against cells of {MatchSettings().cell_size:,} (engine: {chosen})")
    print(
        f"  {'shape':10} | {'engine time':>11} {'/every-pair bound':>17} | {'cells time':>11}"
        f" {'/every-pair bound':>17} | {'every-pair build':>16} {'bound':>10}"
    )
    for cell in cells:
        bound, every = cell.every_pair_bound(), cell.every_pair
        if every is None:
            continue
        other = cell.cells.runs()[0]["total"] if cell.cells and cell.cells.runs() else None
        build = f"{every.runs()[0]['seconds']:.2f} s" if every.runs() else every.short()
        print(
            f"  {cell.shape:10} | {seconds_of(cell.engine, repeats):>11} {share(cell.engine_total(), bound):>17} |"
            f" {seconds_of(cell.cells, repeats) if cell.cells else '(the engine)':>11}"
            f" {share(other, bound) if cell.cells else '':>17} | {build:>16} {number(bound, ',.0f'):>10}"
        )


def print_targets(n: int, cells: list[Cell]) -> None:
    lines: list[tuple[str, str, str, bool]] = []
    for cell in cells:
        median, total = cell.engine.median(), cell.engine_total()
        if n in EXACT_SECONDS and cell.shape in ("skilled", "blank", "new blank"):
            limit = EXACT_SECONDS[n]
            target = f"exact optimum of the candidate graph in < {limit} s"
            optimum = cell.optimum()
            if median is None or total is None:
                lines.append((cell.shape, target, f"{cell.engine.stopped}", False))
            elif optimum is None:
                lines.append((cell.shape, target, f"{median:.2f} s, no optimum ({cell.peers.stopped})", False))
            else:
                exact = total >= optimum - 1e-6 * abs(optimum)
                figure = f"{median:.2f} s, {total / optimum:.4%} of the optimum"
                lines.append((cell.shape, target, figure, exact and median < limit))
        if n in NEAR_BOUND:
            low, limit, memory = NEAR_BOUND[n]
            target = f">= {low:.1%} of the bound in < {limit:.0f} s" + (
                f" and < {memory / 2**30:.0f} GB" if memory else ""
            )
            bound = cell.bound()
            if median is None or total is None:
                lines.append((cell.shape, target, f"{cell.engine.stopped}", False))
            elif bound is None:
                lines.append((cell.shape, target, f"{median:.2f} s, no bound ({cell.peers.stopped})", False))
            else:
                figure = f"{median:.2f} s, {total / bound:.4%} of the bound, peak {cell.engine.peak / 2**20:,.0f} MiB"
                if cell.every_pair_bound():
                    figure += f" ({share(total, cell.every_pair_bound())} of every pair's)"
                ok = low <= total / bound <= 1 + 1e-9 and median < limit
                if memory:
                    ok = ok and cell.engine.peak < memory
                if total > bound * (1 + 1e-9):
                    figure += " (above the bound: pairs made outside the candidate graph, which it does not cover)"
                lines.append((cell.shape, target, figure, ok))
    skilled = next((cell for cell in cells if cell.shape == "skilled"), None)
    base = skilled.engine.median() if skilled else None
    for cell in cells:
        if cell.shape not in ("blank", "new blank", *PARTLY_BLANK) or skilled is None:
            continue
        target = f"within {BLANK_SLOWDOWN}x of skilled's time"
        median = cell.engine.median()
        if base is None:
            lines.append((cell.shape, target, f"skilled {skilled.engine.stopped}", False))
        elif median is None:
            lines.append((cell.shape, target, f"{cell.engine.stopped} (skilled: {base:.2f} s)", False))
        else:
            figure = f"{median / base:.2f}x ({median:.2f} s / {base:.2f} s)"
            lines.append((cell.shape, target, figure, median / base <= BLANK_SLOWDOWN))
    print(f"  targets at N = {n:,}")
    for shape, target, figure, ok in lines:
        print(f"    {shape:10} {target:48} {figure:60} {verdict(ok)}")


# Small programs.


def groupings(people: list[int]) -> list[list[tuple[int, ...]]]:
    """Every way to split `people` into pairs, with one trio when the count is odd."""
    if not people:
        return [[]]
    first, rest = people[0], people[1:]
    found = []
    for x, second in enumerate(rest):
        others = rest[:x] + rest[x + 1 :]
        if len(others) % 2 == 0:
            found += [[(first, second), *more] for more in groupings(others)]
        else:  # odd: `first` is in the trio, or the trio is further on
            found += [[(first, second), *more] for more in groupings(others)]
            for y in range(x + 1, len(rest)):
                third, last = rest[y], others[: y - 1] + others[y:]
                found += [[(first, second, third), *more] for more in groupings(last)]
    return found


def recent_pairs(groups, history: dict[frozenset[str], int], cooldown: int) -> int:
    return sum(
        history.get(frozenset((a, b)), cooldown) < cooldown
        for group in groups
        for x, a in enumerate(group)
        for b in group[x + 1 :]
    )


@dataclass
class Program:
    members: int
    profiles: str
    repeats: int = 0  # pairs met within the cooldown, over all rounds
    fewest: int = 0  # the fewest any grouping of each round could have had, summed
    rounds_above: int = 0
    identical: int = 0  # rounds with the previous round's groups
    trio_seats: Counter = field(default_factory=Counter)


def run_program(members: list[Member], profiles: str) -> Program:
    cooldown = MatchSettings().cooldown_rounds
    ids = [m.user_id for m in members]
    # Every grouping, for the fewest repeats possible: up to BRUTE_FORCE members (9: 2,520).
    splits = groupings(list(range(len(ids)))) if len(ids) <= BRUTE_FORCE else []
    every = [[tuple(ids[i] for i in group) for group in split] for split in splits]
    program = Program(len(members), profiles)
    history: dict[frozenset[str], int] = {}
    seated: dict[str, list[int]] = {}  # what storage's trio_seats gives: rounds ago of each trio seat
    previous = None
    for number in range(SMALL_ROUNDS):
        seed = f"bench-small-{len(members)}-{profiles}-{number}"
        result = with_seed(solving.pair_members, seed)(members, dict(history), trio_seats=seated)
        groups = [group.members for group in result.groups]
        used = recent_pairs(groups, history, cooldown)
        fewest = min((recent_pairs(split, history, cooldown) for split in every), default=used)
        program.repeats += used
        program.fewest += fewest
        program.rounds_above += used > fewest
        this = frozenset(frozenset(group) for group in groups)
        program.identical += this == previous
        previous = this
        seated = {user_id: [ago + 1 for ago in agos] for user_id, agos in seated.items()}
        for group in groups:
            if len(group) == 3:
                program.trio_seats.update(group)
                for user_id in group:
                    seated.setdefault(user_id, []).append(0)
        history = {pair: ago + 1 for pair, ago in history.items()}
        for group in groups:
            for x, a in enumerate(group):
                for b in group[x + 1 :]:
                    history[frozenset((a, b))] = 0
    return program


def print_small() -> None:
    cooldown = MatchSettings().cooldown_rounds
    print(f"\nSmall programs: {SMALL_ROUNDS} rounds, each round's groups fed back as history (cooldown {cooldown})")
    print(
        f"  {'members':>7} {'profiles':8} | {'cooldown pairs':>14} {'fewest possible':>15} {'rounds above':>12} |"
        f" {'identical rounds':>16} | {'trio seats: most / fair share':>30}"
    )
    programs = []
    for size in range(4, 10):
        skilled, _ = workspace(size, seed=size)
        programs.append(run_program([Member(m.user_id) for m in skilled], "blank"))
        programs.append(run_program(skilled, "skilled"))
    big = [Member(f"U{i:06d}") for i in range(21)]
    programs.append(run_program(big, "blank"))
    for program in programs:
        fair = SMALL_ROUNDS * 3 / program.members
        most = max(program.trio_seats.values(), default=0)
        seats = f"{most} / {fair:.2f}" if program.members % 2 else "- (no trio)"
        print(
            f"  {program.members:>7} {program.profiles:8} | {program.repeats:>14} {program.fewest:>15}"
            f" {program.rounds_above:>12} | {program.identical:>16} | {seats:>30}"
        )
    print("  targets")
    above = sum(p.rounds_above for p in programs)
    identical = sum(p.identical for p in programs)
    print(
        f"    {'no round uses more cooldown pairs than the fewest possible':64} {above:>3} rounds  {verdict(not above)}"
    )
    repeated = "no round repeats the previous round (another grouping exists)"
    print(f"    {repeated:64} {identical:>3} rounds  {verdict(not identical)}")
    for program in (p for p in programs if p.members == 21):
        fair = SMALL_ROUNDS * 3 / program.members
        most = max(program.trio_seats.values(), default=0)
        print(
            f"    {'21 blank members: no trio seats above twice the fair share':66} {most:>3} vs {2 * fair:.2f}"
            f"      {verdict(most <= 2 * fair)}"
        )


# Odd rounds above the exact trio search, against it.
TRIO_SIZES = (17, 19, 21)
TRIO_ROUNDS = 50  # per size
TRIO_HISTORY = 0.35  # share of pairs that met, 0 to 7 rounds ago


def print_trios() -> None:
    """Random odd rounds of TRIO_SIZES members (blank and skilled alike, a share of pairs met
    recently): pairs met within the cooldown in the engine's round against the fewest any
    grouping has, found by the exact search (every trio, each with the exact matching of the
    rest) that the engine runs only up to MatchSettings.trio_exact_limit members."""
    cooldown = MatchSettings().cooldown_rounds
    print(
        f"\nOdd rounds above the exact trio search ({MatchSettings().trio_exact_limit} members): {TRIO_ROUNDS}"
        f" random rounds per size, {TRIO_HISTORY:.0%} of pairs met 0 to 7 rounds ago"
    )
    print(f"  {'members':>7} | {'at the minimum':>14} {'above':>6} {'most extra':>10} | {'engine':>8} {'exact':>8}")
    missed = 0
    for size in TRIO_SIZES:
        at, above, extra, times, exact_times = 0, 0, 0, [], []
        for number in range(TRIO_ROUNDS):
            rng = random.Random(f"trio-{size}-{number}")
            skilled, _ = workspace(size, seed=size * 1000 + number)
            members = skilled if number % 2 else [Member(m.user_id) for m in skilled]
            ids = [m.user_id for m in members]
            history = {
                frozenset((a, b)): rng.randrange(8)
                for x, a in enumerate(ids)
                for b in ids[x + 1 :]
                if rng.random() < TRIO_HISTORY
            }
            seed = f"bench-trio-{size}-{number}"
            started = time.perf_counter()
            result = with_seed(solving.pair_members, seed)(members, history)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            exact = with_seed(solving.pair_members, seed)(members, history, MatchSettings(trio_exact_limit=size))
            exact_times.append(time.perf_counter() - started)
            used = recent_pairs([g.members for g in result.groups], history, cooldown)
            fewest = recent_pairs([g.members for g in exact.groups], history, cooldown)
            at += used == fewest
            above += used > fewest
            extra = max(extra, used - fewest)
        missed += above
        print(
            f"  {size:>7} | {at:>14} {above:>6} {extra:>10} |"
            f" {statistics.median(times) * 1000:>6.0f} ms {statistics.median(exact_times) * 1000:>5.0f} ms"
        )
    rounds = TRIO_ROUNDS * len(TRIO_SIZES)
    target = "odd rounds above the exact search at the fewest cooldown pairs"
    print(f"  target\n    {target:64} {rounds - missed:>3} of {rounds}  {verdict(not missed)}")


GROUP_SIZES = (3, 4, 6)
OFFICES = ("NYC", "London", "Berlin", "Remote", "Singapore")


def offices(members: list[Member], seed: int = 5) -> dict[str, str]:
    """Each member's office, drawn at random with a few large offices and more small ones."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(OFFICES))]
    return {m.user_id: rng.choices(OFFICES, weights)[0] for m in members}


def random_grouping(members, history, size: int, intro: Intro, office: dict[str, str], seed: int = 1):
    """Random groups of the engine's sizes (within each office when intros stay within one),
    scored by the engine's own function, pairs met within the cooldown scored as if they had
    not (as random_total does). Returns (total, pairs of one office)."""
    order = sorted(members, key=lambda m: m.user_id)
    index = scoring.index_members(order)
    rng = random.Random(seed)
    if intro is Intro.WITHIN:
        parts: dict[str, list[int]] = {}
        for i, member in enumerate(order):
            parts.setdefault(office[member.user_id], []).append(i)
        pools = list(parts.values())
    else:
        pools = [list(range(len(order)))]
    groups: list[tuple[int, ...]] = []
    for pool in pools:
        rng.shuffle(pool)
        start = 0
        for wanted in group_sizes(len(pool), size):
            groups.append(tuple(pool[start : start + wanted]))
            start += wanted
    cooldown = MatchSettings().cooldown_rounds
    older = {pair: ago for pair, ago in history.items() if ago >= cooldown}
    total = sum(g.score for g in scoring.score_groups(index, groups, older, MatchSettings(), reverse=False))
    return total, same_office_pairs([[order[i].user_id for i in g] for g in groups], office)


def same_office_pairs(groups, office: dict[str, str]) -> int:
    return sum(office[a] == office[b] for group in groups for x, a in enumerate(group) for b in group[x + 1 :])


def print_groups(sizes: list[int], repeats: int) -> None:
    """Groups of 3, 4 and 6 (bot/rounds/grouping.py) on the skilled workspace, with anyone,
    across offices and within them: time (median of `repeats`), total as a share of the
    engine's bound, random groups' share of it, and pairs of one office (across: what the
    intro avoids). Then groups of 2 from the same engine next to the exact pair engine."""
    print(f"\nGroups (bot.rounds.grouping, issue 21): the skilled workspace, offices {', '.join(OFFICES)}")
    print(
        f"  {'N':>6} {'intro':>7} {'size':>4} | {'engine':>9} {'/bound':>7} {'1-office':>8} |"
        f" {'random':>7} {'1-office':>8} | {'groups':>6}"
    )
    for n in sizes:
        members, history = workspace(n)
        office = offices(members)
        for intro in (Intro.ANYONE, Intro.ACROSS, Intro.WITHIN):
            for size in GROUP_SIZES:
                times, result = [], None
                for _ in range(repeats):
                    started = time.perf_counter()
                    result = grouping.group_members(members, size, history, seed="bench", intro=intro, category=office)
                    times.append(time.perf_counter() - started)
                assert result is not None and result.bound
                lucky, lucky_same = random_grouping(members, history, size, intro, office)
                same = same_office_pairs([g.members for g in result.groups], office)
                print(
                    f"  {n:>6} {intro.value:>7} {size:>4} | {statistics.median(times):>7.2f} s"
                    f" {share(result.total, result.bound, 3):>7} {same:>8} |"
                    f" {share(lucky, result.bound, 3):>7} {lucky_same:>8} | {len(result.groups):>6}"
                )
        times, exact_times = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            paired = grouping.group_members(members, 2, history, seed="bench")
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            exact = with_seed(solving.pair_members, "bench")(members, history)
            exact_times.append(time.perf_counter() - started)
        print(
            f"  {n:>6} {'anyone':>7} {2:>4} | {statistics.median(times):>7.2f} s"
            f" {share(paired.total, paired.bound, 3):>7}          | exact pairs {statistics.median(exact_times):.2f} s,"
            f" groups' total / exact total {share(paired.total, exact.total, 3)}"
        )
        sys.stdout.flush()


MENTORING_SIZES = (2, 3, 4, 5, 6)


def mentor_side(members: list[Member], size: int, seed: int = 7) -> set[str]:
    """One member in `size` (drawn at random) on the mentor side: as many seats as mentees."""
    order = sorted(m.user_id for m in members)
    random.Random(seed).shuffle(order)
    return set(order[: len(order) // size])


def random_mentoring(members, mentors: set[str], size: int, seed: int = 1) -> list[tuple[str, ...]]:
    """Mentees dealt at random into mentors' seats, one round of seats after another (the
    engine's even shares): groups of user ids, the mentor first."""
    rng = random.Random(seed)
    leaders = sorted(m.user_id for m in members if m.user_id in mentors)
    mentees = sorted(m.user_id for m in members if m.user_id not in mentors)
    rng.shuffle(mentees)
    groups: dict[str, list[str]] = {leader: [leader] for leader in leaders}
    for leader, mentee in zip([leader for _ in range(size - 1) for leader in leaders], mentees, strict=False):
        groups[leader].append(mentee)
    return [tuple(group) for group in groups.values() if len(group) > 1]


def mentoring_fit(members, history, groups) -> tuple[float, int]:
    """(The sum of every mentor and mentee pair's score without history, what each offers
    meeting what the other wants and the rest of bot/rounds/scoring.py; how many of those
    pairs met within the cooldown): the engine and random seats weighed alike."""
    index = scoring.index_members(sorted(members, key=lambda m: m.user_id))
    at = {m.user_id: i for i, m in enumerate(index.members)}
    pairs = [(group[0], mentee) for group in groups for mentee in group[1:]]
    i = np.array([at[a] for a, _ in pairs], dtype=np.int64)
    j = np.array([at[b] for _, b in pairs], dtype=np.int64)
    cooldown = MatchSettings().cooldown_rounds
    repeats = sum(history.get(frozenset(pair), cooldown) < cooldown for pair in pairs)
    return float(scoring.pair_scores(index, i, j).sum()), repeats


MENTORING_EXACT_UP_TO = 2000  # members: the exact assignment's graph is every pair, times the seats
MENTORING_LIMIT = 300.0  # seconds a mentoring child may take, past its workspace


def mentoring_child(n: int, size: int, exact: bool, repeats: int, answers) -> None:
    """group_mentoring as it runs (a shortlist per mentee), or (`exact`) on every pair."""
    members, history = workspace(n)
    mentors = mentor_side(members, size)
    answers.put(("ready", max_rss()))
    for _ in range(repeats):
        started = time.perf_counter()
        shortlist = None if exact else solving.MENTORS_PER_MENTEE
        result = solving.group_mentoring(members, mentors, size, history, seed="bench", shortlist=shortlist)
        seconds = time.perf_counter() - started
        groups = [group.members for group in result.groups]
        fit, again = mentoring_fit(members, history, groups)
        shares = [len(group) - 1 for group in groups]
        spread = max(shares) - min(shares) if len(groups) == len(mentors) else None
        run = {"seconds": seconds, "placed": sum(shares), "fit": fit, "repeats": again, "mentees": n - len(mentors)}
        answers.put(("run", run | {"spread": spread, "peak": max_rss()}))
    if not exact:
        lucky, lucky_again = mentoring_fit(members, history, random_mentoring(members, mentors, size))
        answers.put(("random", {"fit": lucky, "repeats": lucky_again}))
    answers.put(("done", None))


def print_mentoring(sizes: list[int], repeats: int, memory_cap: float) -> None:
    """Mentoring by a category (bot.rounds.solving.group_mentoring): one member in `size` a
    mentor, each group a mentor and up to size - 1 mentees, on the skilled workspace, each run
    in a child: time (median of `repeats`), the child's peak resident memory, mentees placed,
    the fit of its mentor and mentee pairs (their scores without history), repeats within the
    cooldown, and `spread` (most mentees of a mentor less fewest; "-" when some mentor has
    none); next to the exact assignment on every pair (up to MENTORING_EXACT_UP_TO members)
    and random seats."""
    print("\nMentoring (bot.rounds.solving.group_mentoring, issue 21): the skilled workspace, 1 in <size> a mentor")
    print(
        f"  {'N':>6} {'size':>4} | {'shortlist':>9} {'peak':>7} {'placed':>13} {'fit':>8} {'rep':>3} {'spread':>6} |"
        f" {'exact':>9} {'peak':>7} {'placed':>6} {'fit/exact':>9} |"
        f" {'random fit':>10} {'/engine':>8}"
    )
    for n in sizes:
        for size in MENTORING_SIZES:
            engine = supervise(mentoring_child, (n, size, False, repeats), MENTORING_LIMIT, memory_cap)
            exact = (
                supervise(mentoring_child, (n, size, True, 1), MENTORING_LIMIT, memory_cap)
                if n <= MENTORING_EXACT_UP_TO
                else None
            )
            run, lucky = engine.first("run"), engine.first("random")
            if run is None or lucky is None:
                print(f"  {n:>6} {size:>4} | {engine.short():>9}")
                continue
            spread = "-" if run["spread"] is None else str(run["spread"])
            line = (
                f"  {n:>6} {size:>4} | {engine.median():>7.2f} s {engine.peak / 2**20:>4.0f} MB"
                f" {run['placed']:>6}/{run['mentees']:<6} {run['fit']:>8.0f} {run['repeats']:>3} {spread:>6} |"
            )
            best = exact.first("run") if exact is not None else None
            if best is not None and exact is not None:
                line += (
                    f" {exact.median():>7.2f} s {exact.peak / 2**20:>4.0f} MB {best['placed']:>6}"
                    f" {share(run['fit'], best['fit'], 3):>9} |"
                )
            else:
                line += f" {exact.short() if exact is not None else 'not run':>9} {'':>7} {'':>6} {'':>9} |"
            print(line + f" {lucky['fit']:>10.0f} {share(lucky['fit'], run['fit'], 3):>8}")
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help="a comma-separated subset of: " + ", ".join(SHAPES).replace("%", "%%"),
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=30.0, help="seconds for the engine's (and rustworkx's) runs")
    parser.add_argument("--networkx-limit", type=float, default=30.0)
    parser.add_argument(
        "--every-pair-limit", type=float, default=180.0, help="seconds to score every pair, above the exact limit"
    )
    parser.add_argument("--memory-cap", type=float, default=6.0, help="GiB; a child above it is stopped")
    parser.add_argument("--no-small", action="store_true", help="skip the small programs")
    parser.add_argument(
        "--group-sizes", default="200,2000,10000", help="members in the rounds of groups of 3, 4 and 6 ('' for none)"
    )
    parser.add_argument("--only-groups", action="store_true", help="only the rounds of groups")
    parser.add_argument(
        "--mentoring-sizes",
        default="200,2000,10000",
        help="members in the mentoring rounds, a mentor and mentees per group ('' for none); shown with the groups",
    )
    args = parser.parse_args()

    one, five, fifteen = os.getloadavg()
    print(
        f"Load average at the start: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores;"
        f" medians of {args.repeats} runs"
    )
    cap = args.memory_cap * 2**30
    shapes = [shape.strip() for shape in args.shapes.split(",")]
    if args.group_sizes:
        print_groups([int(size) for size in args.group_sizes.split(",")], args.repeats)
    if args.mentoring_sizes:
        print_mentoring([int(size) for size in args.mentoring_sizes.split(",")], args.repeats, cap)
    if args.only_groups:
        return
    if not args.no_small:
        print_small()
        print_trios()
    for n in (int(size) for size in args.sizes.split(",")):
        cells = []
        for shape in shapes:
            job = (shape, n, args.repeats)
            cell = Cell(
                shape,
                n,
                engine=supervise(engine_child, (*job, False), args.limit, cap),
                peers=supervise(peers_child, job, args.limit, cap),
                networkx=supervise(networkx_child, job, args.networkx_limit, cap),
            )
            if n > MatchSettings().exact_limit:
                cell.every_pair = supervise(every_pair_child, job, args.every_pair_limit, cap)
                if n <= MatchSettings().full_scoring_limit:
                    cell.cells = supervise(engine_child, (*job, True), args.limit, cap)
            cells.append(cell)
        print_cells(n, cells, args.repeats)
        sys.stdout.flush()


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
