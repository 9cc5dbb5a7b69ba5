"""Fuzz cleaning and extraction at scale: count exceptions and inputs over a time limit.

  python bench/fuzz.py --clean 100000 --extract 10000 --out bench/out/fuzz.json

Inputs come from the seeded generator of tests/test_hardening.py (our own sentences, broken words,
odd characters, long runs), passed through the ingest door (`sane_text`) as a real run would.
Cleaning: `CleanArticles.clean_one` on each input. Extraction: the clean articles through
`pipeline.extract_mentions` in batches of 50, each input's share of a batch's time being the
batch's time over its size, and every slow batch re-run one article at a time to find the slow
input. Writes the counts as JSON; the progress is printed every 10,000 inputs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from sitrep.clean import CleanArticles
from sitrep.config import Settings
from sitrep.ingest.sanity import sane_text
from sitrep.model import Article, RawArticle
from sitrep.pipeline import extract_mentions
from test_hardening import fuzz_texts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clean", type=int, default=100_000)
    parser.add_argument("--extract", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit-s", type=float, default=2.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    cleaner = CleanArticles()
    result: dict[str, object] = {"seed": args.seed, "limit_s": args.limit_s}
    errors: list[str] = []
    slow = 0
    worst = 0.0
    articles: list[Article] = []
    start = time.perf_counter()
    for i, text in enumerate(fuzz_texts(args.seed, args.clean)):
        raw = RawArticle(source="fuzz", line=i, article_id=f"f{i}", text=sane_text(text))
        t = time.perf_counter()
        try:
            got = cleaner.clean_one(raw)
        except Exception as error:
            errors.append(f"clean {i}: {type(error).__name__}: {error}")
            continue
        took = time.perf_counter() - t
        worst = max(worst, took)
        slow += took > args.limit_s
        if isinstance(got, Article) and len(articles) < args.extract:
            articles.append(got)
        if (i + 1) % 10_000 == 0:
            print(f"clean {i + 1}: {len(errors)} exceptions, {slow} slow, worst {worst:.2f} s", flush=True)
    result["clean"] = {"inputs": args.clean, "exceptions": len(errors), "over_limit": slow,
                       "worst_s": round(worst, 3), "total_s": round(time.perf_counter() - start, 1)}  # fmt: skip
    settings = Settings()
    extract_errors, slow_x, worst_x, mentions, crashes = 0, 0, 0.0, 0, 0
    start = time.perf_counter()
    for b in range(0, len(articles), 50):
        batch = articles[b : b + 50]
        t = time.perf_counter()
        try:
            found, rejected = extract_mentions(batch, settings)
        except Exception as error:
            extract_errors += 1
            errors.append(f"extract batch {b}: {type(error).__name__}: {error}")
            continue
        took = time.perf_counter() - t
        crashes += sum(r.reason == "crash" for r in rejected)
        mentions += len(found)
        texts = {a.article_id: a.text for a in batch}
        bad_quotes = [m.mention_id for m in found if texts[m.article_id][m.start : m.end] != m.quote]
        errors += [f"quote does not slice its text: {m}" for m in bad_quotes]
        if took > args.limit_s:  # find the inputs behind a slow batch
            for article in batch:
                t = time.perf_counter()
                extract_mentions([article], settings)
                one = time.perf_counter() - t
                worst_x = max(worst_x, one)
                slow_x += one > args.limit_s
        else:
            worst_x = max(worst_x, took / len(batch))
        if (b + 50) % 1000 == 0:
            print(f"extract {b + 50}: {extract_errors + crashes} exceptions, {slow_x} slow", flush=True)
    result["extract"] = {"inputs": len(articles), "exceptions": extract_errors, "crash_rejections": crashes,
                         "over_limit": slow_x, "worst_s": round(worst_x, 3), "mentions": mentions,
                         "total_s": round(time.perf_counter() - start, 1)}  # fmt: skip
    result["errors"] = errors[:50]
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if errors or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
