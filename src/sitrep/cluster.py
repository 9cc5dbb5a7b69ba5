"""Extraction on Dask workers (`sitrep ingest --workers N` or `--scheduler tcp://HOST:PORT`).

The work is split the way spaCy's maintainers advise for Dask: a task is a partition of records
or articles (`extract.partition_size`, 50 by default: seconds of work), the model and gazetteer are
loaded once per worker by `ExtractionPlugin` (never shipped with a task: a task carries the records
or articles and a `StageConfig` of four values), and a worker gives back plain dataclasses. Two
kinds of task: `clean_part` on records as the client reads them (cleaning, language, neighbour rows,
and the extraction of the dated articles of the run's first `AHEAD_MAX` records), then
`extract_part` on stored articles that still need it (undated ones, once their date is estimated;
what an earlier run left). Everything that needs the whole set or the store (duplicates, copies,
publication-date estimates, blocks, merging) and every write stays in the client, the one process
that holds the store.

A worker that dies mid-task loses nothing: the scheduler runs its partitions again elsewhere (the
nanny of a `LocalCluster` starts a new worker, which loads the model again), and the client stores
a partition only once, when its result arrives.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from sitrep.errors import SitrepError
from sitrep.model import Article, RawArticle
from sitrep.pipeline import (
    CleanedPart,
    ExtractedPart,
    Progress,
    RawPart,
    StageConfig,
    clean_part,
    extract_part,
)

log = logging.getLogger(__name__)

READ_AHEAD_PER_WORKER = 3  # partitions in flight per worker: the next is queued while the client stores
# Our own words, touching each lazy part of extraction (NER, dates, numbers, places, facts) once.
WARM_TEXT = (
    "On Tuesday, 2 December 2025, border guards in Khatlon province clashed with armed men near the "
    "river; two were killed and three wounded, the ministry in Dushanbe said. The 1,300-kilometre "
    "border with Afghanistan is hard to guard, officials added on Wednesday."
)


def _quiet_dask_logs() -> None:
    """Dask's own logs (its scheduler and nannies run in this process for a LocalCluster) only when
    they are errors, or with `sitrep --debug`: a run's output stays sitrep's."""
    level = logging.DEBUG if logging.getLogger().isEnabledFor(logging.DEBUG) else logging.ERROR
    logging.getLogger("distributed").setLevel(level)


# A worker's statistical profiler samples every thread's stack 100 times a second: on extraction
# (pure-Python rules over spaCy docs) that cost about a fifth more CPU per partition here. Workers of
# a cluster started by hand want the same: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


class ExtractionFailed(SitrepError):
    """A partition could not be extracted on the cluster; its articles stay pending."""


class ExtractionPlugin(WorkerPlugin):
    """Loads the extractor and geocoder (spaCy model, gazetteer) once, when a worker starts."""

    def __init__(self, stages: StageConfig) -> None:
        self.stages = stages
        self.name = "sitrep-extract"  # registering again (new settings) replaces it

    def setup(self, worker: Any) -> None:  # noqa: ARG002 (WorkerPlugin hook signature)
        extract_part([Article(article_id="warm-up", raw_text=WARM_TEXT, text=WARM_TEXT)], self.stages)
        clean_part(RawPart([RawArticle(source="warm-up", text=WARM_TEXT)]), self.stages)  # language model


class DaskExtraction:
    """Runs `extract_part` on the workers of a Dask cluster, partitions in flight as they fit.

    `local(n)` starts a `LocalCluster` of `n` worker processes on loopback (one thread each: spaCy
    holds the GIL); `connect(address)` uses a running scheduler. Results are yielded in the order
    the partitions were given, so the client stores and merges exactly what a serial run would.
    """

    def __init__(self, client: Client, cluster: LocalCluster | None = None) -> None:
        self.client = client
        self.cluster = cluster
        self._plugin: threading.Thread | None = None
        self._plugin_error: BaseException | None = None

    @classmethod
    def local(cls, n_workers: int) -> DaskExtraction:
        """A cluster of `n_workers` processes on 127.0.0.1, no dashboard, for this run only."""
        _quiet_dask_logs()
        dask.config.set(WORKER_CONFIG)  # the nannies hand this process's config to their workers
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return cls(Client(cluster), cluster)

    @classmethod
    def connect(cls, address: str, timeout_s: float = 30.0) -> DaskExtraction:
        """The cluster whose scheduler listens at `address` (`tcp://HOST:PORT`)."""
        _quiet_dask_logs()
        try:
            client = Client(address, timeout=timeout_s)
        except (OSError, TimeoutError) as error:
            raise ExtractionFailed(
                f"cannot reach the Dask scheduler at {address}: {error}",
                "start one with `dask scheduler` and workers with `dask worker ADDRESS` (docs/scale.md)",
            ) from error
        return cls(client)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def prepare(self, stages: StageConfig) -> None:
        """Have every worker (and every worker that joins later) load the stages, in the background:
        the models load while the client reads and cleans the articles."""

        def register() -> None:
            try:
                self.client.register_plugin(ExtractionPlugin(stages))
            except BaseException as error:  # re-raised by map()
                self._plugin_error = error

        self._plugin = threading.Thread(target=register, name="sitrep-plugin", daemon=True)
        self._plugin.start()

    extracts_ahead = True  # extraction beside the client: worth starting while it still reads

    def clean(self, parts: Iterable[RawPart], stages: StageConfig) -> Iterator[CleanedPart]:
        """`clean_part` of each partition of records on the workers, sent as the client reads them."""
        for _, result in self._ordered(clean_part, ((len(p.records), p) for p in parts), stages, "records"):
            yield result

    def map(
        self, parts: Iterable[Sequence[Article]], stages: StageConfig, progress: Progress
    ) -> Iterator[ExtractedPart]:
        for n, result in self._ordered(extract_part, ((len(p), list(p)) for p in parts), stages, "articles"):
            progress.advance(n)
            yield result

    def _ordered(
        self, task: Any, parts: Iterable[tuple[int, Any]], stages: StageConfig, what: str
    ) -> Iterator[tuple[int, Any]]:
        """Run `task(part, stages)` on the workers for each (size, part), a bounded number in
        flight (memory stays flat), and yield (size, result) in the order given. A part of size 0
        is not sent: its result is an empty `ExtractedPart`."""
        self._await_plugin(stages)
        window = max(2, READ_AHEAD_PER_WORKER * max(1, self.workers))
        source = iter(parts)
        in_flight: deque[tuple[int, Any]] = deque()

        def fill() -> None:
            while len(in_flight) < window:
                item = next(source, None)
                if item is None:
                    return
                n, part = item
                future = self.client.submit(task, part, stages, pure=False) if n else None
                in_flight.append((n, future))

        fill()
        try:
            while in_flight:
                n, future = in_flight.popleft()
                if future is None:
                    fill()
                    yield 0, ExtractedPart([], [], {}, [])
                    continue
                try:
                    result = future.result()
                except Exception as error:
                    raise ExtractionFailed(
                        f"a partition of {n} {what} failed on the cluster: {type(error).__name__}: {error}",
                        "its articles stay pending; `sitrep resume` tries again",
                    ) from error
                fill()  # the workers get the next partition before the client stores this one
                yield n, result
        finally:
            for _, future in in_flight:
                if future is not None:
                    future.cancel()

    def _await_plugin(self, stages: StageConfig) -> None:
        if self._plugin is None:
            self.prepare(stages)
        assert self._plugin is not None
        self._plugin.join()
        if self._plugin_error is not None:
            raise ExtractionFailed(
                f"the workers could not load the extraction stages: {self._plugin_error!r}",
                "each worker needs sitrep and its spaCy model installed (docs/scale.md)",
            ) from self._plugin_error

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
