"""The real spider, the real Scrapy engine, the demo site on 127.0.0.1, a hand-written golden file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.support import ROOT, CrawlRun, run_crawl

GOLDEN = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
COMPARED_FIELDS = [
    "url", "title", "body", "published_at", "breadcrumb", "participants", "source",
    "content_hash", "encoding", "script", "site_name", "column",
    # schema 1.3
    "channel", "canonical_url", "language", "authors", "description", "keywords", "modified_at",
    "breadcrumb_urls",
]


@pytest.fixture(scope="module")
def demo_crawl(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    return run_crawl(tmp_path_factory.mktemp("demo"), "-a", f"start_url={demo_site_url}/index.html")


@pytest.fixture(scope="module")
def golden(demo_site_url: str) -> dict[str, dict]:
    lines = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    # The golden's URLs are paths on the demo site: prefix the server's origin.
    return {
        demo_site_url + line["url"]: {
            **line,
            "url": demo_site_url + line["url"],
            "canonical_url": demo_site_url + line["canonical_url"],
            "breadcrumb_urls": [
                None if path is None else demo_site_url + path for path in line["breadcrumb_urls"]
            ],
        }
        for line in lines
    }


def test_crawl_exits_zero(demo_crawl: CrawlRun) -> None:
    assert demo_crawl.returncode == 0, demo_crawl.stderr[-3000:]


def test_emits_exactly_the_section_articles_once(demo_crawl: CrawlRun, golden: dict) -> None:
    urls = [item["url"] for item in demo_crawl.items]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert sorted(urls) == sorted(golden)


def test_every_line_matches_the_golden_file_field_by_field(demo_crawl: CrawlRun, golden: dict) -> None:
    mismatches = []
    for item in demo_crawl.items:
        expected = golden.get(item["url"])
        if expected is None:
            continue  # reported by the membership test
        for field in COMPARED_FIELDS:
            if item.get(field) != expected.get(field):
                mismatches.append(f"{item['url']} {field}: got {item.get(field)!r}, "
                                  f"expected {expected.get(field)!r}")
    assert not mismatches, "\n".join(mismatches)


def test_every_line_validates_against_the_schema(demo_crawl: CrawlRun, article_schema: dict) -> None:
    for item in demo_crawl.items:
        jsonschema.validate(item, article_schema)


def test_output_is_utf8_not_escaped_and_in_field_order(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    first = demo_crawl.items[0]
    assert list(first)[:8] == COMPARED_FIELDS[:8]


def test_report_names_the_dead_link(demo_crawl: CrawlRun) -> None:
    report = demo_crawl.report
    assert report is not None
    assert report["dropped_by_reason"].get("status 404") == 1
    assert report["articles_written"] == len(demo_crawl.items)


def test_summary_is_logged(demo_crawl: CrawlRun) -> None:
    assert "articles written:" in demo_crawl.stderr
