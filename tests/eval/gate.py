"""The dev-corpus quality gate: score an export and compare with the pinned floors in baseline.json.

usage: python tests/eval/gate.py EVENTS.jsonl [--update [--allow-regression]]

`--update` raises each floor to the new figure (rounded down to 0.01) and records the corpus hash;
it refuses to lower any floor unless `--allow-regression` is also given, and says which.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
SHARED = HERE.parents[2] / "shared"
GOLD = SHARED / "corpus" / "dev" / "gold.json"
SCORER = SHARED / "tools" / "score_events.py"


def corpus_hash() -> str:
    """sha256 of the dev articles and gold, so a floor is tied to the data it was measured on."""
    digest = hashlib.sha256()
    for path in (SHARED / "corpus" / "dev" / "articles.jsonl", GOLD):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def score(events_path: Path) -> dict[str, float]:
    """Run the shared scorer on an export; return the flat figures the gate checks."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        subprocess.run(
            [sys.executable, str(SCORER), str(GOLD), str(events_path), "--json", str(out)],
            check=True,
            capture_output=True,
        )
        raw = json.loads(out.read_text())
    flat = {k: v for k, v in raw.items() if isinstance(v, float | int)}
    for name, value in raw["fields"].items():
        if value is not None:
            flat["field " + name] = value
    return flat


def failures(figures: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Each floor the figures fall below, in words."""
    return [
        f"{name}: {figures.get(name, 0.0):.3f} < floor {floor:.2f}"
        for name, floor in floors.items()
        if figures.get(name, 0.0) + 1e-9 < floor
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("events", type=Path)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--allow-regression", action="store_true")
    args = parser.parse_args()
    baseline = json.loads(BASELINE.read_text())
    figures = score(args.events)
    if not args.update:
        problems = failures(figures, baseline["floors"])
        for line in problems:
            print(line)
        return 1 if problems else 0
    floors = dict(baseline["floors"])
    lowered = []
    for name, old in floors.items():
        new = math.floor(figures.get(name, 0.0) * 100) / 100
        if new < old and not args.allow_regression:
            lowered.append(f"{name}: {new:.2f} < {old:.2f}")
            continue
        floors[name] = max(new, old) if not args.allow_regression else new
    if lowered:
        print("refusing to lower floors without --allow-regression:\n  " + "\n  ".join(lowered))
        return 1
    baseline.update(floors=floors, corpus=corpus_hash())
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
