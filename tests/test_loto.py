"""tests/eval/loto.py: the leave-one-theatre-out script runs, its knobs reach the pipeline and are put
back, and each held-out theatre is scored at the point chosen on the others (a two-point grid on two
theatres, not the full grid: `make loto` runs that)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import SHARED

LOTO = Path(__file__).resolve().parent / "eval" / "loto.py"
sys.path.insert(0, str(LOTO.parent))

import loto  # noqa: E402


def test_a_constant_knob_is_patched_inside_and_restored_after() -> None:
    similarity = importlib.import_module("sitrep.resolve.similarity")  # not `import ... as`: a function
    before = dict(similarity.WEIGHTS)
    with loto.KNOBS["weight_quote"].set_to(0.3):
        assert similarity.WEIGHTS["quote"] == 0.3
        assert similarity.WEIGHTS["type"] == before["type"]
    assert before == similarity.WEIGHTS


def test_a_setting_knob_is_set_through_its_variable_and_restored_after() -> None:
    from sitrep.config import load_settings

    knob = loto.KNOBS["merge_threshold"]
    assert knob.env == "SITREP_RESOLVE__MERGE_THRESHOLD"
    assert knob.shipped() == load_settings().resolve.merge_threshold
    outside = os.environ.get(knob.env)
    with knob.set_to(0.45):
        assert load_settings().resolve.merge_threshold == 0.45
    assert os.environ.get(knob.env) == outside


def test_ties_go_to_the_point_nearest_the_shipped_values() -> None:
    shipped = loto.KNOBS["merge_threshold"].shipped()
    near, far = (("merge_threshold", shipped),), (("merge_threshold", shipped + 0.1),)
    same = {"a": {"event_f1": 0.5}, "b": {"event_f1": 0.5}}
    results = {far: same, near: same}
    assert loto.choose(results, ["a"], [far, near]) == near


@pytest.mark.corpus
@pytest.mark.model
def test_loto_on_a_tiny_grid(tmp_path: Path) -> None:
    if (
        not (SHARED / "corpus" / "dev" / "articles.jsonl").is_file()
        or not (SHARED / "corpus" / "broad" / "articles.jsonl").is_file()
    ):
        pytest.skip(f"dev or broad corpus not found under {SHARED / 'corpus'}")
    out = tmp_path / "loto.json"
    grid = ["--grid", "merge_threshold=0.6,0.75", "--theatres", "dev", "broad-wk"]
    command = [sys.executable, str(LOTO), *grid]
    result = subprocess.run([*command, "--json", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "elapsed:" in result.stdout
    record = json.loads(out.read_text())
    figures = {p["values"]["merge_threshold"]: p["figures"] for p in record["points"]}
    assert set(figures) == {0.6, 0.75}
    # the setting reaches the merge: a much higher threshold splits events, so the figures move
    assert figures[0.6]["dev"] != figures[0.75]["dev"]
    assert len(record["rows"]) == 2
    for row in record["rows"]:
        (other,) = row["chosen_on"]
        assert other != row["theatre"]
        best = max(figures, key=lambda v: (figures[v][other]["event_f1"], -abs(v - 0.6)))
        assert row["chosen"] == {"merge_threshold": best}
        assert row["loto"] == figures[best][row["theatre"]]
        assert row["shipped"] == figures[record["shipped"]["merge_threshold"]][row["theatre"]]
        assert f"| {row['theatre']} | {row['shipped']['event_f1']:.2f} | {row['loto']['event_f1']:.2f} |" in (
            result.stdout
        )
