"""A worker that joins a run whose start page another worker already queued (a real Redis).

It has nothing to download until that worker's pages add requests, and used to fetch robots.txt
only with its first popped request, so every request it took waited that round trip while the
other worker's were downloading (issue 16, the second worker's idle start). It now fetches
robots.txt as soon as its start request turns out to be a duplicate.

(The other idle of issue 16, a busy worker leaving requests queued meanwhile until its next
download ends, is a matter of latency, bounded by Scrapy's 5-second engine heartbeat anyway: a
test of it would be a timed test, so the bench's redis section measures it instead.)
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import QuietHandler, SiteServer
from parkcrawl.distributed.run import SharedRun
from tests.distributed.conftest import distributed_args, start_worker
from tests.support import DEMO_SITE

DEADLINE_S = 120  # generous: a worker's start-up on a loaded machine


@pytest.fixture
def recorded_site() -> Iterator[tuple[str, list[str]]]:
    """The demo site on 127.0.0.1 and the list of paths it was asked for."""
    paths: list[str] = []

    class Recording(QuietHandler):
        def do_GET(self) -> None:
            paths.append(self.path)
            super().do_GET()

    server = SiteServer(("127.0.0.1", 0), functools.partial(Recording, directory=str(DEMO_SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", paths
    finally:
        server.shutdown()
        server.server_close()


def test_a_worker_whose_start_page_is_queued_fetches_robots_txt_at_once(
    tmp_path: Path,
    redis_server: str,
    redis_prefix: str,
    recorded_site: tuple[str, list[str]],
) -> None:
    import redis
    from scrapy import Request
    from scrapy_redis.dupefilter import RFPDupeFilter

    base, paths = recorded_site
    start_url = f"{base}/index.html"
    # Another worker started the run, holds the start page (its fingerprint is in the run's
    # dupefilter, the queue is empty) and stays busy: the joining worker gets no request at all.
    first = SharedRun(redis.Redis.from_url(redis_server), redis_prefix, "first", 120)
    first.join()
    seen = RFPDupeFilter(first.client, key=first.key("dupefilter"))
    assert seen.request_seen(Request(start_url)) is False  # now recorded as seen

    worker = start_worker(
        tmp_path / "joining", "-a", f"start_url={start_url}",
        *distributed_args(redis_server, redis_prefix),
    )  # fmt: skip
    deadline = time.monotonic() + DEADLINE_S
    try:
        while "/robots.txt" not in paths and worker.proc.poll() is None:
            if time.monotonic() > deadline:
                break  # the assertions below say what was (not) asked
            time.sleep(0.05)
    finally:
        first.idle()  # the other worker is done: the run ends, and the joining worker closes
    result = worker.wait()

    assert paths == ["/robots.txt"], result.stderr[-3000:]
    assert "'robotstxt/request_count': 1" in result.stderr
    assert "'scheduler/dequeued/redis'" not in result.stderr  # it never took a request
