"""The run report as an HTML page: rendered from a hand-written report, and opened in Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from parkcrawl.report_html import CHART_HEIGHT, render_report
from tests.support import run_crawl

REPORT: dict[str, Any] = {
    "spider": "parknews",
    "started_at": "2024-12-20T01:00:00Z",
    "finished_at": "2024-12-20T01:00:03Z",
    "duration_s": 3.2,
    "failure": None,
    "interrupted": None,
    "exit_status": 0,
    "articles_written": 29,
    "articles": {"new": 28, "changed": 1, "unchanged": 0, "duplicates": 2},
    "pages_fetched": 44,
    "list_pages": 3,
    "walk_complete": True,
    "walk_cut": [],
    "lost_list_pages": [],
    "dropped": [
        {"url": "http://park.test/a404.html?<script>alert(1)</script>", "reason": "status 404"},
        {"url": "http://park.test/b.html", "reason": "status 404"},
        {"url": "http://park.test/c.html", "reason": "no body found"},
    ],
    "articles_per_month": {"2024-10": 7, "2024-11": 13, "2024-12": 9},
    "articles_per_site": {"-": 29},
    "top_participants": [{"name": "周文博", "role": "园区党工委书记", "articles": 7}],
    "slowest_pages": [{"url": "http://park.test/slow.html", "seconds": 1.5}],
    "spider_arguments": {"start_url": "http://park.test/", "path": ["动态要闻", "园区信息"]},
    "versions": {"parkcrawl": "0.1.0", "scrapy": "2.19.0"},
    "output_files": {"feeds": ["out.jsonl"], "warc": [], "wacz": []},
}


def bars(html: str) -> list[tuple[str, str, float]]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return [(r.get("data-month"), r.get("data-count"), float(r.get("height")))
            for r in tree.xpath("//rect[@class='bar']")]


def test_one_bar_per_month_scaled_to_the_busiest() -> None:
    assert bars(render_report(REPORT)) == [
        ("2024-10", "7", round(CHART_HEIGHT * 7 / 13, 1)),
        ("2024-11", "13", float(CHART_HEIGHT)),
        ("2024-12", "9", round(CHART_HEIGHT * 9 / 13, 1)),
    ]


def test_self_contained_escaped_and_says_the_outcome() -> None:
    html = render_report(REPORT)
    assert "<script" not in html and "&lt;script&gt;" in html  # a URL cannot inject markup
    assert "http://" not in html.split("<body>")[0]  # no stylesheet or script from elsewhere
    assert "finished (exit 0)" in html
    assert ">status 404</td><td class=\"n\">2</td>" in html  # reasons counted, with examples
    failed = render_report({**REPORT, "failure": "walk cut: list page cap", "exit_status": 1})
    assert "failed (exit 1)" in failed and "walk cut: list page cap" in failed
    stopped = render_report({**REPORT, "interrupted": "SIGINT", "exit_status": 130})
    assert "interrupted by SIGINT (exit 130)" in stopped


def test_page_worker_restarts_are_said_only_when_there_were_some() -> None:
    assert "page workers restarted" not in render_report({**REPORT, "page_worker_restarts": 0})
    html = render_report({**REPORT, "page_worker_restarts": 2})
    assert "page workers restarted 2 time(s)" in html


def test_no_article_no_chart() -> None:
    assert bars(render_report({**REPORT, "articles_per_month": {}})) == []


def chromium_or_skip() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    reason = "no chromium on PATH (Debian: apt-get install -y chromium)"
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the HTML report must be opened, not skipped)")
        pytest.skip(reason)
    return path


def test_the_demo_runs_report_renders_in_chromium(tmp_path: Path, demo_site_url: str) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={demo_site_url}/index.html")
    assert run.returncode == 0, run.stderr[-3000:]
    (page_file,) = (tmp_path / "runs").glob("*.html")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_or_skip(), headless=True,
            args=["--no-sandbox"] if os.geteuid() == 0 else [],
        )
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(page_file.as_uri())
            drawn = page.eval_on_selector_all(
                "rect.bar",
                "els => els.map(e => [e.dataset.month, e.getBoundingClientRect().height])",
            )
            page.screenshot(path=str(tmp_path / "run-report.png"), full_page=True)  # the artifact
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file:") for url in requested)  # self-contained
    # the demo's 29 articles: 7 in October, 13 in November, 9 in December 2024
    assert [month for month, _ in drawn] == ["2024-10", "2024-11", "2024-12"]
    heights = {month: height for month, height in drawn}
    assert heights["2024-11"] == pytest.approx(CHART_HEIGHT, abs=0.5)
    assert heights["2024-10"] == pytest.approx(CHART_HEIGHT * 7 / 13, abs=0.5)
    assert heights["2024-12"] == pytest.approx(CHART_HEIGHT * 9 / 13, abs=0.5)
    assert (tmp_path / "run-report.png").stat().st_size > 10_000
