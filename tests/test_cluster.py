"""Extraction on Dask workers stores what a serial run stores, and loses nothing to a killed worker
or a killed client.

Every test here starts a real `LocalCluster` of worker processes on loopback (spawned: each loads
the spaCy model and the gazetteer once) and stores into real SQLite files and PostgreSQL databases.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.cluster import DaskExtraction, ExtractionFailed
from sitrep.config import load_settings
from sitrep.pipeline import ingest_sources
from sitrep.store import open_store
from tests.corpus import SHARED
from tests.test_resume import SITREP, invoke, progress, repeated_samples, snapshot

pytestmark = pytest.mark.model

CORPORA = [SHARED / "corpus" / "dev" / "articles.jsonl", SHARED / "corpus" / "broad" / "articles.jsonl"]


@pytest.mark.corpus
def test_two_workers_store_what_a_serial_run_stores(
    store_url_factory: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = [str(path) for path in CORPORA if not path.exists()]
    if missing:
        pytest.skip(f"corpus not found: {', '.join(missing)} (CI puts ../shared beside the checkout)")
    sources = [str(path) for path in CORPORA]
    serial = store_url_factory("serial")
    invoke("ingest", *sources, "--db", serial, "-q")
    reference = snapshot(serial, tmp_path / "serial.jsonl")
    assert reference["counts"]["events"] > 0
    # Partitions of 7 (the serial run used 50): what is stored may not depend on how work is cut.
    monkeypatch.setenv("SITREP_EXTRACT__PARTITION_SIZE", "7")
    parallel = store_url_factory("workers")
    invoke("ingest", *sources, "--db", parallel, "--workers", "2", "-q")
    found = snapshot(parallel, tmp_path / "workers.jsonl")
    assert found["counts"] == reference["counts"]
    assert found["pending"] == 0
    assert found["export"] == reference["export"]
    assert found["facts"] == reference["facts"]


class KillAWorker:
    """Progress that SIGKILLs a worker process busy with a partition as soon as the first partition
    comes back: the ones in flight on it must be run again elsewhere."""

    def __init__(self, backend: DaskExtraction) -> None:
        self.backend = backend
        self.killed: list[str] = []  # the partitions (task keys) the killed worker was running

    def start(self, phase: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:  # noqa: ARG002 (the Progress protocol)
        if self.killed:
            return
        busy = {addr: keys for addr, keys in self.backend.client.processing().items() if keys}
        if not busy:
            return
        address, keys = sorted(busy.items())[0]
        pid = self.backend.client.run(os.getpid, workers=[address])[address]
        os.kill(pid, signal.SIGKILL)
        self.killed = list(keys)


def test_a_killed_worker_loses_nothing_and_stores_nothing_twice(
    store_url_factory: Callable[[str], str], tmp_path: Path
) -> None:
    corpus = repeated_samples(tmp_path / "corpus.jsonl", copies=5)
    clean = store_url_factory("clean")
    invoke("ingest", str(corpus), "--db", clean, "-q")
    reference = snapshot(clean, tmp_path / "clean.jsonl")

    url = store_url_factory("killed")
    settings = load_settings(database_url=url)
    settings.extract.partition_size = 2  # 15 partitions: several in flight when the worker dies
    backend = DaskExtraction.local(2)
    killer = KillAWorker(backend)
    try:
        with open_store(url) as store:
            summary = ingest_sources([str(corpus)], store, settings, progress=killer, extraction=backend)
        # The scheduler (in this process for a LocalCluster) took the dead worker's partitions back
        # and ran them again: processing -> released, later -> memory.
        log = [entry[:3] for entry in backend.cluster.scheduler.transition_log if entry[0] in killer.killed]
        run_again = {key for key, start, finish in log if (start, finish) == ("processing", "released")}
    finally:
        backend.close()
    assert killer.killed, "no worker was busy when the first partition came back"
    assert run_again, "the killed worker had finished its partitions before it died"
    assert summary.rejected == 0
    found = snapshot(url, tmp_path / "killed.jsonl")
    assert found["counts"] == reference["counts"]
    assert found["pending"] == 0
    assert found["export"] == reference["export"]


def test_a_killed_client_is_finished_by_resume(
    store_url_factory: Callable[[str], str], tmp_path: Path
) -> None:
    corpus = repeated_samples(tmp_path / "corpus.jsonl", copies=5)
    clean = store_url_factory("clean")
    invoke("ingest", str(corpus), "--db", clean, "-q")
    reference = snapshot(clean, tmp_path / "clean.jsonl")

    url = store_url_factory("killed")
    env = {**os.environ, "SITREP_EXTRACT__PARTITION_SIZE": "2"}
    # Its own process group: the client, its cluster's nannies and workers all go down together.
    child = subprocess.Popen(
        [*SITREP, "ingest", str(corpus), "--db", url, "--workers", "2", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )  # fmt: skip
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    killed = False
    try:
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if progress(engine)["mentions"] > 0:
                os.killpg(child.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.01)
    finally:
        engine.dispose()
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    with open_store(url) as store:
        stats = store.stats()
    if killed:
        assert stats["pending_extract"] + stats["pending_merge"] > 0
    invoke("resume", "--db", url, "--workers", "2", "-q")
    found = snapshot(url, tmp_path / "resumed.jsonl")
    assert found["counts"] == reference["counts"]
    assert found["pending"] == 0
    assert found["export"] == reference["export"]


def test_options_are_checked_before_anything_starts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitrep.cli.main import cli

    corpus = repeated_samples(tmp_path / "corpus.jsonl", copies=1)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    both = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", db, "--workers", "2",
                                    "--scheduler", "tcp://127.0.0.1:8786"])  # fmt: skip
    assert both.exit_code == 2
    assert "not both" in both.output
    remote = CliRunner().invoke(
        cli, ["ingest", str(corpus), "--db", db, "--scheduler", "tcp://10.0.0.5:8786"]
    )
    assert remote.exit_code == 2
    assert "postgresql" in remote.output
    zero = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", db, "--workers", "0"])
    assert zero.exit_code == 2


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    with pytest.raises(ExtractionFailed, match="cannot reach the Dask scheduler") as caught:
        DaskExtraction.connect("tcp://127.0.0.1:9", timeout_s=1.0)
    assert "dask worker" in caught.value.hint
