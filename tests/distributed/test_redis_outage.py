"""A distributed worker whose Redis goes away mid-crawl: a short outage is ridden out, a lasting
one closes the worker within PARKCRAWL_REDIS_DOWN_TIMEOUT with one line naming Redis (exit 1).

Each test starts a Redis of its own (it is stopped on purpose) and a fault-server site whose home
page is held until the test has broken Redis, so the crawl is surely under way when it happens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.distributed.conftest import (
    RedisProcess,
    WorkerResult,
    distributed_args,
    start_redis,
    start_worker,
)
from tests.faults.conftest import QUICK
from tests.faults.site import HOME, TITLES, write_site
from tools.fault_server import FaultServer, Hold

# Quick to notice (heartbeat, idle poll) and quick to give up; the outage test raises the timeout.
OUTAGE_ARGS = (
    *QUICK,
    "-s", "PARKCRAWL_DISTRIBUTED_HEARTBEAT=0.2",
    "-s", "PARKCRAWL_DISTRIBUTED_IDLE_POLL=0.2",
    "-s", "PARKCRAWL_PROGRESS_INTERVAL=0.2",
)


def wait_for(condition: Callable[[], object], what: str, limit: int = 1200) -> None:
    """Poll ``condition`` every 0.05 s until it holds (a synchronisation, not a timing)."""
    for _ in range(limit):
        if condition():
            return
        threading.Event().wait(0.05)
    pytest.fail(f"gave up waiting for {what}")


def held_crawl(
    tmp_path: Path, redis: RedisProcess, *args: str
) -> tuple[FaultServer, Callable[[], WorkerResult], Callable[[], bool]]:
    root = tmp_path / "site"
    write_site(root, 3)
    server = FaultServer(root, {HOME: Hold(times=1)}, lifetime=200).__enter__()
    worker = start_worker(
        tmp_path / "job", "-a", f"start_url={server.base_url}{HOME}",
        *distributed_args(redis.url, "test:outage"), *OUTAGE_ARGS, *args,
    )
    wait_for(lambda: server.hits(HOME) or worker.proc.poll() is not None, "the home page request")
    return server, lambda: worker.wait(timeout=180), lambda: worker.proc.poll() is None


def test_redis_down_for_good_closes_the_worker_with_one_line_naming_redis(tmp_path: Path) -> None:
    redis = start_redis(tmp_path / "redis")
    try:
        server, wait, running = held_crawl(tmp_path, redis, "-s", "PARKCRAWL_REDIS_DOWN_TIMEOUT=2")
        assert running()
        redis.kill()
        server.release()
        result = wait()
        server.stop()
    finally:
        redis.kill()
    assert result.returncode == 1, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    prefix = f"parknews: FAILED: Redis at {redis.url} unreachable for 2 s: "
    assert last.startswith(prefix), last
    assert "Connection refused" in last
    assert result.report is not None
    assert result.report["failure"] == last.removeprefix("parknews: FAILED: ")
    # quiet meanwhile: one WARNING when it started, one ERROR when the worker gave up
    assert "Traceback" not in result.stderr
    assert [line.split("] ", 1)[1][:40] for line in result.stderr.splitlines()
            if "[parkcrawl.distributed.outage]" in line] == [
        f"WARNING: Redis at {redis.url} unreachable"[:40],
        f"ERROR: Redis at {redis.url} unreachable for"[:40],
    ]
    assert "layout" not in result.stderr


def test_a_short_redis_outage_is_ridden_out(tmp_path: Path) -> None:
    redis = start_redis(tmp_path / "redis")
    log = tmp_path / "job" / "crawl.log"
    try:
        server, wait, running = held_crawl(
            tmp_path, redis, "-s", "PARKCRAWL_REDIS_DOWN_TIMEOUT=120", "-s", f"LOG_FILE={log}")
        assert running()
        redis.stop(save=True)  # a restart that keeps the data, as a persistent Redis does
        wait_for(lambda: log.exists() and "unreachable" in log.read_text(encoding="utf-8"),
                 "the worker to notice the outage")
        server.release()
        redis.start()
        result = wait()
        server.stop()
    finally:
        redis.kill()
    text = log.read_text(encoding="utf-8")
    assert result.returncode == 0, text[-3000:] + result.stderr[-2000:]
    assert sorted(item["title"] for item in result.items) == sorted(TITLES[:3])
    outage_lines = [line.split("] ", 1)[1] for line in text.splitlines()
                    if "[parkcrawl.distributed.outage]" in line]
    assert len(outage_lines) == 2, outage_lines
    assert outage_lines[0].startswith(f"WARNING: Redis at {redis.url} unreachable (")
    assert outage_lines[1].startswith(f"INFO: Redis at {redis.url} is back after ")
    assert "Traceback" not in text
    assert result.report is not None and result.report["failure"] is None


def test_a_redis_back_without_the_run_fails_the_worker(tmp_path: Path) -> None:
    redis = start_redis(tmp_path / "redis")
    log = tmp_path / "job" / "crawl.log"
    try:
        server, wait, running = held_crawl(
            tmp_path, redis, "-s", "PARKCRAWL_REDIS_DOWN_TIMEOUT=120", "-s", f"LOG_FILE={log}")
        assert running()
        redis.stop()  # no persistence: it comes back empty, the run's queue and claims gone
        wait_for(lambda: log.exists() and "unreachable" in log.read_text(encoding="utf-8"),
                 "the worker to notice the outage")
        server.release()
        redis.start()
        result = wait()
        server.stop()
    finally:
        redis.kill()
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == (
        f"parknews: FAILED: Redis at {redis.url} lost distributed run 1 during an outage "
        "(restarted without its data?): the crawl is incomplete"
    )
