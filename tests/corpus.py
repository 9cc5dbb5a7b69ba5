"""Where the shared dev corpus lives, read at run time (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpus" / "dev"
ARTICLES = DEV / "articles.jsonl"
GOLD = DEV / "gold.json"
SCORER = SHARED / "tools" / "score_events.py"


def require_corpus() -> None:
    """Skip the calling test with a reason when ../shared is not beside the checkout."""
    if not ARTICLES.exists() or not GOLD.exists():
        pytest.skip(f"dev corpus not found at {DEV} (CI puts ../shared beside the checkout)")
