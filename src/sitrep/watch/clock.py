"""Time for the watcher: a real clock, or one a test (or `sitrep watch --now`) sets and moves."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    """What the watcher reads the time from and waits with."""

    def now(self) -> dt.datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real time; `sleep` ends early when `wake` is set (SIGTERM)."""

    def __init__(self) -> None:
        self.wake = threading.Event()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.wake.wait(seconds)


class ManualClock:
    """A clock that stands still until moved; `sleep` moves it (nothing waits)."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
        self.slept: list[float] = []

    def now(self) -> dt.datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.slept.append(seconds)
            self.current += dt.timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        """Move the clock on by `seconds`."""
        self.current += dt.timedelta(seconds=seconds)
