"""Progress of a run on a terminal: one line per phase, with its count, total where known, time and rate.

The pipeline calls `start(phase, total)` and `advance(n)` (the `sitrep.pipeline.Progress` protocol).
The current phase is redrawn in place; when the phase changes, the last one stays on its own line.
A phase started again (extraction and merging alternate batch by batch) carries on with its counts.
The CLI uses this only when stderr is a terminal, and never with `--quiet`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TextIO

BAR_WIDTH = 24
REDRAW_EVERY_S = 0.1  # at most ten redraws a second, so drawing never costs more than the work


@dataclass
class _Phase:
    name: str
    unit: str
    total: int | None = None
    count: int = 0
    elapsed: float = 0.0


class TerminalProgress:
    """Draws the current phase in place (carriage return); a change of phase starts a new line."""

    UNITS: ClassVar[dict[str, str]] = {"read": "articles", "extract": "articles", "merge": "blocks"}

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.phases: dict[str, _Phase] = {}
        self.current: _Phase | None = None
        self._since = 0.0
        self._drawn = 0.0

    def start(self, phase: str, total: int | None = None) -> None:
        """Begin (or resume) `phase`; `total` is added to what the phase already expects."""
        self._pause()
        if self.current is not None and self.current.name != phase:
            self.stream.write("\n")
        state = self.phases.get(phase)
        if state is None:
            state = self.phases[phase] = _Phase(phase, self.UNITS.get(phase, "items"), total)
        elif total is not None:
            state.total = None if state.total is None and state.count else (state.total or 0) + total
        self.current = state
        self._since = self.clock()
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        if self.current is not None:
            self.current.count += n
            self._draw()

    def interrupt(self) -> None:
        """Clear the line so that a message can be printed; the next update draws the phase again."""
        if self.current is not None:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = 0.0

    def close(self) -> None:
        """End the last phase and leave the cursor on a fresh line."""
        self._pause()
        if self.current is not None:
            self.stream.write("\n")
            self.stream.flush()
        self.current = None

    def _pause(self) -> None:
        if self.current is not None:
            now = self.clock()
            self.current.elapsed += now - self._since
            self._since = now
            self._draw(force=True)

    def line(self, phase: _Phase, now: float | None = None) -> str:
        """The text drawn for `phase`, e.g. `extract  [######------]  120/480 articles  6.1s  19.7/s`."""
        elapsed = phase.elapsed + ((now or self.clock()) - self._since if phase is self.current else 0.0)
        rate = f"{phase.count / elapsed:.1f}/s" if elapsed > 0 and phase.count else "-"
        total = phase.total if phase.total is not None and phase.total >= phase.count else None
        if total:
            filled = round(BAR_WIDTH * phase.count / total)
            bar = "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "] "
            counted = f"{phase.count}/{total} {phase.unit}"
        else:
            bar, counted = "", f"{phase.count} {phase.unit}"
        return f"{phase.name:<8} {bar}{counted}  {elapsed:.1f}s  {rate}"

    def _draw(self, force: bool = False) -> None:
        now = self.clock()
        if self.current is None or (not force and now - self._drawn < REDRAW_EVERY_S):
            return
        self._drawn = now
        self.stream.write("\r\x1b[2K" + self.line(self.current, now))
        self.stream.flush()
