"""Small hostile cases, each against the fault server: invisible characters in an article, a
decompression bomb, and expected events (duplicates, unchanged articles, switched-off
components) that must not count as WARNINGs."""

from __future__ import annotations

import re
from pathlib import Path

from tests.faults.conftest import captured, crawl, dropped, stats
from tests.faults.site import PAGE, TITLES, article_html, article_path, write_site
from tests.support import CrawlRun, run_crawl
from tools.fault_server import Body, FaultServer, GzipBomb

_LOG_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[^\]]+\] (\w+): ", re.MULTILINE)

HOSTILE = PAGE.format(
    title="园区\u202e召开\x1b[31m安全\u200b生产会议&rlm;_苏锡通科技产业园区",
    main=(
        '<div class="article"><h1 class="title">园区\u202e召开\x1b[31m安全\u200b生产会议&rlm;</h1>\n'
        '<div class="info">发布时间：2024-11-20　来源：园区办公室</div>\n'
        '<div class="content"><div class="TRS_Editor">\n'
        "<p>　　园\u200b区\u200c召\u200d开\u2060安\ufeff全生产工作推进会，各部门负责同志参加。</p>\n"
        "<p>　　会议要求\x07压实\x1b[0m责任&#8203;，确保&#x202E;各项工作落到实处\x9b。</p>\n"
        "</div></div></div>"
    ),
).encode("utf-8")


def levels(run: CrawlRun) -> dict[str, int]:
    """How many log lines of each level the crawl wrote to stderr."""
    counts: dict[str, int] = {}
    for level in _LOG_LEVEL.findall(run.stderr):
        counts[level] = counts.get(level, 0) + 1
    return counts


def test_control_bidi_and_zero_width_characters_never_reach_the_output(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root, 3)
    with FaultServer(root, {article_path(2): Body(HOSTILE)}, lifetime=120) as server:
        run = crawl(tmp_path / "job", server.base_url)
    assert run.returncode == 0, run.stderr[-3000:]
    item = captured(run, server.base_url)[article_path(2)]
    assert item["title"] == "园区召开安全生产会议"
    assert item["body"] == (
        "园区召开安全生产工作推进会，各部门负责同志参加。\n会议要求压实责任，确保各项工作落到实处。"
    )
    assert item["published_at"].startswith("2024-11-20")


def test_a_decompression_bomb_is_dropped_as_too_large(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root, 3)
    # 4 MB of zeros in about 4 KB of gzip, against a 1 MB limit
    rules = {article_path(2): GzipBomb(size=4 * 1024 * 1024)}
    with FaultServer(root, rules, lifetime=120) as server:
        run = crawl(tmp_path / "job", server.base_url, "-s", "DOWNLOAD_MAXSIZE=1048576",
                    "-s", "DOWNLOAD_WARNSIZE=524288")
    assert run.returncode == 0, run.stderr[-3000:]
    assert dropped(run, server.base_url) == {article_path(2): "too large"}
    assert sorted(captured(run, server.base_url)) == [article_path(1), article_path(3)]
    counted = stats(run)
    assert counted["parkcrawl/dropped/too_large"] == 1
    # a stats key per reason, never one per URL
    assert [key for key in counted if "127.0.0.1" in key or "http" in key] == []


def test_duplicates_and_unchanged_articles_are_dropped_at_info(tmp_path: Path) -> None:
    root = tmp_path / "site"
    # a3 is a copy of a1 (same title and text): a duplicate in every run
    write_site(root, 3, pages={article_path(3): article_html(TITLES[0], "2024-11-27", 1)})
    with FaultServer(root, lifetime=120) as server:
        first = crawl(tmp_path / "job", server.base_url)
        # the whole site again: a1 and a2 are now unchanged, a3 still a duplicate
        second = crawl(tmp_path / "job", server.base_url, "-a", "full=1")
    for run in (first, second):
        assert run.returncode == 0, run.stderr[-3000:]
        assert "WARNING" not in levels(run), [
            line for line in run.stderr.splitlines() if "WARNING" in line]
    assert sorted(item["title"] for item in first.items) == sorted(TITLES[:2])
    assert second.report is not None and second.report["articles_written"] == 0
    assert "INFO: Dropped: duplicate content" in first.stderr
    assert second.stderr.count("INFO: Dropped: unchanged") == 2
    assert stats(second)["parkcrawl/dedup/unchanged"] == 2


def test_a_normal_demo_run_logs_no_warning(tmp_path: Path, demo_site_url: str) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={demo_site_url}/index.html",
                    "-s", "AUTOTHROTTLE_ENABLED=False")
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.items) == 29
    found = levels(run)
    assert "WARNING" not in found and "ERROR" not in found, [
        line for line in run.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    # the switched-off mirror is still said, at INFO
    assert "INFO: Disabled parkcrawl.archive.mirror.MirrorWriter: PARKCRAWL_MIRROR_ENABLED is off" in (
        run.stderr)
