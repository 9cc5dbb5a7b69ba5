"""`make bench`: sitrep's speed, quoted as ratios against baselines measured in the same run.

Sections (each in its own subprocess, so its peak memory is its own):
  ingest   the dev corpus repeated to >= 2,000 articles: articles/s through `sitrep ingest`
           (clean + store + extract + merge), with `--workers 2`, and store-only (--no-extract);
           ratios to bare spaCy `nlp.pipe` with n_process 1 and 2; peak RSS.
  extract  extraction vs bare spaCy: the same texts through ExtractEvents and through the bare
           spaCy-sm full pipeline `nlp.pipe`; ratio = ours / bare (goal >= 1.0); peak RSS.
  languages  extraction of the Russian corpus beside the English dev corpus (each repeated to
           --extract-articles): articles/s and characters/s of each; ratio ru / en.
  merge    the cost of merging one new article into a store of 1k, 10k and 100k synthetic events,
           as the pipeline does, as a ratio to the 1k figure (median of three rounds; goal <= 1.2).
  api      /api/events p50/p95 over real HTTP with 1k and 1M stored events (filled in bulk by
           bench/fill.py), on SQLite and PostgreSQL (a throwaway server, scripts/pgtest.sh, where
           its binaries are installed); p95 per query shape; goal p95 < 50 ms at 1M.
  incremental  10 new dev-corpus articles into stores of 1k, 10k and 100k background articles
           (filled in bulk by bench/fill.py with neighbour rows, mentions and events): the run's
           time and peak RSS, median of three runs each in its own process; ratio 100k / 1k.
  watch    a `sitrep watch` round over 5 loopback feeds: with nothing new (5 conditional GETs
           answered 304) and with 10 new articles (fetched, extracted, merged, rules evaluated);
           the nothing-new round again over stores of the first two --sizes background articles.
  scale    the dev corpus varied to >= 2,000 distinct articles, end to end in one process and with
           extraction on a LocalCluster of 1 and of 2 workers (`--workers N`): articles/s of each,
           the ratio 2 workers / 1 (goal >= 1.7 where there are 2 free cores), peak RSS per worker;
           and end to end with 2 workers against bare spaCy `nlp.pipe` (n_process 1 and 2).
Writes bench/out/results.json and prints a summary. Absolute numbers depend on the machine;
the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = ("ingest", "extract", "languages", "merge", "api", "incremental", "watch", "scale")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    parser.add_argument("--articles", type=int, default=2000, help="articles for the ingest section")
    parser.add_argument("--extract-articles", type=int, default=300, help="articles for the extract ratio")
    parser.add_argument("--sizes", default="1000,10000,100000", help="store sizes for merge/incremental")
    parser.add_argument("--api-sizes", default="1000,1000000", help="stored events for the api section")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    args = parser.parse_args()
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    results: dict[str, object] = {}
    for section in args.only or SECTIONS:
        cmd = [
            sys.executable, str(HERE / "sections.py"), section,
            "--shared", str(args.shared), "--articles", str(args.articles),
            "--extract-articles", str(args.extract_articles), "--sizes", args.sizes, "--api-sizes", args.api_sizes,
        ]  # fmt: skip
        print(f"== {section}", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            results[section] = {
                "error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
            }
            continue
        results[section] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(json.dumps(results[section], indent=2), file=sys.stderr)
    (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"results written to {out_dir / 'results.json'}", file=sys.stderr)
    return 1 if any(isinstance(v, dict) and "error" in v for v in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
