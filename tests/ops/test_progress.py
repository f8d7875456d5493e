"""The progress line: its wording, its counts, its switch, and its appearance in a real crawl."""

from __future__ import annotations

import re

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from parkcrawl import settings as project_settings
from parkcrawl.progress import Progress, Snapshot, snapshot
from tests.ops.conftest import DemoOutput

PROGRESS_LINE = re.compile(
    r"progress: (\d+) pages fetched, (\d+) articles written, (\d+) dropped, "
    r"(\d+|\?) queued \((\d+) downloading\), (\d+) pages/min"
)


@pytest.mark.parametrize(
    ("stats", "queued", "downloading", "expected"),
    [
        # the start: nothing counted yet, Scrapy has not created the keys
        ({}, 0, 0, Snapshot(0, 0, 0, 0, 0)),
        # dropped articles are the sum of every parkcrawl/dropped/<reason> key
        (
            {
                "downloader/response_count": 36,
                "item_scraped_count": 29,
                "parkcrawl/dropped/status_404": 1,
                "parkcrawl/dropped/no_body_found": 2,
                "parkcrawl/clean/pinyin_annotations": 6,  # not a drop
            },
            3,
            2,
            Snapshot(36, 29, 3, 3, 2),
        ),
        # a scheduler without __len__ reports no queue size
        ({"downloader/response_count": 5}, None, 1, Snapshot(5, 0, 0, None, 1)),
    ],
)
def test_snapshot_counts(
    stats: dict, queued: int | None, downloading: int, expected: Snapshot
) -> None:
    assert snapshot(stats, queued, downloading) == expected


@pytest.mark.parametrize(
    ("snap", "rate", "expected"),
    [
        (
            Snapshot(36, 29, 1, 0, 2),
            720.0,
            (
                "progress: 36 pages fetched, 29 articles written, 1 dropped, "
                "0 queued (2 downloading), 720 pages/min"
            ),
        ),
        # an unknown queue size is a question mark, the rate is rounded to whole pages
        (
            Snapshot(5, 0, 0, None, 1),
            59.6,
            (
                "progress: 5 pages fetched, 0 articles written, 0 dropped, "
                "? queued (1 downloading), 60 pages/min"
            ),
        ),
    ],
)
def test_line_wording(snap: Snapshot, rate: float, expected: str) -> None:
    assert snap.line(rate) == expected
    assert PROGRESS_LINE.fullmatch(expected)


@pytest.mark.parametrize(
    "settings",
    [
        {"PARKCRAWL_PROGRESS_ENABLED": False},
        {"PARKCRAWL_PROGRESS_INTERVAL": 0},
    ],
)
def test_switched_off_is_not_configured(settings: dict) -> None:
    crawler = get_crawler(settings_dict=settings)
    with pytest.raises(NotConfigured):
        Progress.from_crawler(crawler)


def test_on_by_default_every_ten_seconds() -> None:
    assert project_settings.EXTENSIONS["parkcrawl.progress.Progress"]
    crawler = get_crawler(
        settings_dict={
            "PARKCRAWL_PROGRESS_INTERVAL": project_settings.PARKCRAWL_PROGRESS_INTERVAL,
        }
    )
    progress = Progress.from_crawler(crawler)
    assert progress.interval == 10.0
    assert progress.stream is None


def test_a_crawl_logs_progress_lines(demo_output: DemoOutput) -> None:
    # The shared demo crawl runs with PARKCRAWL_PROGRESS_INTERVAL=0.05; the test asserts on the
    # counts the lines carry, never on times.
    run = demo_output.run
    lines = [PROGRESS_LINE.search(line) for line in run.stderr.splitlines() if "progress: " in line]
    lines = [m for m in lines if m]
    assert lines, "no progress line in the crawl's log"
    pages = [int(m.group(1)) for m in lines]
    articles = [int(m.group(2)) for m in lines]
    assert pages == sorted(pages) and articles == sorted(articles), "totals went backwards"
    assert pages[-1] <= run.report["pages_fetched"]
    assert articles[-1] <= len(run.items)
    assert "[parkcrawl.progress] INFO: progress:" in run.stderr
