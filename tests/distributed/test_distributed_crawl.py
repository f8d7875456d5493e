"""Two `scrapy crawl parknews` processes share one crawl of the two demo sites through one Redis.

Together they write every article exactly once, the same set a single process writes; the run
ends for both, records a complete walk, and the next run (incremental, over the shared state)
writes nothing. The sites are served by a gate that answers no request until both workers have
joined the run, so the two really crawl side by side, whatever the machine's speed.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from parkcrawl.devtools.demo_server import QuietHandler, SiteServer
from parkcrawl.state import WALK_COMPLETE
from tests.distributed.conftest import (
    HANWEB_SITE,
    WorkerResult,
    article_keys,
    distributed_args,
    start_worker,
    write_sites,
)
from tests.support import DEMO_SITE, run_crawl
from tools.cms_server import CmsHandler, CmsServer, default_data_dir

GATE_TIMEOUT = 120  # seconds a request may wait for the second worker (start-up is ~5 s)


def gated(handler: type, gate: threading.Event) -> type:
    """A handler class that answers only once the gate is open."""

    class Gated(handler):  # type: ignore[misc, valid-type]
        def handle_one_request(self) -> None:
            gate.wait(GATE_TIMEOUT)
            super().handle_one_request()

    return Gated


@contextmanager
def serve_gated(gate: threading.Event) -> Iterator[dict[str, str]]:
    """The demo site and the Hanweb site on 127.0.0.1, behind one gate."""
    servers = [
        SiteServer(("127.0.0.1", 0),
                   functools.partial(gated(QuietHandler, gate), directory=str(DEMO_SITE))),
        CmsServer(("127.0.0.1", 0),
                  functools.partial(gated(CmsHandler, gate), directory=str(HANWEB_SITE),
                                    data_dir=default_data_dir(HANWEB_SITE))),
    ]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield {name: f"http://127.0.0.1:{s.server_address[1]}"
               for name, s in zip(("demo", "hanweb"), servers, strict=True)}
    finally:
        gate.set()
        for server in servers:
            server.shutdown()
            server.server_close()


def wait_for_workers(client: Any, prefix: str, count: int, workers: list[Any]) -> None:
    """Block until ``count`` workers joined the current run (or one of them exited)."""
    while True:
        run_id = client.get(f"{prefix}:run")
        if run_id and int(client.hget(f"{prefix}:run:{run_id}:info", "workers") or 0) >= count:
            return
        if any(w.proc.poll() is not None for w in workers):
            return  # the assertions on its exit status will say why
        threading.Event().wait(0.05)


def crawl_with_two_workers(
    tmp_path: Path, tag: str, sites: Path, redis_url: str, prefix: str, client: Any,
    gate: threading.Event | None = None, output: str = "-O",
) -> list[WorkerResult]:
    args = ("-a", "sites=all", "-a", f"sites_file={sites}", *distributed_args(redis_url, prefix))
    workers = [start_worker(tmp_path / f"{tag}-{n}", *args, output=output) for n in (1, 2)]
    if gate is not None:
        wait_for_workers(client, prefix, 2, workers)
        gate.set()
    return [worker.wait() for worker in workers]


def worker_stat(result: WorkerResult, name: str) -> str | None:
    for line in result.stderr.splitlines():
        if f"'{name}':" in line:
            return line.split(":", 1)[1].strip().rstrip(",").strip("'")
    return None


@pytest.fixture(scope="module")
def shared(
    tmp_path_factory: pytest.TempPathFactory, redis_server: str
) -> Iterator[dict[str, Any]]:
    """A single-process crawl, then a two-worker crawl, then a second two-worker crawl."""
    import uuid

    import redis

    client = redis.Redis.from_url(redis_server, decode_responses=True)
    prefix = f"test:{uuid.uuid4().hex[:12]}"
    tmp = tmp_path_factory.mktemp("distributed")
    gate = threading.Event()
    with serve_gated(gate) as bases:
        sites = write_sites(tmp / "sites.toml", {
            name: {"start_url": f"{base}/index.html"} for name, base in bases.items()
        })
        first = crawl_with_two_workers(tmp, "first", sites, redis_server, prefix, client, gate)
        run_info = client.hgetall(f"{prefix}:last_run")
        walk_complete = client.hget(f"{prefix}:state:meta", WALK_COMPLETE)
        leftover = sorted(client.scan_iter(f"{prefix}:run:*"))
        # The next scheduled run: each worker appends to its own feed.
        second = crawl_with_two_workers(tmp, "first", sites, redis_server, prefix, client,
                                        output="-o")
        single = run_crawl(tmp / "single", "-a", "sites=all", "-a", f"sites_file={sites}",
                           "-s", f"PARKCRAWL_WARC_DIR={tmp / 'single' / 'warc'}")
    yield {"first": first, "second": second, "single": single, "bases": bases,
           "run_info": run_info, "walk_complete": walk_complete, "leftover": leftover}
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_both_workers_finish_the_run_cleanly(shared: dict[str, Any]) -> None:
    for result in shared["first"]:
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.report["failure"] is None
    # both joined run 1 (the gate saw to it); exactly one of them ended it
    assert [worker_stat(r, "parkcrawl/distributed/run") for r in shared["first"]] == ["1", "1"]
    assert sorted(worker_stat(r, "parkcrawl/distributed/ended_run") for r in shared["first"]) == [
        "0", "1"]


def test_together_they_write_every_article_exactly_once(shared: dict[str, Any]) -> None:
    lines = [item for result in shared["first"] for item in result.items]
    keys = article_keys(lines, shared["bases"])
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert [u for u, n in Counter(item["url"] for item in lines).items() if n > 1] == []
    assert Counter(site for site, _, _ in keys) == {"demo": 29, "hanweb": 14}


def test_the_same_articles_as_one_process(shared: dict[str, Any]) -> None:
    single = shared["single"]
    assert single.returncode == 0, single.stderr[-3000:]
    together = [item for result in shared["first"] for item in result.items]
    assert sorted(article_keys(together, shared["bases"])) == sorted(
        article_keys(single.items, shared["bases"]))


def test_the_run_ends_with_a_complete_walk_and_its_keys_deleted(shared: dict[str, Any]) -> None:
    assert shared["walk_complete"] == "1"
    assert shared["run_info"]["id"] == "1"
    assert "failed" not in shared["run_info"]
    assert shared["run_info"]["workers"] == "2"
    assert shared["leftover"] == []


def test_the_next_run_is_incremental_across_workers(shared: dict[str, Any]) -> None:
    for before, after in zip(shared["first"], shared["second"], strict=True):
        assert after.returncode == 0, after.stderr[-3000:]
        # appended feeds: nothing new was written by either worker
        assert len(after.items) == len(before.items)
    reports = [r.report for r in shared["second"]]
    assert sum(r["articles_written"] for r in reports) == 0
    # each site's walk stopped at its first list page: every article on it was known
    assert sum(r["articles"]["known_not_fetched"] for r in reports) > 0
    assert sum(r["fetched_by_kind"].get("article", 0) for r in reports) == 0
