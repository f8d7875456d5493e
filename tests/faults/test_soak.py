"""Soak: 2,000 articles, 10% of all requests failing transiently at random (seeded), none lost.

The site is sitegen's benchmark site (``--bench 2000``: 100 list pages, mirror and GBK pages, a
pinned duplicate link). The fault server fails each request with probability 0.1 — a 500, 502,
503, 429 with Retry-After, a reset or a truncated body — at most twice per path, so the default
RETRY_TIMES (3) must recover every one of them. Every article must be written exactly once, the
run must exit 0 with nothing dropped, and every injected fault must have cost exactly one retry.
"""

from __future__ import annotations

import json
import resource
import time

import pytest

from tests.faults.conftest import crawl, stats
from tests.support import CrawlRun
from tools import sitegen
from tools.fault_server import FaultServer

ARTICLES = 2000
FLAKY = 0.1
SEED = 20241122


class Soak:
    def __init__(self, run: CrawlRun, server: FaultServer, expected: dict[str, dict]):
        self.run = run
        self.server = server
        self.expected = expected


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> Soak:
    work = tmp_path_factory.mktemp("soak")
    site = work / "site"
    assert sitegen.main(["--bench", str(ARTICLES), "--out", str(site)]) == 0
    lines = (work / "site.expected.jsonl").read_text(encoding="utf-8").splitlines()
    expected = {record["url"]: record for record in map(json.loads, lines)}
    with FaultServer(site, flaky=FLAKY, seed=SEED, flaky_max=2, lifetime=600) as server:
        started, cpu = time.monotonic(), children_cpu_seconds()
        # No fault here hangs: the default DOWNLOAD_TIMEOUT keeps a slow answer on a loaded
        # machine from becoming a timeout on top of the injected faults.
        run = crawl(work / "job", server.base_url, "-s", "DOWNLOAD_TIMEOUT=30", timeout=600)
        seconds, cpu = time.monotonic() - started, children_cpu_seconds() - cpu
    print(
        f"\nsoak: {len(run.items)} articles, {len(server.hits())} requests, "
        f"{len(server.injected())} faults injected, {int(stats(run).get('retry/count', 0))} retries, "
        f"{seconds:.1f} s ({cpu:.1f} s CPU in the crawl)"
    )
    return Soak(run, server, expected)


def test_soak_run_succeeds_with_nothing_dropped(soak: Soak) -> None:
    assert soak.run.returncode == 0, soak.run.stderr[-3000:]
    assert soak.run.report["dropped"] == []
    assert soak.run.report["lost_list_pages"] == []


def test_every_article_is_captured_exactly_once(soak: Soak) -> None:
    base = soak.server.base_url
    urls = [item["url"].removeprefix(base) for item in soak.run.items]
    assert len(urls) == ARTICLES
    assert len(set(urls)) == ARTICLES
    assert set(urls) == set(soak.expected)


def test_captured_articles_are_whole(soak: Soak) -> None:
    # A truncated or error page must never pass for the article: titles and bodies are the real ones.
    base = soak.server.base_url
    wrong = [
        item["url"]
        for item in soak.run.items
        if (item["title"], item["content_hash"])
        != (
            soak.expected[item["url"].removeprefix(base)]["title"],
            soak.expected[item["url"].removeprefix(base)]["content_hash"],
        )
    ]
    assert wrong == []


def test_faults_were_injected_and_each_cost_one_retry(soak: Soak) -> None:
    injected = soak.server.injected()
    requests = soak.server.hits()
    # About 10% of the site's ~2,100 paths fail at least once (seeded: the same every run).
    assert 0.07 * len(requests) < len(injected) < 0.13 * len(requests)
    assert {h.fault for h in injected} == {"Status", "Reset", "Truncate"}
    # At most 2 faults per path < RETRY_TIMES: each fault is followed by exactly one retry.
    assert stats(soak.run)["retry/count"] == len(injected)
    assert "retry/max_reached" not in stats(soak.run)
