"""Ingest each shared corpus into a fresh SQLite store and write its exports, to compare two versions.

    PYTHONPATH=src python scripts/export_snapshot.py OUT_DIR [--shared ../shared] [--bench-articles 300]
    diff -r BEFORE_DIR AFTER_DIR

For dev, broad, ru, dev+ru (both in one store) and `bench` (the dev corpus repeated as the ingest
bench repeats it, so copies and stand-in dates are exercised): the events as JSON Lines and CSV,
the articles, the disagreeing facts and the rejections (`stats --json` counts). A change meant only
to make ingest faster must leave OUT_DIR byte-identical. Each ingest runs in its own process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from sections import corpus_lines

SITREP = [sys.executable, "-c", "from sitrep.cli.main import main; main()"]


def sitrep(*args: str) -> str:
    return subprocess.run([*SITREP, *args], check=True, capture_output=True, text=True).stdout


def snapshot(name: str, sources: list[Path], out: Path, tmp: Path) -> None:
    db = f"sqlite:///{tmp / (name + '.db')}"
    for source in sources:  # one run per corpus, as a user adding a second corpus would
        sitrep("ingest", str(source), "--db", db, "-q")
    sitrep("export", "--db", db, "--format", "jsonl", "-o", str(out / f"{name}.events.jsonl"))
    sitrep("export", "--db", db, "--format", "csv", "-o", str(out / f"{name}.events.csv"))
    sitrep("export", "--db", db, "--articles", "-o", str(out / f"{name}.articles.jsonl"))
    (out / f"{name}.facts.json").write_text(sitrep("facts", "--db", db, "--json"), encoding="utf-8")
    stats = json.loads(sitrep("stats", "--db", db, "--json"))
    (out / f"{name}.stats.json").write_text(json.dumps(stats, indent=1, sort_keys=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--bench-articles", type=int, default=300)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = args.shared / "corpus"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bench = tmp / "bench.jsonl"
        with bench.open("w", encoding="utf-8") as fh:
            for record in corpus_lines(args.shared, args.bench_articles):
                fh.write(json.dumps(record) + "\n")
        theatres = {
            "dev": [corpus / "dev" / "articles.jsonl"],
            "broad": [corpus / "broad" / "articles.jsonl"],
            "ru": [corpus / "ru" / "articles.jsonl"],
            "dev+ru": [corpus / "dev" / "articles.jsonl", corpus / "ru" / "articles.jsonl"],
            "bench": [bench],
        }
        for theatre, sources in theatres.items():
            snapshot(theatre, sources, args.out, tmp)
            sys.stderr.write(f"{theatre} done\n")


if __name__ == "__main__":
    main()
