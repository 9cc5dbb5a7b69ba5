"""The quality gate: score each theatre of the shared corpora and compare with the floors pinned for it.

usage:
  python tests/eval/gate.py [THEATRE ...]                 ingest, export, score, check the floors
  python tests/eval/gate.py dev --events EVENTS.jsonl     check an export you already have
  python tests/eval/gate.py [THEATRE ...] --update [--allow-regression]
  python tests/eval/gate.py --table                       one row per theatre, nothing checked

Theatres: dev (../shared/corpus/dev, the TJ-AF border), broad (all of ../shared/corpus/broad),
broad-wa (its wa-* articles: Afghanistan's borders with Pakistan and Iran), broad-wk (its wk-*
articles: the South Caucasus), ru (../shared/corpus/ru: Russian-language reports of the dev crisis)
and dev+ru (dev and ru in one store, scored with ru's gold-with-dev.json: Russian and English reports
of one event must merge). A theatre is a corpus, optionally cut to the articles whose id starts with a
prefix (its gold is cut the same way), or several corpora ingested together with a gold of its own.

Floors live in baseline.json with the hash of the articles and gold they were measured on. The gate
refuses (exit 2) to compare figures against floors pinned on different data: re-pin them with
`--update` after checking the change. `--update` raises each floor to the new figure (rounded down
to 0.01) and records the hash; it refuses to lower a floor unless `--allow-regression` is given.
Tests: tests/test_pipeline_corpus.py (dev) and tests/test_eval_theatres.py (broad, its parts, ru, dev+ru).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
SHARED = HERE.parents[2] / "shared"
SCORER = SHARED / "tools" / "score_events.py"


@dataclass(frozen=True)
class Theatre:
    name: str
    corpus: str
    prefix: str = ""
    about: str = ""
    before: tuple[str, ...] = ()  # corpora ingested into the same store first (their articles only)
    gold_file: str = "gold.json"  # in the corpus's folder

    @property
    def folder(self) -> Path:
        return SHARED / "corpus" / self.corpus

    def available(self) -> bool:
        folders = [SHARED / "corpus" / name for name in self.before] + [self.folder]
        return (
            all((f / "articles.jsonl").is_file() for f in folders)
            and (self.folder / self.gold_file).is_file()
        )

    def articles_text(self) -> str:
        text = "".join(
            (SHARED / "corpus" / name / "articles.jsonl").read_text(encoding="utf-8") for name in self.before
        )
        lines = (self.folder / "articles.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        if text and not text.endswith("\n"):
            text += "\n"
        return text + "".join(line for line in lines if _article_id(line).startswith(self.prefix))

    def gold(self) -> dict[str, object]:
        gold: dict[str, object] = json.loads((self.folder / self.gold_file).read_text(encoding="utf-8"))
        return cut_gold(gold, self.prefix) if self.prefix else gold

    def digest(self) -> str:
        """sha256 of this theatre's articles and gold, so a floor is tied to the data it was measured on."""
        digest = hashlib.sha256()
        digest.update(self.articles_text().encode("utf-8"))
        digest.update(json.dumps(self.gold(), sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]


THEATRES = {
    t.name: t
    for t in (
        Theatre("dev", "dev", about="TJ-AF border, Nov-Dec 2025"),
        Theatre("broad", "broad", about="both broad theatres"),
        Theatre("broad-wa", "broad", "wa-", about="AF-PK and AF-IR borders"),
        Theatre("broad-wk", "broad", "wk-", about="South Caucasus"),
        Theatre("ru", "ru", about="TJ-AF border, Russian sources"),
        Theatre(
            "dev+ru", "ru", about="dev + ru in one store", before=("dev",), gold_file="gold-with-dev.json"
        ),
    )
}


def _article_id(line: str) -> str:
    try:
        record = json.loads(line)
    except ValueError:
        return ""
    return str(record.get("id", "")) if isinstance(record, dict) else ""


def cut_gold(gold: dict[str, object], prefix: str) -> dict[str, object]:
    """The part of a gold file about articles whose id starts with `prefix`."""
    events = gold.get("events", {})
    articles = gold.get("articles", {})
    facts = gold.get("facts", [])
    assert isinstance(events, dict)
    assert isinstance(articles, dict)
    kept_events = {
        key: event
        for key, event in events.items()
        if any(aid.startswith(prefix) for aid in event.get("mentions", {}))
    }
    kept_facts = facts
    if isinstance(facts, list):
        kept_facts = [f for f in facts if _fact_touches(f, prefix)]
    elif isinstance(facts, dict):
        kept_facts = {k: f for k, f in facts.items() if _fact_touches(f, prefix)}
    return {
        **gold,
        "events": kept_events,
        "articles": {aid: a for aid, a in articles.items() if aid.startswith(prefix)},
        "facts": kept_facts,
    }


def _fact_touches(fact: object, prefix: str) -> bool:
    values = fact.get("values", {}) if isinstance(fact, dict) else {}
    return any(str(aid).startswith(prefix) for ids in values.values() for aid in ids)


def run_sitrep(theatre: Theatre, tmp: Path) -> Path:
    """Ingest the theatre's articles into a fresh SQLite file with this interpreter's sitrep; export."""
    articles = tmp / "articles.jsonl"
    articles.write_text(theatre.articles_text(), encoding="utf-8")
    db = f"sqlite:///{tmp / 'eval.db'}"
    events = tmp / "events.jsonl"
    sitrep = [sys.executable, "-c", "from sitrep.cli.main import main; main()"]
    subprocess.run([*sitrep, "ingest", str(articles), "--db", db, "--quiet"], check=True)
    subprocess.run(
        [*sitrep, "export", "--db", db, "--format", "jsonl", "-o", str(events)],
        check=True,
        capture_output=True,
    )
    return events


def score(theatre: Theatre, events_path: Path, *, verbose: bool = False) -> dict[str, float]:
    """Run the shared scorer on an export; return the flat figures the gate checks."""
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.json"
        gold.write_text(json.dumps(theatre.gold()), encoding="utf-8")
        out = Path(tmp) / "figures.json"
        command = [sys.executable, str(SCORER), str(gold), str(events_path), "--json", str(out)]
        if verbose:
            command.append("--verbose")
        result = subprocess.run(command, check=True, capture_output=True, text=True)
        if verbose:
            print(f"== {theatre.name} ({theatre.about}) ==\n{result.stdout}")
        raw = json.loads(out.read_text())
    flat = {k: float(v) for k, v in raw.items() if isinstance(v, float | int)}
    for name, value in raw["fields"].items():
        if value is not None:
            flat["field " + name] = float(value)
    return flat


def failures(figures: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Each floor the figures fall below, in words."""
    return [
        f"{name}: {figures.get(name, 0.0):.3f} < floor {floor:.2f}"
        for name, floor in floors.items()
        if figures.get(name, 0.0) + 1e-9 < floor
    ]


def raise_floors(
    floors: dict[str, float], figures: dict[str, float], allow_regression: bool
) -> tuple[dict[str, float], list[str]]:
    """New floors from `figures`, and the ones that would have to fall (refused without permission)."""
    new_floors, lowered = dict(floors), []
    for name, old in floors.items():
        new = math.floor(figures.get(name, 0.0) * 100) / 100
        if new < old and not allow_regression:
            lowered.append(f"{name}: {new:.2f} < {old:.2f}")
            continue
        new_floors[name] = new if allow_regression else max(new, old)
    return new_floors, lowered


TABLE_FIELDS = (
    "event_f1", "mention_f1", "merge_jaccard", "discrepancy_f1", "field location", "field fatalities best",
)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("theatres", nargs="*", help=f"one or more of {', '.join(THEATRES)} (default: all)")
    parser.add_argument("--events", type=Path, help="score this export instead of running sitrep")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--allow-regression", action="store_true")
    parser.add_argument("--table", action="store_true", help="print a row per theatre; check nothing")
    parser.add_argument("--verbose", action="store_true", help="print the scorer's whole output")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="floors file (default: %(default)s)")
    args = parser.parse_args()
    unknown = [t for t in args.theatres if t not in THEATRES]
    if unknown:
        parser.error(f"unknown theatre {unknown}; choose from {list(THEATRES)}")
    names = args.theatres or list(THEATRES)
    if args.events and len(names) != 1:
        parser.error("--events scores one theatre: name it")
    baseline = json.loads(args.baseline.read_text())
    status = 0
    rows = []
    for name in names:
        theatre = THEATRES[name]
        if not theatre.available():
            print(f"{name}: skipped: no corpus at {theatre.folder}")
            continue
        pinned = baseline["theatres"].get(name, {"corpus": None, "floors": {}})
        digest = theatre.digest()
        if not (args.update or args.table) and pinned["corpus"] != digest:
            print(
                f"{name}: floors were pinned on corpus {pinned['corpus']}, these articles and gold are "
                f"{digest}: refusing to compare. Check the change, then re-pin with --update."
            )
            status = max(status, 2)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            events = args.events or run_sitrep(theatre, Path(tmp))
            figures = score(theatre, events, verbose=args.verbose)
        rows.append((name, theatre.about, figures))
        if args.table:
            continue
        if args.update:
            floors, lowered = raise_floors(pinned["floors"], figures, args.allow_regression)
            if lowered:
                print(f"{name}: refusing to lower floors without --allow-regression:")
                print("  " + "\n  ".join(lowered))
                status = max(status, 1)
                continue
            baseline["theatres"][name] = {"corpus": digest, "floors": floors}
            continue
        problems = failures(figures, pinned["floors"])
        for line in problems:
            print(f"{name}: {line}")
        if problems:
            status = max(status, 1)
    if args.update and status == 0:
        args.baseline.write_text(json.dumps(baseline, indent=2) + "\n")
    if args.table or args.verbose:
        names = " ".join(f"{f.replace('field ', ''):>16}" for f in TABLE_FIELDS)
        header = f"{'theatre':<10} {'about':<28} {names}"
        print(header)
        for name, about, figures in rows:
            cells = " ".join(f"{figures[f]:>16.2f}" if f in figures else f"{'-':>16}" for f in TABLE_FIELDS)
            print(f"{name:<10} {about:<28} {cells}")
    return status


if __name__ == "__main__":
    sys.exit(main())
