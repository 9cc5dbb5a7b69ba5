"""Settings that the docs list are read where they say: resolve.window_days reaches the merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sitrep.resolve
from sitrep.cli.main import cli
from sitrep.config import load_settings
from sitrep.errors import ConfigError

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles.jsonl"


@pytest.mark.model
def test_window_days_setting_reaches_the_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def spying(name: str) -> Any:
        real = getattr(sitrep.resolve, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            seen.append(kwargs["window_days"])
            return real(*args, **kwargs)

        return spy

    # A run reaches the mentions new ones can link with, then merges them (docs/merging.md).
    for name in ("reach", "merge_mentions"):
        monkeypatch.setattr(sitrep.resolve, name, spying(name))
    runner = CliRunner(env={"SITREP_RESOLVE__WINDOW_DAYS": "7"})
    result = runner.invoke(cli, ["ingest", str(SAMPLES), "--db", f"sqlite:///{tmp_path / 'w.db'}", "-q"])
    assert result.exit_code == 0, result.output
    assert seen
    assert set(seen) == {7}


@pytest.mark.parametrize("days", [0, 14])
def test_window_days_outside_what_month_blocks_allow_is_a_config_error(days: int) -> None:
    with pytest.raises(ConfigError, match="window_days"):
        load_settings(resolve={"window_days": days})
