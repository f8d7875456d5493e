"""Many sites in one process: `-a site=NAME` / `-a sites=all` over a sites file, `site` on every line,
and the overrides for a site the generic walker cannot handle."""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.distributed.conftest import article_keys, write_sites
from tests.support import ROOT, CrawlRun, run_crawl
from tools.cms_server import RunningSite

GOLDEN = ROOT / "tests" / "golden"


def golden_paths(name: str) -> list[str]:
    lines = (GOLDEN / f"{name}_parknews.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["url"] for line in lines)


@pytest.fixture(scope="module")
def both_sites(
    demo_site_url: str, hanweb_site: RunningSite, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlRun, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("sites-all")
    sites = write_sites(tmp / "sites.toml", {
        "demo": {"start_url": f"{demo_site_url}/index.html"},
        "hanweb": {"start_url": f"{hanweb_site.url}/index.html"},
    })
    run = run_crawl(tmp, "-a", "sites=all", "-a", f"sites_file={sites}",
                    "-s", f"PARKCRAWL_WARC_DIR={tmp / 'warc'}")
    return run, {"demo": demo_site_url, "hanweb": hanweb_site.url}


def test_sites_all_crawls_each_site_and_names_it_on_every_line(
    both_sites: tuple[CrawlRun, dict[str, str]],
) -> None:
    run, bases = both_sites
    assert run.returncode == 0, run.stderr[-3000:]
    keys = article_keys(run.items, bases)
    assert Counter(site for site, _, _ in keys) == {"demo": 29, "hanweb": 14}
    for site in ("demo", "hanweb"):
        assert sorted(path for s, path, _ in keys if s == site) == golden_paths(site)
    assert len(set(keys)) == len(keys)


def test_one_site_by_name(tmp_path: Path, two_sites: Path) -> None:
    run = run_crawl(tmp_path, "-a", "site=hanweb", "-a", f"sites_file={two_sites}",
                    "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}")
    assert run.returncode == 0, run.stderr[-3000:]
    assert {item["site"] for item in run.items} == {"hanweb"}
    assert len(run.items) == 14


def test_a_start_url_crawl_has_no_site(tmp_path: Path, hanweb_site: RunningSite) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={hanweb_site.url}/index.html",
                    "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}")
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.items) == 14
    assert {item["site"] for item in run.items} == {None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "site=nowhere"], "no site named 'nowhere' in the sites file; sites: demo, hanweb"),
        (["-a", "site=demo", "-a", "sites=all"], "either -a site=NAME or -a sites=..., not both"),
        (["-a", "sites=all", "-a", "sites_file=/nonexistent/sites.toml"], "not found"),
    ],
)
def test_bad_site_arguments_exit_2_with_one_line(
    tmp_path: Path, two_sites: Path, args: list[str], message: str
) -> None:
    if not any(arg.startswith("sites_file=") for arg in args):
        args = [*args, "-a", f"sites_file={two_sites}"]
    run = run_crawl(tmp_path, *args)
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("parknews: error: ") and message in last, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.report is None


def test_one_unreachable_site_fails_the_run_but_not_the_others(
    tmp_path: Path, demo_site_url: str
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the crawl: connection refused
    sites = write_sites(tmp_path / "sites.toml", {
        "demo": {"start_url": f"{demo_site_url}/index.html"},
        "gone": {"start_url": f"http://127.0.0.1:{port}/index.html"},
    })
    run = run_crawl(tmp_path, "-a", "sites=all", "-a", f"sites_file={sites}",
                    "-s", "RETRY_ENABLED=False", "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}")
    assert run.returncode == 1
    assert len(run.items) == 29
    assert {item["site"] for item in run.items} == {"demo"}
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"parknews: FAILED: site gone: could not fetch http://127.0.0.1:{port}/index.html"
    )


# A site the generic walker cannot handle: its list sits in a box whose class says "links"
# (site chrome to the walker), and its breadcrumb names the section otherwise than the menu does.
LAKESIDE = {
    "index.html": '<a href="index.html">首页</a> <a href="xwzx.html">新闻中心</a>',
    "xwzx.html": '<a href="index.html">首页</a> <a href="yqdt.html">园区动态</a>',
    "yqdt.html": (
        '<a href="index.html">首页</a>'
        '<div class="news-links"><ul>'
        '<li><a href="a1.html">湖畔园区召开年度安全生产工作会议</a></li>'
        '<li><a href="a2.html">湖畔园区举行重点项目集中签约仪式</a></li>'
        "</ul></div>"
    ),
}
ARTICLES = {
    "a1.html": ("湖畔园区召开年度安全生产工作会议", "2024-10-08",
                ("10月8日，湖畔园区召开年度安全生产工作会议，部署四季度安全生产重点工作。"
                 "管委会主任周建国出席会议并讲话。")),
    "a2.html": ("湖畔园区举行重点项目集中签约仪式", "2024-10-09",
                ("10月9日，湖畔园区举行重点项目集中签约仪式，12个项目现场签约，总投资86亿元。"
                 "副主任林晓出席签约仪式并致辞。")),
}


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lakeside")
    for name, body in LAKESIDE.items():
        (root / name).write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>',
                                 encoding="utf-8")
    for name, (title, date, text) in ARTICLES.items():
        (root / name).write_text(
            f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<ul class="path"><li><a href="index.html">首页</a></li><li>新闻动态</li>'
            "<li>园区要闻</li></ul>"
            f'<h1>{title}</h1><div class="info">发布时间：{date}</div>'
            f'<div class="content"><p>{text}</p></div></body></html>',
            encoding="utf-8",
        )
    with serve(root) as url:
        yield url


def crawl_lakeside(tmp_path: Path, url: str, **overrides: str) -> CrawlRun:
    sites = write_sites(tmp_path / "sites.toml", {
        "lakeside": {"start_url": f"{url}/index.html", "path": "新闻中心/园区动态", **overrides},
    })
    return run_crawl(tmp_path, "-a", "site=lakeside", "-a", f"sites_file={sites}",
                     "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "PARKCRAWL_WARC_ENABLED=False")


def test_the_generic_walker_misses_the_lakeside_list(tmp_path: Path, lakeside: str) -> None:
    run = crawl_lakeside(tmp_path, lakeside)
    assert run.returncode == 1
    assert run.report["failure"].startswith("no articles found on the section's list pages")


def test_overrides_handle_the_lakeside_site(tmp_path: Path, lakeside: str) -> None:
    run = crawl_lakeside(tmp_path, lakeside, list_item_selector="div.news-links li",
                         breadcrumb_selector="ul.path li")
    assert run.returncode == 0, run.stderr[-3000:]
    got = sorted((item["url"], item["title"], item["breadcrumb"], item["site"]) for item in run.items)
    assert got == [
        (f"{lakeside}/a1.html", "湖畔园区召开年度安全生产工作会议", ["首页", "新闻动态", "园区要闻"], "lakeside"),
        (f"{lakeside}/a2.html", "湖畔园区举行重点项目集中签约仪式", ["首页", "新闻动态", "园区要闻"], "lakeside"),
    ]
    # the selector's breadcrumb brings its own links: only 首页 is a link on these pages
    assert [item["breadcrumb_urls"] for item in run.items] == [[f"{lakeside}/index.html", None, None]] * 2


def test_without_the_breadcrumb_selector_the_walked_path_stands_in(
    tmp_path: Path, lakeside: str
) -> None:
    run = crawl_lakeside(tmp_path, lakeside, list_item_selector="div.news-links li a")
    assert run.returncode == 0, run.stderr[-3000:]
    assert [item["breadcrumb"] for item in run.items] == [["首页", "新闻中心", "园区动态"]] * 2
