"""Helpers for the fault suite: quick crawls against the fault server, stats read from the log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import DEMO_SITE, CrawlRun, run_crawl
from tools.fault_server import FaultServer

# Faults are injected on purpose, so the crawl is made quick, not polite: no AutoThrottle, a short
# download timeout and short backoff (0.1 s, 0.2 s, 0.4 s). The retry policy itself is the default
# one (RETRY_TIMES = 3), so reasons read "... after 3 retries" as in production.
QUICK = (
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_TIMEOUT=2",
    "-s",
    "PARKCRAWL_RETRY_BACKOFF_BASE=0.1",
)
BACKOFF = (0.1, 0.2, 0.4)

_STAT = re.compile(r"^\s*[{ ]'([^']+)': (\d+(?:\.\d+)?)[,}]", re.MULTILINE)


@pytest.fixture
def demo_server() -> Iterator[FaultServer]:
    """The demo site served by the fault server (no faults): the requests it was asked for."""
    with FaultServer(DEMO_SITE) as server:
        yield server


def crawl(tmp_path: Path, base_url: str, *args: str, timeout: float = 240) -> CrawlRun:
    """`scrapy crawl parknews` from the site's home page, everything written under tmp_path."""
    return run_crawl(
        tmp_path,
        "-a",
        f"start_url={base_url}/index.html",
        *QUICK,
        "-s",
        f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
        *args,
        timeout=timeout,
    )


def stats(run: CrawlRun) -> dict[str, float]:
    """The numeric Scrapy stats the crawl dumped into its log."""
    dump = run.stderr.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {key: float(value) for key, value in _STAT.findall(dump)}


def last_line(run: CrawlRun) -> str:
    return run.stderr.strip().splitlines()[-1]


def dropped(run: CrawlRun, base_url: str) -> dict[str, str]:
    """Dropped articles of the run report: site path → reason."""
    assert run.report is not None, run.stderr[-3000:]
    return {d["url"].removeprefix(base_url): d["reason"] for d in run.report["dropped"]}


def captured(run: CrawlRun, base_url: str) -> dict[str, dict]:
    """Written articles: site path → item."""
    return {item["url"].removeprefix(base_url): item for item in run.items}
