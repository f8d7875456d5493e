"""Generated sites and crawl processes: what the crawling sections share."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    BARE_SPIDER,
    CRAWL_TIMEOUT,
    KEY_SITE_ARTICLES,
    ROOT,
    SITES,
    STATS_CLASS,
    log,
    rnd,
)
from tools.processes import stop

# ------------------------------------------------------------------------------ sites


@functools.lru_cache(maxsize=1)
def _sitegen_key() -> str:
    """Digest of what sitegen renders for a small site (every page kind, the windowed pager).

    A generated site is reused while the generator renders the same bytes, so an edit that does
    not change the output (a type hint, a comment) does not cost a new 50,000-article site.
    """
    from tools import sitegen

    digest = hashlib.sha256()
    for path, data in sorted(sitegen.build_pages(sitegen.bench_site(KEY_SITE_ARTICLES)).items()):
        digest.update(path.encode() + b"\0" + data)
    return digest.hexdigest()[:12]


def _sitegen(*args: str) -> None:
    """The sitegen command in a process of its own (a large site would swell this one)."""
    cmd = [sys.executable, "-m", "tools.sitegen", *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"sitegen {' '.join(args)} failed: {proc.stderr[-1500:]}")


def ensure_site(n: int) -> tuple[Path, float]:
    """The ``sitegen --bench n`` site in output/bench/sites (made now if absent); (path, seconds spent)."""
    key = _sitegen_key()
    path = SITES / f"bench-{n}-{key}"
    if (path / ".complete").is_file():
        return path, 0.0
    for stale in SITES.glob(f"bench-{n}-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink()
    log(f"generating a site of {n} articles in {path.relative_to(ROOT)}")
    began = time.monotonic()
    SITES.mkdir(parents=True, exist_ok=True)
    _sitegen("--bench", str(n), "--out", str(path))
    (path / ".complete").write_text(key + "\n")
    return path, time.monotonic() - began


def site_cached(n: int) -> bool:
    return (SITES / f"bench-{n}-{_sitegen_key()}" / ".complete").is_file()


# ------------------------------------------------------------------------------ processes


@dataclass
class Run:
    """One crawl process: exit status, wall seconds, peak RSS, and Scrapy's final stats."""

    label: str
    returncode: int
    wall_s: float
    peak_rss_mb: float
    stats: dict[str, Any]
    items: int
    log: Path

    @property
    def responses(self) -> int:
        return int(self.stats.get("downloader/response_count", 0))

    @property
    def requests(self) -> int:
        return int(self.stats.get("downloader/request_count", 0))

    @property
    def elapsed_s(self) -> float:
        return float(self.stats.get("elapsed_time_seconds") or self.wall_s)

    @property
    def pages_per_s(self) -> float:
        return self.responses / self.elapsed_s if self.elapsed_s else 0.0

    def brief(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "returncode": self.returncode,
            "wall_s": rnd(self.wall_s),
            "elapsed_s": rnd(self.elapsed_s),
            "requests": self.requests,
            "responses": self.responses,
            "pages_per_s": rnd(self.pages_per_s, 2),
            "items": self.items,
            "peak_rss_mb": rnd(self.peak_rss_mb, 1),
        }

    def check(self) -> Run:
        if self.returncode != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-1500:]
            raise RuntimeError(f"{self.label} exited {self.returncode}; log {self.log}:\n{tail}")
        return self


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PARKCRAWL_START_URL", "SCRAPY_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = str(ROOT) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


# Runs a command and writes its peak RSS (KiB, from wait4) to a file. A crawl is started through
# this small process, not from the driver: Linux counts the RSS of the process image a child
# replaces at exec in the child's ru_maxrss, so a child of a large driver would report at least
# the driver's size.
LAUNCHER = """
import os, signal, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
while True:
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        break
    except InterruptedError:
        continue
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass
class Started:
    """A crawl process started through LAUNCHER."""

    proc: subprocess.Popen[bytes]
    began: float
    log_file: Any
    rss_file: Path


def start(cmd: list[str], cwd: Path, log_path: Path) -> Started:
    log_file = log_path.open("wb")
    rss_file = log_path.with_suffix(".maxrss")
    rss_file.unlink(missing_ok=True)
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(rss_file), *cmd],
        cwd=cwd, env=_env(), stdout=log_file, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Started(proc, began, log_file, rss_file)


def finish(started: Started) -> tuple[int, float, float]:
    """Wait for the crawl: (exit status, wall seconds, the crawl process's own peak RSS in MB)."""
    try:
        code = started.proc.wait(timeout=CRAWL_TIMEOUT)
    except subprocess.TimeoutExpired:
        started.proc.terminate()
        code = started.proc.wait()
    wall = time.perf_counter() - started.began
    started.log_file.close()
    try:
        rss_kib = int(started.rss_file.read_text())
    except (OSError, ValueError):
        rss_kib = 0
    return code, wall, rss_kib / 1024


def _read_stats(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def parknews_cmd(base_url: str, work: Path, extra: list[str] | None = None) -> list[str]:
    """`scrapy crawl parknews` as the benchmark runs it (see the module docstring)."""
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "parknews",
        "-a",
        f"start_url={base_url}/index.html",
        "-s",
        "FEEDS={}",
        "-O",
        str(work / "out.jsonl"),
        "-s",
        f"PARKCRAWL_STATE_DIR={work / 'state'}",
        "-s",
        f"PARKCRAWL_RUNS_DIR={work / 'runs'}",
        "-s",
        f"PARKCRAWL_WARC_DIR={work / 'warc'}",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        f"STATS_CLASS={STATS_CLASS}",
        "-s",
        f"BENCH_STATS_FILE={work / 'stats.json'}",
        *(extra or []),
    ]


def run_parknews(label: str, base_url: str, work: Path, extra: list[str] | None = None) -> Run:
    """One `scrapy crawl parknews` from the repository root, reaped for its peak RSS."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "stats.json").unlink(missing_ok=True)
    code, wall, rss = finish(start(parknews_cmd(base_url, work, extra), ROOT, work / "crawl.log"))
    return Run(
        label,
        code,
        wall,
        rss,
        _read_stats(work / "stats.json"),
        _count_lines(work / "out.jsonl"),
        work / "crawl.log",
    )


def run_bare(label: str, base_url: str, work: Path) -> Run:
    """bench/bare_spider.py with `scrapy runspider` from outside the project (no project settings)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "stats.json").unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(BARE_SPIDER),
        "-a",
        f"start_url={base_url}/index.html",
        "-s",
        f"STATS_CLASS={STATS_CLASS}",
        "-s",
        f"BENCH_STATS_FILE={work / 'stats.json'}",
    ]
    code, wall, rss = finish(start(cmd, work, work / "crawl.log"))
    return Run(label, code, wall, rss, _read_stats(work / "stats.json"), 0, work / "crawl.log")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(work: Path) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence); yields its URL."""
    port = _free_port()
    work.mkdir(parents=True, exist_ok=True)
    log_file = (work / "redis.log").open("wb")
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=1) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start; see {work / 'redis.log'}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)
        log_file.close()
