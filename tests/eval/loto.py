"""Leave one theatre out: how much of each theatre's score is owed to constants tuned on it.

usage:
  python tests/eval/loto.py                       the full run: grid, LOTO choice, table (see --help)
  python tests/eval/loto.py --screen              one constant at a time, every value, every theatre
  python tests/eval/loto.py --grid merge_threshold=0.55,0.6 --theatres dev broad-wk

sitrep's rules are written by hand, but a few numbers in it were set by looking at the scores: the
merge threshold, the date window, the confidence cut-off, the similarity weights, the dating
neighbour's least cosine. This script takes a small grid of such constants (GRID, 2-4 constants of a
few values each) and scores every theatre of tests/eval/gate.py (dev, broad-wa, broad-wk) at every
point of it. Then, for each theatre, it picks the grid point with the best mean event F1 on the
*other* theatres and reports the held-out theatre's figures at that point: the leave-one-theatre-out
(LOTO) figure. Ties go to the point that moves the fewest constants from the shipped values, then
to the one nearest them. The shipped figures are those of the grid point with every constant as it
is in the code (read from the code, not written here), which `gate.py --table` must agree with.

What it does not cover: the extraction rules and vocabulary tables were themselves written looking
at all three theatres, so the LOTO figure says how much the tuned *constants* owe to the held-out
theatre, not how the rules do on unseen text.

How the constants are set, without editing code: the ones a user may want to change are settings,
set here through their SITREP_* variables (docs/config.md): resolve.merge_threshold,
resolve.window_days, extract.min_confidence. The others are module constants that no user should
need (KNOBS says which), patched in this process only, for one run at a time, and restored after;
each is read by the code at call time, so the patch reaches it. Everything runs in one process
(the spaCy model loads once); each run ingests a theatre into a fresh SQLite file, exports it with
`sitrep export --format jsonl` and scores it with ../shared/tools/score_events.py, like gate.py.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gate  # noqa: E402  (tests/eval is not a package)

THEATRES = ("dev", "broad-wa", "broad-wk")


@dataclass(frozen=True)
class Knob:
    """One tunable number: a setting (`env`, with its `section.key`) or a module constant."""

    name: str
    values: tuple[float, ...]  # what --screen tries (the shipped value is always added)
    setting: str = ""  # "section.key" in sitrep.config.Settings; set through SITREP_SECTION__KEY
    module: str = ""  # or a constant: module, attribute and (for a dict) its key
    attr: str = ""
    key: str = ""

    @property
    def env(self) -> str:
        section, key = self.setting.split(".")
        return f"SITREP_{section.upper()}__{key.upper()}"

    def shipped(self) -> float:
        """The value in the code now."""
        if self.setting:
            from sitrep.config import Settings

            section, key = self.setting.split(".")
            return float(getattr(Settings.model_fields[section].default, key))
        value = getattr(importlib.import_module(self.module), self.attr)
        return float(value[self.key] if self.key else value)

    def is_int(self) -> bool:
        return float(self.shipped()).is_integer() and all(float(v).is_integer() for v in self.values)

    def show(self, value: float) -> str:
        return str(int(value)) if self.is_int() else f"{value:g}"

    @contextlib.contextmanager
    def set_to(self, value: float) -> Iterator[None]:
        """This knob at `value` inside the block, as it was after."""
        text = self.show(value)
        if self.setting:
            before = os.environ.get(self.env)
            os.environ[self.env] = text
            try:
                yield
            finally:
                if before is None:
                    os.environ.pop(self.env, None)
                else:
                    os.environ[self.env] = before
            return
        module = importlib.import_module(self.module)
        old = getattr(module, self.attr)
        new: Any = int(value) if self.is_int() else value
        if self.key:
            new = {**old, self.key: new}
        setattr(module, self.attr, new)
        try:
            yield
        finally:
            setattr(module, self.attr, old)


SIM, DATING = "sitrep.resolve.similarity", "sitrep.resolve.dating"
DRAFTS, STAGE = "sitrep.extract.drafts", "sitrep.extract.stage"
KNOBS = {
    k.name: k
    for k in (
        Knob("merge_threshold", (0.5, 0.55, 0.65, 0.7), setting="resolve.merge_threshold"),
        Knob("window_days", (2, 3, 5, 6), setting="resolve.window_days"),
        Knob("min_confidence", (0.3, 0.5, 0.6, 0.7), setting="extract.min_confidence"),
        Knob("dating_min_similarity", (0.15, 0.2, 0.3, 0.4), module=DATING, attr="MIN_SIMILARITY"),
        Knob("weight_quote", (0.05, 0.1, 0.25, 0.35), module=SIM, attr="WEIGHTS", key="quote"),
        Knob("weight_place", (0.05, 0.1, 0.25, 0.35), module=SIM, attr="WEIGHTS", key="place"),
        Knob("weight_actors", (0.1, 0.3, 0.4), module=SIM, attr="WEIGHTS", key="actors"),
        Knob("unknown_score", (0.4, 0.45, 0.55, 0.6), module=SIM, attr="UNKNOWN"),
        Knob("lookback_days", (3, 5, 10, 14), module=SIM, attr="ASSUMED_LOOKBACK_DAYS"),
        Knob("anchor_reach", (200, 400, 1600), module=DRAFTS, attr="_ANCHOR_REACH"),
        Knob("scene_sentences", (0, 1, 3, 4), module=STAGE, attr="_SCENE_SENTENCES"),
    )
}  # fmt: skip

# The grid the LOTO choice is made over: the constants the one-at-a-time screen found to move event
# F1 most (docs/quality.md), a few values each around the shipped one.
# On 2026-12-02 the screen moved event F1 through these three on every theatre; window_days (2-6),
# scene_sentences, unknown_score and dating_min_similarity up to 0.3 moved nothing, and
# lookback_days, anchor_reach and the place and actor weights moved one theatre by 0.01-0.03.
GRID: dict[str, tuple[float, ...]] = {
    "merge_threshold": (0.5, 0.55, 0.6, 0.65),
    "min_confidence": (0.0, 0.5, 0.6),  # mention confidences are 0.8 less 0.1-0.2 per missing part
    "weight_quote": (0.05, 0.1, 0.15, 0.25),
}

Point = tuple[tuple[str, float], ...]  # (knob name, value) for each grid knob, in GRID order


@contextlib.contextmanager
def configured(point: Point) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for name, value in point:
            stack.enter_context(KNOBS[name].set_to(value))
        yield


def score_theatre(name: str) -> dict[str, float]:
    """Ingest one theatre into a fresh SQLite file in this process, export it, score it."""
    from sitrep.cli.main import cli

    theatre = gate.THEATRES[name]
    with tempfile.TemporaryDirectory() as tmp:
        articles = Path(tmp) / "articles.jsonl"
        articles.write_text(theatre.articles_text(), encoding="utf-8")
        db = f"sqlite:///{Path(tmp) / 'eval.db'}"
        events = Path(tmp) / "events.jsonl"
        cli.main(["ingest", str(articles), "--db", db, "--quiet"], prog_name="sitrep", standalone_mode=False)
        with contextlib.redirect_stderr(io.StringIO()):  # "wrote N events to ..."
            cli.main(
                ["export", "--db", db, "--format", "jsonl", "-o", str(events)],
                prog_name="sitrep",
                standalone_mode=False,
            )
        return gate.score(theatre, events)


def score_points(
    points: Sequence[Point], theatres: Sequence[str]
) -> dict[Point, dict[str, dict[str, float]]]:
    """{point: {theatre: figures}} for every point, each theatre run afresh at it."""
    results: dict[Point, dict[str, dict[str, float]]] = {}
    started = time.monotonic()
    for n, point in enumerate(points, 1):
        with configured(point):
            results[point] = {t: score_theatre(t) for t in theatres}
        shown = " ".join(f"{t} {results[point][t]['event_f1']:.3f}" for t in theatres)
        elapsed = time.monotonic() - started
        print(f"  [{n}/{len(points)} {elapsed:5.0f}s] {describe(point)}: event F1 {shown}", file=sys.stderr)
    return results


def describe(point: Point) -> str:
    return ", ".join(f"{name}={KNOBS[name].show(value)}" for name, value in point) or "(shipped)"


def distance(point: Point) -> tuple[int, float]:
    """How far a point is from the shipped values: constants moved, then summed relative change."""
    moved = [(KNOBS[n].shipped(), v) for n, v in point if abs(v - KNOBS[n].shipped()) > 1e-9]
    return len(moved), sum(abs(v - s) / (abs(s) or 1.0) for s, v in moved)


def choose(
    results: dict[Point, dict[str, dict[str, float]]], on: Sequence[str], grid_order: Sequence[Point]
) -> Point:
    """The point with the best mean event F1 over the theatres `on`; ties: nearest the shipped values."""

    def key(point: Point) -> tuple[float, int, float, int]:
        mean = sum(results[point][t]["event_f1"] for t in on) / len(on)
        moved, change = distance(point)
        return (-round(mean, 6), moved, round(change, 6), grid_order.index(point))

    return min(results, key=key)


def grid_points(grid: dict[str, tuple[float, ...]]) -> list[Point]:
    names = list(grid)
    return [tuple(zip(names, values, strict=True)) for values in itertools.product(*(grid[n] for n in names))]


def shipped_point(grid: dict[str, tuple[float, ...]]) -> Point:
    return tuple((name, KNOBS[name].shipped()) for name in grid)


def run_loto(grid: dict[str, tuple[float, ...]], theatres: Sequence[str], json_path: Path | None) -> int:
    points = grid_points(grid)
    shipped = shipped_point(grid)
    if shipped not in points:
        points.append(shipped)
    print(f"grid: {len(points)} points x {len(theatres)} theatres", file=sys.stderr)
    results = score_points(points, theatres)
    rows = []
    for held in theatres:
        others = [t for t in theatres if t != held]
        chosen = choose(results, others, points)
        rows.append((held, results[shipped][held], results[chosen][held], chosen, others))
    print()
    print(
        "| theatre | event F1 shipped | event F1 LOTO | mention F1 shipped | mention F1 LOTO "
        "| constants chosen on the other theatres (their mean event F1) |"
    )
    print("|---|---|---|---|---|---|")
    for held, ship, loto, chosen, others in rows:
        mean = sum(results[chosen][t]["event_f1"] for t in others) / len(others)
        print(
            f"| {held} | {ship['event_f1']:.2f} | {loto['event_f1']:.2f} | {ship['mention_f1']:.2f} "
            f"| {loto['mention_f1']:.2f} | {describe(chosen)} ({' + '.join(others)}: {mean:.3f}) |"
        )
    best = choose(results, theatres, points)
    print(f"\nshipped: {describe(shipped)}; best on all {len(theatres)} theatres: {describe(best)}")
    if json_path is not None:
        record = {
            "points": [{"values": dict(p), "figures": results[p]} for p in points],
            "shipped": dict(shipped),
            "rows": [
                {"theatre": held, "shipped": ship, "loto": loto, "chosen": dict(chosen), "chosen_on": others}
                for held, ship, loto, chosen, others in rows
            ],
        }
        json_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


def run_screen(names: Sequence[str], theatres: Sequence[str]) -> int:
    """One knob at a time: every value of each, the others shipped; rows of event and mention F1."""
    points: list[Point] = [()]
    for name in names:
        knob = KNOBS[name]
        values = sorted({*knob.values, knob.shipped()})
        points += [((name, v),) for v in values if abs(v - knob.shipped()) > 1e-9]
    results = score_points(points, theatres)
    base = results[()]
    header = " ".join(f"{t:>9}" for t in theatres)
    print(f"\n{'constant=value':<32} {header}   mean  (event F1; change from shipped in brackets)")
    for point in points:
        cells = []
        for t in theatres:
            f1 = results[point][t]["event_f1"]
            cells.append(f"{f1:.3f}" if not point else f"{f1 - base[t]['event_f1']:+.3f}")
        mean = sum(results[point][t]["event_f1"] for t in theatres) / len(theatres)
        print(f"{describe(point):<32} {' '.join(f'{c:>9}' for c in cells)}  {mean:.3f}")
    return 0


def parse_grid(items: Sequence[str]) -> dict[str, tuple[float, ...]]:
    grid = {}
    for item in items:
        name, _, values = item.partition("=")
        if name not in KNOBS or not values:
            raise SystemExit(f"--grid {item!r}: expected NAME=V1,V2,... with NAME one of {', '.join(KNOBS)}")
        grid[name] = tuple(float(v) for v in values.split(","))
    return grid


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--theatres", nargs="+", default=list(THEATRES), choices=list(gate.THEATRES))
    parser.add_argument(
        "--grid", nargs="+", metavar="NAME=V1,V2", help="a grid instead of GRID (for a quick check)"
    )
    parser.add_argument(
        "--screen", nargs="*", metavar="NAME", help="one constant at a time (default: all KNOBS)"
    )
    parser.add_argument("--json", type=Path, help="also write every point's figures and the table here")
    args = parser.parse_args()
    missing = [t for t in args.theatres if not gate.THEATRES[t].available()]
    if missing:
        print(f"skipped: no corpus for {', '.join(missing)} under {gate.SHARED / 'corpus'}")
        return 0
    if len(args.theatres) < 2:
        parser.error("leaving one theatre out needs at least two")
    started = time.monotonic()
    if args.screen is not None:
        unknown = [n for n in args.screen if n not in KNOBS]
        if unknown:
            parser.error(f"unknown constant {unknown}; choose from {list(KNOBS)}")
        status = run_screen(args.screen or list(KNOBS), args.theatres)
    else:
        status = run_loto(parse_grid(args.grid) if args.grid else GRID, args.theatres, args.json)
    print(f"elapsed: {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
