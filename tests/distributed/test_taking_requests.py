"""A worker takes a request from the shared queue only when it can start it (a real Redis).

Scrapy's engine takes requests until CONCURRENT_REQUESTS are in its downloader, although a site's
download slot starts only CONCURRENT_REQUESTS_PER_DOMAIN at a time. With the queue in Redis the
rest waited in one worker while another worker had free slots and found the queue empty: at the
arrival of a list page's articles and at the end of the run (issue 16, 2 workers vs 1). The probe
(tests/distributed/slot_probe.py) counts the requests waiting in the worker's downloader each
time one reaches it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from parkcrawl import settings as project_settings
from tests.distributed.conftest import distributed_args, start_worker
from tests.support import DEMO_SITE
from tools.distributed_bench import serve_delayed

PROBE = "tests.distributed.slot_probe.SlotProbe"


def test_a_worker_takes_no_more_requests_than_its_slot_can_start(
    tmp_path: Path, redis_server: str, redis_prefix: str
) -> None:
    extensions = {**project_settings.EXTENSIONS, PROBE: 900}
    # One download at a time for the site, sixteen for the engine: without the check the worker
    # takes up to fifteen requests that wait for the one slot.
    with serve_delayed(DEMO_SITE, 0.1) as base:
        worker = start_worker(
            tmp_path / "worker", "-a", f"start_url={base}/index.html",
            "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"EXTENSIONS={json.dumps(extensions)}",
            *distributed_args(redis_server, redis_prefix),
        )  # fmt: skip
        result = worker.wait()

    assert result.returncode == 0, result.stderr[-3000:]
    assert len(result.items) == 29  # the demo site's 园区信息 articles, all written
    most = re.search(r"'test/most_waiting': (\d+)", result.stderr)
    assert most is not None, result.stderr[-3000:]
    # At most one request waits for the slot (the one taken when a download ended, as the slot
    # starts the next), never a stock another worker could download meanwhile.
    assert int(most.group(1)) <= 1, result.stderr[-3000:]
    # The queue held requests while the slot was busy, so the worker did leave some there.
    assert "'parkcrawl/distributed/left_queued'" in result.stderr
