"""Exit statuses a scheduler relies on: 2 for bad arguments, 1 when the site changed under us."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.support import run_crawl

HOME = '<html><head><meta charset="utf-8"></head><body><a href="dtyw.html">动态要闻</a></body></html>'
LANDING = '<html><head><meta charset="utf-8"></head><body><a href="list.html">园区信息</a></body></html>'
EMPTY_LIST = '<html><head><meta charset="utf-8"></head><body><p>暂无信息</p></body></html>'


@pytest.fixture
def tiny_site(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(HOME, encoding="utf-8")
    (site / "dtyw.html").write_text(LANDING, encoding="utf-8")
    (site / "list.html").write_text(EMPTY_LIST, encoding="utf-8")
    with serve(site) as url:
        yield url


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # not http(s)
        (["-a", "start_url=ftp://example.invalid/"], "start_url must be an http(s) URL"),
        # no host
        (["-a", "start_url=http://"], "start_url must be an http(s) URL"),
        # neither argument nor setting nor environment
        ([], "no start URL"),
        # an empty path walks nowhere
        (["-a", "start_url=http://127.0.0.1:9/", "-a", "path="], "path is empty"),
        (["-a", "start_url=http://127.0.0.1:9/", "-a", "path= / "], "path is empty"),
        # a typo is refused, naming what the spider takes, not silently ignored
        (["-a", "start_url=http://127.0.0.1:9/", "-a", "fulll=1"],
         "unknown argument fulll: parknews takes start_url, path, full, recheck_days, site, sites,"
         " sites_file"),
        (["-a", "start_url=http://127.0.0.1:9/", "-a", "full=maybe"], "full must be 1 or 0"),
        (["-a", "start_url=http://127.0.0.1:9/", "-a", "recheck_days=-1"],
         "recheck_days must not be negative"),
        # a mistyped setting of ours is refused the same way
        (["-a", "start_url=http://127.0.0.1:9/", "-s", "PARKCRAWL_PROGRESS_BAR=maybe"],
         "PARKCRAWL_PROGRESS_BAR must be auto, true or false, got 'maybe'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    run = run_crawl(tmp_path, *args)
    assert run.returncode == 2
    assert message in last_line(run.stderr)
    # Scrapy's start-up banner may precede it, but the error itself is one line and no traceback.
    assert sum("error" in line for line in run.stderr.splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.report is None  # refused before the crawl started


def test_unreachable_start_page_exits_1(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the crawl: connection refused
    run = run_crawl(tmp_path, "-a", f"start_url=http://127.0.0.1:{port}/", "-s", "RETRY_TIMES=0")
    assert run.returncode == 1
    assert last_line(run.stderr).startswith("parknews: FAILED: could not fetch")


def test_missing_section_level_exits_1_naming_level_and_links_seen(tmp_path: Path, tiny_site: str) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={tiny_site}/index.html", "-a", "path=动态要闻/部门动态")
    assert run.returncode == 1
    line = last_line(run.stderr)
    assert "section level 2 ('部门动态') not found" in line
    assert "园区信息" in line  # what was seen instead
    assert run.items == []


def test_section_without_articles_exits_1(tmp_path: Path, tiny_site: str) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={tiny_site}/index.html")
    assert run.returncode == 1
    assert "no articles found on the section" in last_line(run.stderr)
    assert run.report is not None and run.report["articles_written"] == 0
