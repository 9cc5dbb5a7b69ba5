"""Kill `sitrep ingest` with SIGKILL at random moments, resume, and compare with a clean run.

  python bench/kill_resume.py --shared ../shared --articles 2000 --kills 20 --db-dir /tmp/kr
  python bench/kill_resume.py ... --postgres postgresql+psycopg://postgres@127.0.0.1:PORT/sitrep_test

The corpus is the dev corpus repeated to --articles records with distinct ids (bench/sections.py).
A clean run sets the reference: counts of articles, mentions, events and facts, and the JSON Lines
export. Each trial starts the same ingest on an empty store, kills it after a random delay within
the clean run's duration, then finishes it, alternately by the same `sitrep ingest` command and by
`sitrep resume`, and compares. Prints one line per trial and writes a JSON summary (--out).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sections import corpus_lines

SITREP = (sys.executable, "-c", "from sitrep.cli.main import main; main()")
COUNTED = ("articles", "mentions", "events", "facts", "copies")


def sitrep(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the sitrep command line in a subprocess of this interpreter."""
    command = [*SITREP, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def snapshot(db: str, out: Path) -> dict[str, Any]:
    """Counts and the events export of the store at `db`."""
    stats = json.loads(sitrep("stats", "--db", db, "--json").stdout)
    sitrep("export", "--db", db, "--format", "jsonl", "-o", str(out))
    return {
        "counts": {key: stats[key] for key in COUNTED},
        "pending": stats.get("pending_extract", 0) + stats.get("pending_merge", 0),
        "export": out.read_text(encoding="utf-8"),
    }


class Databases:
    """Fresh store URLs: SQLite files under a folder, or databases on one PostgreSQL server."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder, self.postgres, self.n = folder, postgres, 0

    def new(self) -> str:
        self.n += 1
        if self.postgres is None:
            path = self.folder / f"store-{self.n}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        import sqlalchemy as sa

        name = f"sitrep_kill_{os.getpid()}_{self.n}"
        engine = sa.create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.postgres.rsplit("/", 1)[0] + "/" + name


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp/sitrep-kill-resume"))
    parser.add_argument("--postgres", help="a PostgreSQL server URL; default: SQLite files in --db-dir")
    parser.add_argument("--out", type=Path, help="write the summary here as JSON")
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    corpus = args.db_dir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record in corpus_lines(args.shared, args.articles):
            fh.write(json.dumps(record) + "\n")
    databases = Databases(args.db_dir, args.postgres)
    rng = random.Random(args.seed)

    clean_db = databases.new()
    start = time.monotonic()
    sitrep("ingest", str(corpus), "--db", clean_db, "-q")
    clean_s = time.monotonic() - start
    reference = snapshot(clean_db, args.db_dir / "clean.jsonl")
    print(f"clean run: {clean_s:.0f} s, {reference['counts']}", flush=True)
    trials = []
    for trial in range(1, args.kills + 1):
        db = databases.new()
        delay = rng.uniform(0.05, 0.95) * clean_s
        command = [*SITREP, "ingest", str(corpus), "--db", db, "-q"]
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed = True
        at_kill = json.loads(sitrep("stats", "--db", db, "--json").stdout)
        how = ("ingest", str(corpus)) if trial % 2 else ("resume",)
        sitrep(*how, "--db", db, "-q")
        final = snapshot(db, args.db_dir / f"trial-{trial}.jsonl")
        same = final["counts"] == reference["counts"] and final["export"] == reference["export"]
        row = {
            "trial": trial,
            "killed_after_s": round(delay, 1),
            "killed": killed,
            "at_kill": {key: at_kill[key] for key in COUNTED}
            | {"pending": at_kill.get("pending_extract", 0) + at_kill.get("pending_merge", 0)},
            "finished_by": how[0],
            "final": final["counts"],
            "pending_after": final["pending"],
            "equal_to_clean": same,
        }
        trials.append(row)
        print(json.dumps(row), flush=True)
    summary = {
        "backend": "postgresql" if args.postgres else "sqlite",
        "articles": args.articles,
        "clean_run_s": round(clean_s, 1),
        "clean": reference["counts"],
        "trials": trials,
        "equal": sum(t["equal_to_clean"] for t in trials),
        "killed": sum(t["killed"] for t in trials),
    }
    print(
        f"{summary['equal']}/{len(trials)} trials equal to the clean run ({summary['killed']} killed mid-run)"
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if summary["equal"] == len(trials) else 1


if __name__ == "__main__":
    sys.exit(main())
