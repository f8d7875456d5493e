"""`parkcrawl reextract --site NAME` re-extracts a sites-file crawl as it was crawled: its overrides
(a breadcrumb_selector) apply, and every line equals the crawl's but for the clock fields."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.distributed.conftest import write_sites
from tests.support import ROOT, run_crawl

CLOCK_FIELDS = {"fetched_at", "first_seen_at"}

# A site whose list the generic walker misses (a box named "links") and whose article pages carry
# a trail the extractor does not take for a breadcrumb (a plain list), naming the section
# otherwise than the menu: only the sites file's overrides get both right.
PAGES = {
    "index.html": '<a href="index.html">首页</a> <a href="xwzx.html">新闻中心</a>',
    "xwzx.html": '<a href="index.html">首页</a> <a href="yqdt.html">园区动态</a>',
    "yqdt.html": (
        '<a href="index.html">首页</a><div class="news-links"><ul>'
        '<li><a href="a1.html">湖畔园区召开年度安全生产工作会议</a></li>'
        '<li><a href="a2.html">湖畔园区举行重点项目集中签约仪式</a></li></ul></div>'
    ),
}
ARTICLES = {
    "a1.html": ("湖畔园区召开年度安全生产工作会议", "2024-10-08",
                "10月8日，湖畔园区召开年度安全生产工作会议，部署四季度安全生产重点工作。"
                "管委会主任周建国出席会议并讲话。"),
    "a2.html": ("湖畔园区举行重点项目集中签约仪式", "2024-10-09",
                "10月9日，湖畔园区举行重点项目集中签约仪式，12个项目现场签约，总投资86亿元。"
                "副主任林晓出席签约仪式并致辞。"),
}
# What the breadcrumb_selector reads on every article page.
TRAIL = ["首页", "新闻动态", "园区要闻"]
# The path walked, which stands in for a breadcrumb when the selector is not applied.
WALKED = ["首页", "新闻中心", "园区动态"]


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lakeside")
    for name, body in PAGES.items():
        (root / name).write_text(
            f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8"
        )
    for name, (title, date, text) in ARTICLES.items():
        (root / name).write_text(
            f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<ul class="path"><li><a href="index.html">首页</a></li><li>新闻动态</li>'
            "<li>园区要闻</li></ul>"
            f'<h1>{title}</h1><div class="info">发布时间：{date}</div>'
            f'<div class="content"><p>{text}</p><p><img src="p{name[1]}.jpg"></p>'
            "<p>图为会议现场。</p></div></body></html>",
            encoding="utf-8",
        )
    with serve(root) as url:
        yield url


def reextract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parkcrawl.cli", "reextract", *args],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=300,
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_reextract_applies_the_sites_breadcrumb_selector(tmp_path: Path, lakeside: str) -> None:
    sites = write_sites(tmp_path / "sites.toml", {"lakeside": {
        "start_url": f"{lakeside}/index.html", "path": "新闻中心/园区动态",
        "list_item_selector": "div.news-links li", "breadcrumb_selector": "ul.path li",
    }})
    run = run_crawl(tmp_path, "-a", "site=lakeside", "-a", f"sites_file={sites}",
                    "-s", "AUTOTHROTTLE_ENABLED=False")
    assert run.returncode == 0, run.stderr[-3000:]
    assert sorted((i["url"], i["breadcrumb"], i["site"]) for i in run.items) == [
        (f"{lakeside}/a1.html", TRAIL, "lakeside"),
        (f"{lakeside}/a2.html", TRAIL, "lakeside"),
    ]

    out = tmp_path / "again.jsonl"
    proc = reextract(str(tmp_path / "warc"), "--site", "lakeside", "--sites-file", str(sites),
                     "-O", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles written: 2" in proc.stderr
    again = {item["url"]: item for item in lines(out)}
    assert [again[f"{lakeside}/a{n}.html"]["breadcrumb"] for n in (1, 2)] == [TRAIL, TRAIL]
    assert [again[f"{lakeside}/a{n}.html"]["media"] for n in (1, 2)] == [
        [{"url": f"{lakeside}/p{n}.jpg", "type": "image", "caption": "图为会议现场。"}]
        for n in (1, 2)
    ]
    for item in run.items:
        other = again[item["url"]]
        assert list(other) == list(item)  # the feed's fields, in the feed's order
        assert {k: v for k, v in other.items() if k not in CLOCK_FIELDS} == {
            k: v for k, v in item.items() if k not in CLOCK_FIELDS
        }

    # Not told which site the crawl walked, reextract reads the pages as a -a start_url crawl
    # would: no site, no override, the walked path as the breadcrumb.
    plain = tmp_path / "plain.jsonl"
    assert reextract(str(tmp_path / "warc"), "-O", str(plain)).returncode == 0
    assert sorted((i["breadcrumb"], i["site"]) for i in lines(plain)) == [(WALKED, None)] * 2
