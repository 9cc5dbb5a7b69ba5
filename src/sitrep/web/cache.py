"""A small cache of rendered API responses, valid until the store changes.

Only for SQLite stores: the token of the store's state is the size and modification time of the
database file and its write-ahead log, which every commit changes (one `stat` each, no query). A
response rendered under one token is served again only while the token is the same, so a reader
never sees data older than the last commit that finished before its request. The token is read
before the store is queried: a commit landing during the query changes it, and the next request
renders afresh. Other backends are not cached (`token` is None).

Concurrent requests for the same page under the same token render it once (`get_or_render`): the
others wait for that rendering instead of each querying the store. It is as fresh as what they
would have read themselves: their token, read on arrival, equals the one it was rendered under.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

# Rendered responses kept, the largest one kept (bigger ones are rendered every time), and the most
# memory all of them may take together.
MAX_ENTRIES = 256
MAX_BODY_BYTES = 2_000_000
MAX_TOTAL_BYTES = 64_000_000

Token = tuple[int, ...]


def sqlite_files(url: str) -> tuple[str, ...] | None:
    """The database file and its WAL of a SQLite URL; None for other backends and in-memory stores."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = os.path.abspath(parsed.database)
    return (path, path + "-wal")


@dataclass
class _Flight:
    """One rendering in progress, which other requests for the same page wait on."""

    done: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None


class ResponseCache:
    """Rendered bodies by key, each valid for the store token it was rendered under (LRU, bounded)."""

    def __init__(self, store_url: str, max_entries: int = MAX_ENTRIES) -> None:
        self._files = sqlite_files(store_url)
        self._max = max_entries
        self._entries: OrderedDict[Hashable, tuple[Token, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict[tuple[Hashable, Token], _Flight] = {}
        self._bytes = 0

    def token(self) -> Token | None:
        """The store's current state as numbers that change on every commit; None: do not cache."""
        if self._files is None:
            return None
        parts: list[int] = []
        for path in self._files:
            try:
                info = os.stat(path)
            except FileNotFoundError:
                parts.extend((0, 0, 0))
                continue
            except OSError:
                return None
            parts.extend((info.st_size, info.st_mtime_ns, info.st_ino))
        return tuple(parts)

    def get(self, key: Hashable, token: Token | None) -> bytes | None:
        """The body cached for `key` under `token`, or None."""
        if token is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != token:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, token: Token | None, body: bytes) -> None:
        """Keep `body` for `key` under `token` (not when uncacheable or too big)."""
        if token is None or len(body) > MAX_BODY_BYTES:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (token, body)
            self._bytes += len(body)
            while len(self._entries) > self._max or self._bytes > MAX_TOTAL_BYTES:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """The body for `key`: cached under the current token, rendered by a request already
        rendering it under that token, or rendered now (and kept)."""
        token = self.token()
        if token is None:
            return render()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == token:
                self._entries.move_to_end(key)
                return entry[1]
            flight = self._flights.get((key, token))
            owner = flight is None
            if flight is None:
                flight = self._flights[(key, token)] = _Flight()
        if not owner:
            flight.done.wait()
            return flight.body if flight.body is not None else render()  # the renderer failed: retry
        try:
            flight.body = render()
            self.put(key, token, flight.body)
            return flight.body
        finally:
            with self._lock:
                self._flights.pop((key, token), None)
            flight.done.set()
