"""Throughput of one process against two distributed workers on an I/O-bound site (for `make bench`).

:func:`measure_processes` generates a site of ``n_articles`` 园区信息 articles
(:mod:`tools.sitegen`), serves it on 127.0.0.1 with a fixed delay before every
response (so the crawl waits on the network, as on a real government site), and crawls it with
`scrapy crawl parknews`, each time from an empty state: one plain process (SQLite state), two
distributed workers sharing a Redis, and (``modes``) one distributed worker alone. Throughput is
articles written per second of the crawl window, from the first process's engine start to the
last one's close (Scrapy's own start_time and finish_time; interpreter start-up is left out);
``ratio`` is two workers over one plain process, ``ratio_in_phase`` the same over the article
phase only (after the serial walk to the first list page), ``ratio_wall`` by wall clock with
start-up. Every mode must write all ``n_articles``, each once, or the measurement raises.

Project settings apply as shipped (AutoThrottle on, 8 requests per domain): each worker is polite
on its own, so two workers put up to twice the load on the site. That is the speed-up distributed
mode buys on one site, and the reason to divide per-site concurrency by the worker count there.

    python -m tools.distributed_bench --articles 200 --delay 1.0 [--one-worker] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

from parkcrawl.devtools.demo_server import QuietHandler, SiteServer
from tools.processes import stop

ROOT = Path(__file__).resolve().parents[1]
STATS_FILE_SETTING = "PARKCRAWL_BENCH_STATS_FILE"


class TimingStats(MemoryStatsCollector):
    """Stats collector that also writes the crawl's clock and counts to PARKCRAWL_BENCH_STATS_FILE,
    with the time of each response and each article written (the worker's timeline)."""

    TIMED = {"downloader/response_count": "response_times", "item_scraped_count": "item_times"}

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self._times: dict[str, list[float]] = {name: [] for name in self.TIMED.values()}

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        super().inc_value(key, count, start)
        if key in self.TIMED:
            self._times[self.TIMED[key]].append(time.time())

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        path = self._crawler.settings.get(STATS_FILE_SETTING)
        if path:
            keep = (
                "start_time",
                "finish_time",
                "item_scraped_count",
                "downloader/response_count",
                "parkcrawl/distributed/idle_waits",
                "parkcrawl/distributed/left_queued",
            )
            figures: dict[str, Any] = {
                key: value.isoformat() if isinstance(value, datetime) else value
                for key, value in stats.items()
                if key in keep
            }
            figures.update(
                {name: [round(t, 3) for t in times] for name, times in self._times.items()}
            )
            Path(path).write_text(json.dumps(figures), encoding="utf-8")


class DelayedHandler(QuietHandler):
    """Static files, each answered after ``delay`` seconds (the server waits, not the CPU)."""

    delay = 0.0

    def handle_one_request(self) -> None:
        time.sleep(self.delay)
        super().handle_one_request()


@contextlib.contextmanager
def serve_delayed(root: Path, delay: float) -> Iterator[str]:
    handler = type("Delayed", (DelayedHandler,), {"delay": delay})
    server = SiteServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def redis_for_bench(redis_url: str | None, workdir: Path) -> Iterator[str]:
    """The given Redis, or a redis-server of our own on a free port of 127.0.0.1."""
    if redis_url:
        yield redis_url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("no Redis: pass redis_url or install redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError):
                client.ping()
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)


def generate_site(n_articles: int, out: Path) -> None:
    from tools.sitegen import bench_site, build_pages, load_site, write_site

    write_site(build_pages(bench_site(n_articles, load_site())), out)


def _crawl(
    workdir: Path, start_url: str, processes: int, extra: list[str], delay_s: float = 0.0
) -> dict[str, Any]:
    """Run ``processes`` crawls side by side; their clock, articles, pages and timeline."""
    procs = []
    launched = time.monotonic()
    for n in range(processes):
        home = workdir / f"p{n}"
        home.mkdir(parents=True)
        settings = {
            "PARKCRAWL_STATE_DIR": home / "state",
            "PARKCRAWL_RUNS_DIR": home / "runs",
            "PARKCRAWL_WARC_ENABLED": False,
            "PARKCRAWL_PROGRESS_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "STATS_CLASS": "tools.distributed_bench.TimingStats",
            STATS_FILE_SETTING: home / "stats.json",
        }
        cmd = [sys.executable, "-m", "scrapy", "crawl", "parknews", "-a", f"start_url={start_url}",
               "-O", str(home / "out.jsonl")]
        cmd += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
        cmd += extra
        env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
        log = (home / "log").open("w")
        procs.append((subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log), log, home))
    stats = []
    for proc, log, home in procs:
        if proc.wait(timeout=3600) != 0:
            tail = (home / "log").read_text(encoding="utf-8", errors="replace")[-1500:]
            raise RuntimeError(f"crawl failed ({proc.returncode}):\n{tail}")
        log.close()
        stats.append(json.loads((home / "stats.json").read_text(encoding="utf-8")))
    wall = time.monotonic() - launched
    start = min(datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(datetime.fromisoformat(s["finish_time"]) for s in stats)
    lines = [
        json.loads(line)
        for _, _, home in procs
        for line in (home / "out.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    urls = [line["url"] for line in lines]
    window = (finish - start).total_seconds()
    # The article phase, from the first article's request (its answer less the server's delay)
    # to the last article written; before it the serial walk home -> section -> first list page,
    # after it the close.
    items = sorted(t for s in stats for t in s.get("item_times", []))
    phase = items[-1] - items[0] + delay_s if items else 0.0
    return {
        "processes": processes,
        "articles": len(urls),
        "distinct_articles": len(set(urls)),
        "pages": sum(s.get("downloader/response_count", 0) for s in stats),
        "articles_by_process": [s.get("item_scraped_count", 0) for s in stats],
        "window_s": round(window, 3),
        "wall_s": round(wall, 3),
        "articles_per_s": round(len(urls) / window, 2) if window else None,
        "article_phase_s": round(phase, 3),
        "articles_per_s_in_phase": round(len(urls) / phase, 2) if phase else None,
        # Outside the article phase, which more processes cannot shorten: the walk to the first
        # list page (robots.txt, home, section, list page, one after another) and the close.
        "serial_walk_s": round(max(window - phase, 0.0), 3),
        "timeline": timeline(stats, start.timestamp()),
    }


def timeline(stats: list[dict[str, Any]], t0: float) -> dict[str, Any]:
    """Where the crawl's time went, in seconds from the first engine start: per worker its start,
    first answer, first and last article written and close, how often it waited idle for the
    others (idle_waits) and declined a request it could not start yet (left_queued); and the
    answers per second of all workers (with the server's delay, the requests in flight)."""

    def at(t: float | None) -> float | None:
        return None if t is None else round(t - t0, 2)

    workers = []
    answers: list[float] = []
    for s in stats:
        responses, items = s.get("response_times", []), s.get("item_times", [])
        answers += responses
        workers.append({
            "start_s": at(datetime.fromisoformat(s["start_time"]).timestamp()),
            "first_answer_s": at(responses[0] if responses else None),
            "first_article_s": at(items[0] if items else None),
            "last_article_s": at(items[-1] if items else None),
            "close_s": at(datetime.fromisoformat(s["finish_time"]).timestamp()),
            "idle_waits": s.get("parkcrawl/distributed/idle_waits", 0),
            "left_queued": s.get("parkcrawl/distributed/left_queued", 0),
        })  # fmt: skip
    per_second = [0] * (int(max(answers) - t0) + 1 if answers else 0)
    for t in answers:
        per_second[int(t - t0)] += 1
    return {"workers": workers, "answers_per_s": per_second}


def ceiling(mode: dict[str, Any], workers: int = 2) -> float | None:
    """The best ``workers`` processes can do against this one-process mode (Amdahl): the serial
    walk is not shared, the article phase is divided among them."""
    window, serial = mode["window_s"], mode["serial_walk_s"]
    best = serial + (window - serial) / workers
    return round(window / best, 2) if best else None


MODES = ("single", "distributed_1", "distributed_2")


def measure_processes(
    n_articles: int = 200,
    delay_s: float = 1.0,
    *,
    redis_url: str | None = None,
    workdir: Path | None = None,
    settings: dict[str, str] | None = None,
    modes: tuple[str, ...] = ("single", "distributed_2"),
) -> dict[str, Any]:
    """Crawl a generated site of ``n_articles`` served with ``delay_s`` per request, once per
    mode: ``single`` (one plain process), ``distributed_1`` (one worker on Redis) and
    ``distributed_2`` (two workers). Returns each mode's figures, ``ratio`` (two workers'
    articles/s over one plain process's, crawl window) and ``ratio_in_phase`` (the same over the
    article phase only, without the serial walk to the first list page)."""
    extra = [arg for name, value in (settings or {}).items() for arg in ("-s", f"{name}={value}")]
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pc-dbench-")))
        workdir.mkdir(parents=True, exist_ok=True)
        site = workdir / "site"
        generate_site(n_articles, site)
        url = stack.enter_context(redis_for_bench(redis_url, workdir))
        base = stack.enter_context(serve_delayed(site, delay_s))
        start_url = f"{base}/index.html"

        def distributed() -> list[str]:
            prefix = f"bench:{uuid.uuid4().hex[:10]}"  # a fresh queue and state per mode
            return [
                "-s",
                "PARKCRAWL_DISTRIBUTED=1",
                "-s",
                f"REDIS_URL={url}",
                "-s",
                f"PARKCRAWL_REDIS_PREFIX={prefix}",
            ]

        unknown = set(modes) - set(MODES) or {"single", "distributed_2"} - set(modes)
        if unknown:
            raise ValueError(f"modes must include single and distributed_2, from {MODES}")
        figures = {
            name: _crawl(
                workdir / name,
                start_url,
                2 if name == "distributed_2" else 1,
                (distributed() if name.startswith("distributed") else []) + extra,
                delay_s,
            )
            for name in modes
        }
    for name, mode in figures.items():
        if mode["articles"] != n_articles or mode["distinct_articles"] != n_articles:
            raise RuntimeError(
                f"{name}: wrote {mode['articles']} lines "
                f"({mode['distinct_articles']} distinct), expected {n_articles}"
            )
    one, two = figures["single"], figures["distributed_2"]
    result = {
        "n_articles": n_articles,
        "delay_s": delay_s,
        "modes": figures,
        "ratio": round(two["articles_per_s"] / one["articles_per_s"], 2),
        "ratio_in_phase": round(two["articles_per_s_in_phase"] / one["articles_per_s_in_phase"], 2),
        "ratio_wall": round(one["wall_s"] / two["wall_s"], 2),
    }
    if "distributed_1" in figures:
        # One worker on Redis against one plain process: the cost of the shared queue and state.
        result["one_worker_vs_single"] = round(
            figures["distributed_1"]["articles_per_s"] / one["articles_per_s"], 2
        )
        result["two_vs_one_ceiling"] = ceiling(figures["distributed_1"])
    result["two_vs_single_ceiling"] = ceiling(one)
    return result


def summary(result: dict[str, Any]) -> str:
    modes = result["modes"]
    one = (
        f", 1 distributed worker {modes['distributed_1']['articles_per_s']}"
        if "distributed_1" in modes
        else ""
    )
    return (
        f"{result['n_articles']} articles, {result['delay_s']} s per request: "
        f"1 process {modes['single']['articles_per_s']} articles/s{one}, "
        f"2 distributed workers {modes['distributed_2']['articles_per_s']} "
        f"(split {modes['distributed_2']['articles_by_process']}); "
        f"2 vs 1: x{result['ratio']} over the crawl, x{result['ratio_in_phase']} over the "
        f"article phase, x{result['ratio_wall']} by wall clock incl. start-up"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds before each response")
    parser.add_argument("--redis-url", default=None, help="default: start a redis-server here")
    parser.add_argument(
        "--one-worker",
        action="store_true",
        help="also measure one distributed worker (the cost of Redis)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    modes = MODES if args.one_worker else ("single", "distributed_2")
    result = measure_processes(args.articles, args.delay, redis_url=args.redis_url, modes=modes)
    print(json.dumps(result, indent=1) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
