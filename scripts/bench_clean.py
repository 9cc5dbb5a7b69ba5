"""Score sitrep's clean text on the public article-extraction benchmark, next to bare trafilatura.

    python scripts/bench_clean.py [--shared ../shared] [--worst 10]

Reads the 181 pages of `<shared>/bench/article-extraction/` at run time (nothing is copied into the
project), cleans each with `sitrep.clean.CleanArticles` (a rejected page scores as empty text) and with
bare `trafilatura.extract`, then scores both with the benchmark's own `evaluate.py` (F1, precision and
recall over 4-gram shingles). `--worst N` lists the pages where sitrep trails trafilatura most.
Exit status 1 when the benchmark is absent.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

from sitrep.clean import CleanArticles
from sitrep.model import Article, RawArticle

BENCH = Path("bench") / "article-extraction"


def load_evaluate(bench: Path) -> ModuleType:
    """The benchmark's own scorer, imported from its folder."""
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", bench / "evaluate.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(bench / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(bench: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Ground truth `{id: {"articleBody", "url"}}` and each page's HTML."""
    truth: dict[str, Any] = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    html = {}
    for key in truth:
        with gzip.open(bench / "html" / f"{key}.html.gz", "rb") as handle:
            html[key] = handle.read().decode("utf-8", errors="replace")
    return truth, html


def sitrep_text(cleaner: CleanArticles, key: str, html: str, url: str | None) -> str:
    """sitrep's clean text of one page ("" when the page is rejected)."""
    result = cleaner.clean_one(RawArticle(source=key, article_id=key, url=url, html=html))
    return result.text if isinstance(result, Article) else ""


def score(
    bench: Path, with_trafilatura: bool = True, n_bootstrap: int = 0
) -> dict[str, dict[str, Any]]:
    """Metrics per system ("sitrep", and "trafilatura" unless told not to), with per-page outputs."""
    evaluate = load_evaluate(bench)
    truth, html = pages(bench)
    cleaner = CleanArticles()
    outputs = {"sitrep": {k: sitrep_text(cleaner, k, h, truth[k].get("url")) for k, h in html.items()}}
    if with_trafilatura:
        outputs["trafilatura"] = {k: trafilatura.extract(h) or "" for k, h in html.items()}
    results = {}
    for name, texts in outputs.items():
        prediction = {k: {"articleBody": v} for k, v in texts.items()}
        metrics = evaluate.evaluate(truth, prediction, n_bootstrap)
        per_page = {
            k: evaluate.string_shingle_matching(true=truth[k].get("articleBody", ""), pred=v)
            for k, v in texts.items()
        }
        results[name] = {"metrics": metrics, "texts": texts, "per_page": per_page}
    return results


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--worst", type=int, default=0, help="list the N pages sitrep trails most")
    parser.add_argument("--n-bootstrap", type=int, default=200)
    args = parser.parse_args(argv)
    bench = args.shared / BENCH
    if not (bench / "evaluate.py").is_file():
        print(f"no article-extraction benchmark under {bench}", file=sys.stderr)
        return 1
    results = score(bench, n_bootstrap=args.n_bootstrap)
    print(f"article-extraction benchmark: {len(results['sitrep']['texts'])} pages")
    print(f"{'':<12} {'F1':<14} {'precision':<14} {'recall':<14}")
    for name, result in results.items():
        m = result["metrics"]
        print(
            f"{name:<12} {m['f1']:.3f} ± {m['f1_std']:.3f}  {m['precision']:.3f} ± {m['precision_std']:.3f}"
            f"  {m['recall']:.3f} ± {m['recall_std']:.3f}"
        )
    if args.worst:
        ours, theirs = results["sitrep"]["per_page"], results["trafilatura"]["per_page"]
        gaps = sorted(ours, key=lambda k: _f1(*ours[k]) - _f1(*theirs[k]))
        for key in gaps[: args.worst]:
            print(f"{key[:16]}  sitrep {_f1(*ours[key]):.3f}  trafilatura {_f1(*theirs[key]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
