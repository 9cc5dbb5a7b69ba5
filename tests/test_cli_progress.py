"""Progress that tells the truth: each phase with its count and total where known, only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.cli.progress import TerminalProgress
from sitrep.ingest import count_records

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
SITREP = [sys.executable, "-c", "from sitrep.cli.main import main; main()"]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _screen(raw: str) -> list[str]:
    """What a terminal would show: each line as last redrawn after its final carriage return."""
    text = ANSI.sub("", raw).replace("\r\n", "\n")
    return [line.rsplit("\r", 1)[-1] for line in text.split("\n") if line.rsplit("\r", 1)[-1].strip()]


# -- the renderer ---------------------------------------------------------------------------------


def test_progress_shows_count_of_total_time_and_rate() -> None:
    out, clock = io.StringIO(), Clock()
    progress = TerminalProgress(out, clock)
    progress.start("read", 40)
    clock.now += 2.0
    progress.advance(20)
    progress.close()
    (line,) = _screen(out.getvalue())
    assert line.startswith("read")
    assert "[############------------] 20/40 articles" in line
    assert "2.0s" in line
    assert "10.0/s" in line


def test_progress_with_unknown_total_draws_no_bar() -> None:
    out, clock = io.StringIO(), Clock()
    progress = TerminalProgress(out, clock)
    progress.start("read", None)
    clock.now += 1.0
    progress.advance(7)
    progress.close()
    (line,) = _screen(out.getvalue())
    assert "7 articles" in line
    assert "[" not in line
    assert "/0" not in line


def test_each_phase_keeps_its_own_line_and_resumes_its_counts() -> None:
    out, clock = io.StringIO(), Clock()
    progress = TerminalProgress(out, clock)
    progress.start("extract", 10)
    progress.advance(5)
    clock.now += 1
    progress.start("merge", 3)
    progress.advance(3)
    clock.now += 1
    progress.start("extract", None)  # the next batch carries on with the same total
    progress.advance(5)
    progress.close()
    lines = _screen(out.getvalue())
    assert [line.split()[0] for line in lines] == ["extract", "merge", "extract"]
    assert "5/10 articles" in lines[0]
    assert "3/3 blocks" in lines[1]
    assert "10/10 articles" in lines[2]


def test_count_records_counts_lines_files_and_gives_up_on_urls(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": 1}\n\n{"id": 2}\n{"id": 3}\n', encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "one.txt").write_text("text", encoding="utf-8")
    (folder / "two.html").write_text("<html></html>", encoding="utf-8")
    (folder / "notes.md").write_text("skipped by ingest", encoding="utf-8")
    assert count_records([str(jsonl)]) == 3
    assert count_records([str(jsonl), str(folder)]) == 5
    assert count_records([str(jsonl), "https://example.org/feed.xml"]) is None
    assert count_records([str(tmp_path / "missing.jsonl")]) == 1  # rejected: one record


# -- the real command ---------------------------------------------------------------------------


def _run_in_pty(args: list[str], timeout_s: float = 240.0) -> tuple[int, str]:
    """Run `args` with stderr (and stdout) on a pseudo-terminal; return the exit status and the output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, cwd=ROOT)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.model
def test_ingest_on_a_terminal_shows_every_phase_with_its_total(tmp_path: Path) -> None:
    expected = count_records([str(SAMPLES)])
    assert expected is not None
    status, raw = _run_in_pty([*SITREP, "ingest", str(SAMPLES), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
    assert status == 0, raw
    lines = _screen(raw)
    phases = {line.split()[0]: line for line in lines if line.split()[0] in {"read", "extract", "merge"}}
    assert set(phases) == {"read", "extract", "merge"}, lines
    assert f"{expected}/{expected} articles" in phases["read"]
    assert f"{expected}/{expected} articles" in phases["extract"]
    assert re.search(r"(\d+)/\1 blocks", phases["merge"]), phases["merge"]
    assert all(re.search(r"\d+\.\ds", line) for line in phases.values())  # elapsed time on each
    assert "/0 " not in raw
    assert "ingested" in lines[-1]  # the summary line comes after the progress


@pytest.mark.model
def test_ingest_quiet_on_a_terminal_and_piped_output_show_no_progress(tmp_path: Path) -> None:
    status, raw = _run_in_pty(
        [*SITREP, "ingest", str(SAMPLES), "--db", f"sqlite:///{tmp_path / 'q.db'}", "--quiet"]
    )
    assert status == 0, raw
    assert raw.strip() == ""
    piped = subprocess.run(
        [*SITREP, "ingest", str(SAMPLES), "--db", f"sqlite:///{tmp_path / 'r.db'}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "\r" not in piped.stderr
    assert "extract" not in piped.stderr
    assert "ingested" in piped.stderr  # the summary line still comes
