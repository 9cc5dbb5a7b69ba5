"""Kill `sitrep ingest` with SIGKILL at random moments, resume, and compare with a clean run.

  python bench/kill_resume.py --shared ../shared --articles 2000 --chains 2 --kills 10 --db-dir /tmp/kr
  python bench/kill_resume.py ... --postgres postgresql+psycopg://postgres@127.0.0.1:PORT/sitrep_test

The corpus is the dev corpus repeated to --articles records with distinct ids (bench/sections.py).
A clean run sets the reference: counts of articles, mentions, events and facts, and the JSON Lines
export. Each chain starts the same ingest on an empty store and kills it with SIGKILL at a random
moment; each kill is followed by a resume, alternately the same `sitrep ingest` command and `sitrep
resume`, itself killed at a random moment, until --kills kills; a last unkilled `sitrep ingest`
finishes the work and the store is compared with the clean one. Prints one line per kill and writes a JSON
summary (--out).
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

    def __init__(self, folder: Path, postgres: str | None, prefix: str = "store") -> None:
        self.folder, self.postgres, self.prefix, self.n = folder, postgres, prefix, 0

    def new(self) -> str:
        self.n += 1
        if self.postgres is None:
            path = self.folder / f"{self.prefix}-{self.n}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        import sqlalchemy as sa

        name = f"sitrep_{self.prefix}_{os.getpid()}_{self.n}"
        engine = sa.create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.postgres.rsplit("/", 1)[0] + "/" + name


def run_killed(command: list[str], delay: float) -> bool:
    """Run `command`; SIGKILL it after `delay` seconds unless it ended; return whether it was killed."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        child.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return True


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chains", type=int, default=2, help="stores, each killed --kills times")
    parser.add_argument("--kills", type=int, default=10, help="kills per chain")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp/sitrep-kill-resume"))
    parser.add_argument("--postgres", help="a PostgreSQL server URL; default: SQLite files in --db-dir")
    parser.add_argument("--out", type=Path, help="write the summary here as JSON")
    parser.add_argument("--reference", help="a store already holding the clean run (skips it)")
    parser.add_argument("--reference-s", type=float, help="how long that clean run took, in seconds")
    parser.add_argument(
        "--spread",
        type=float,
        default=5.0,
        help="runs per clean run's length: each run is killed "
        "after 0.3 to 1.3 times the clean run's length / spread",
    )
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    corpus = args.db_dir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record in corpus_lines(args.shared, args.articles):
            fh.write(json.dumps(record) + "\n")
    databases = Databases(args.db_dir, args.postgres, f"s{args.seed}")
    rng = random.Random(args.seed)

    if args.reference:
        clean_db, clean_s = args.reference, args.reference_s
    else:
        clean_db = databases.new()
        start = time.monotonic()
        sitrep("ingest", str(corpus), "--db", clean_db, "-q")
        clean_s = time.monotonic() - start
    reference = snapshot(clean_db, args.db_dir / "clean.jsonl")
    print(f"clean run: {clean_s:.0f} s, {reference['counts']}", flush=True)
    chains = []
    for chain in range(1, args.chains + 1):
        db = databases.new()
        kills: list[dict[str, Any]] = []
        runs = 0
        while len(kills) < args.kills:
            # The first run is the ingest; after a kill, the same ingest again or `sitrep resume`.
            how = ["ingest", str(corpus)] if runs % 2 == 0 else ["resume"]
            runs += 1
            # Each run pays a start (model, whole-store read) before it makes progress: kills spread
            # over a few runs' lengths let the work move on between kills, so they land everywhere.
            delay = rng.uniform(0.3, 1.3) * clean_s / args.spread
            if not run_killed([*SITREP, *how, "--db", db, "-q"], delay):
                break  # it finished before its moment: the chain has no work left to interrupt
            stats = json.loads(sitrep("stats", "--db", db, "--json").stdout)
            kills.append({
                "run": how[0],
                "after_s": round(delay, 1),
                **{key: stats[key] for key in ("articles", "mentions", "events")},
                "pending_extract": stats["pending_extract"],
                "pending_merge": stats["pending_merge"],
            })  # fmt: skip
            print(f"chain {chain} kill {len(kills)}: {json.dumps(kills[-1])}", flush=True)
        # Finished by the same ingest: a resume finishes only what is stored, and a chain whose
        # every ingest was killed while reading may not have stored every article yet.
        finish = ["ingest", str(corpus)]
        sitrep(*finish, "--db", db, "-q")
        final = snapshot(db, args.db_dir / f"chain-{chain}.jsonl")
        same = final["counts"] == reference["counts"] and final["export"] == reference["export"]
        chains.append({
            "chain": chain,
            "kills": kills,
            "finished_by": finish[0],
            "final": final["counts"],
            "pending_after": final["pending"],
            "equal_to_clean": same,
        })  # fmt: skip
        print(
            f"chain {chain}: {len(kills)} kills, final {final['counts']}, equal to clean: {same}", flush=True
        )
    summary = {
        "backend": "postgresql" if args.postgres else "sqlite",
        "articles": args.articles,
        "clean_run_s": round(clean_s, 1),
        "clean": reference["counts"],
        "kills": sum(len(c["kills"]) for c in chains),
        "chains": chains,
        "chains_equal": sum(c["equal_to_clean"] for c in chains),
    }
    print(f"{summary['kills']} kills over {len(chains)} chains; "
          f"{summary['chains_equal']}/{len(chains)} stores equal to the clean run")  # fmt: skip
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if summary["chains_equal"] == len(chains) else 1


if __name__ == "__main__":
    sys.exit(main())
