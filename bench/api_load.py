"""Load on the API: client processes x threads hammering one path of a `sitrep serve` on loopback.

    python bench/api_load.py --db sqlite:////tmp/big.db [--seconds 30] [--procs 2] [--threads 4]
                             [--path "/api/events"]

Starts `sitrep serve` (one uvicorn process, as users run it) on a free loopback port, then runs
`--procs` client processes of `--threads` threads each, every thread with its own keep-alive
connection, for `--seconds`. Prints requests/s, latency percentiles, errors and the response size.

`--build-from FILE --copies N` first builds the store: the JSON Lines corpus FILE repeated N times with
distinct ids (id + "-rNN") and a "Bench copy N: " prefix (so no copy is a duplicate), through `sitrep ingest` (the issue-11 load store: the dev corpus x 49 is
2,009 articles whose events are reported by ~49 sources each).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SITREP = str(Path(sys.executable).parent / "sitrep")  # the console script next to this Python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_store(corpus: Path, copies: int, db: str) -> None:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for copy in range(copies):
            for row in rows:
                text = f"Bench copy {copy}: " + row["text"]  # distinct hash, same story
                url = f"{row['url']}?copy={copy}" if row.get("url") else None  # not a revision
                record = {**row, "id": f"{row['id']}-r{copy:02d}", "text": text, "url": url}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    started = time.monotonic()
    subprocess.run([SITREP, "ingest", out.name, "--db", db, "--quiet"], check=True)
    print(f"built {db}: {len(rows) * copies} articles in {time.monotonic() - started:.0f} s")
    os.unlink(out.name)


def _client(url: str, seconds: float, threads: int, vary: bool, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    latencies: list[float] = []
    errors = 0
    sizes: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(number: int) -> None:
        nonlocal errors
        count = number * 1000
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                count += 1
                # --vary: a page size no other request used lately, so no answer comes from the cache
                target = f"{url}{'&' if '?' in url else '?'}limit={100 + count % 900}" if vary else url
                start = time.perf_counter()
                try:
                    response = http.get(target)
                    ok = response.status_code == 200
                    size = len(response.content)
                except httpx.HTTPError:
                    ok, size = False, 0
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    sizes.append(size)
                    if not ok:
                        errors += 1

    pool = [threading.Thread(target=worker, args=(n + 10 * os.getpid(),)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors, sizes))


def run_load(db: str, path: str, seconds: float, procs: int, threads: int, vary: bool) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [SITREP, "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("sitrep serve did not start")
            time.sleep(0.2)
        httpx.get(base + path, timeout=60)  # warm caches once
        queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        clients = [
            multiprocessing.Process(target=_client, args=(base + path, seconds, threads, vary, queue))
            for _ in range(procs)
        ]
        started = time.monotonic()
        for client in clients:
            client.start()
        results = [queue.get() for _ in clients]
        for client in clients:
            client.join()
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies = sorted(x for r in results for x in r[0])
    sizes = [x for r in results for x in r[2]]

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "req_per_s": len(latencies) / min(wall, seconds + 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": sum(r[1] for r in results),
        "mean_bytes": statistics.mean(sizes) if sizes else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--path", default="/api/events")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--vary", action="store_true", help="vary the page size so the cache never answers")
    parser.add_argument("--build-from", type=Path)
    parser.add_argument("--copies", type=int, default=49)
    args = parser.parse_args()
    if args.build_from:
        build_store(args.build_from, args.copies, args.db)
    result = run_load(args.db, args.path, args.seconds, args.procs, args.threads, args.vary)
    print(
        f"{args.path}{' (varied, uncached)' if args.vary else ''}: {args.procs} procs x {args.threads} threads x {args.seconds:.0f} s: "
        f"{result['req_per_s']:.1f} req/s, p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, {result['errors']} errors, {result['mean_bytes'] / 1000:.1f} kB a response"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
