"""The sites file: loading, validation (one line naming the site and key), choosing sites, overrides."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from parsel import Selector

from parkcrawl.sites import (
    DEFAULT_PATH,
    SiteConfig,
    SitesError,
    load_sites,
    parse_sites,
    select_breadcrumb,
    select_sites,
    site_links,
    sites_for_arguments,
)
from tests.support import ROOT

GOOD = """
[defaults]
path = "动态要闻/园区信息"

[sites.demo]
start_url = "http://127.0.0.1:8000/index.html"

[sites.lakeside]
start_url = "https://www.lakeside.example.gov.cn/"
path = "新闻中心 > 园区动态"
list_item_selector = "ul.news > li"
breadcrumb_selector = "div.crumbs a"
"""


def test_a_good_file_loads_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(GOOD, encoding="utf-8")
    sites = load_sites(path)
    assert list(sites) == ["demo", "lakeside"]
    assert sites["demo"] == SiteConfig(
        "demo", "http://127.0.0.1:8000/index.html", ("动态要闻", "园区信息")
    )
    assert sites["lakeside"] == SiteConfig(
        "lakeside", "https://www.lakeside.example.gov.cn/", ("新闻中心", "园区动态"),
        list_item_selector="ul.news > li", breadcrumb_selector="div.crumbs a",
    )
    assert sites["lakeside"].host == "www.lakeside.example.gov.cn"


def test_path_defaults_to_the_parknews_section() -> None:
    sites = parse_sites({"sites": {"a": {"start_url": "http://a.example/"}}})
    assert sites["a"].path == tuple(DEFAULT_PATH.split("/"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # no sites at all
        ({}, "no sites"),
        ({"sites": {}}, "no sites"),
        # a typo in a table name or a key must not be ignored
        ({"site": {"a": {"start_url": "http://a/"}}}, "unknown table 'site'"),
        ({"sites": {"a": {"start_url": "http://a/", "pth": "x"}}}, "site 'a': unknown key 'pth'"),
        ({"defaults": {"start_url": "http://a/"}, "sites": {"a": {}}}, "[defaults]: unknown key"),
        # start_url: required, http(s), with a host
        ({"sites": {"a": {}}}, "site 'a': start_url is missing"),
        ({"sites": {"a": {"start_url": "ftp://a.example/"}}}, "must be an http(s) URL"),
        ({"sites": {"a": {"start_url": "http://"}}}, "must be an http(s) URL"),
        ({"sites": {"a": {"start_url": 5}}}, "start_url is missing"),
        # a path that cleans to nothing walks nowhere
        ({"sites": {"a": {"start_url": "http://a/", "path": " / "}}}, "path is empty"),
        ({"sites": {"a": {"start_url": "http://a/", "path": 3}}}, "path must be a string"),
        # names go into output lines, Redis keys and command lines
        ({"sites": {"园区": {"start_url": "http://a/"}}}, "site name '园区' must be ASCII"),
        ({"sites": {"a b": {"start_url": "http://a/"}}}, "must be ASCII"),
        # selectors are checked before any request
        ({"sites": {"a": {"start_url": "http://a/", "list_item_selector": "ul >> li"}}},
         "list_item_selector is not a valid CSS selector"),
        ({"sites": {"a": {"start_url": "http://a/", "breadcrumb_selector": ""}}},
         "breadcrumb_selector must be a non-empty CSS selector"),
        # the same section of the same host under two names would be crawled twice
        ({"sites": {"a": {"start_url": "http://h/"}, "b": {"start_url": "http://h/index.html"}}},
         "sites 'a' and 'b' walk the same section of h"),
    ],
)
def test_bad_files_are_refused_with_the_site_and_key(data: dict, message: str) -> None:
    with pytest.raises(SitesError) as raised:
        parse_sites(data, "sites.toml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("sites.toml")
    assert "\n" not in str(raised.value)


def test_one_host_may_hold_two_sections() -> None:
    sites = parse_sites({"sites": {
        "news": {"start_url": "http://h/"},
        "notices": {"start_url": "http://h/", "path": "政务公开/通知公告"},
    }})
    assert [s.path[-1] for s in sites.values()] == ["园区信息", "通知公告"]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SitesError, match="not found"):
        load_sites(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[sites.a\nstart_url = 1", encoding="utf-8")
    with pytest.raises(SitesError, match="not valid TOML"):
        load_sites(bad)


SITES = parse_sites({"sites": {
    "a": {"start_url": "http://a/"}, "b": {"start_url": "http://b/"}, "c": {"start_url": "http://c/"},
}})


@pytest.mark.parametrize(
    ("site", "sites", "chosen"),
    [
        ("b", None, ["b"]),
        (None, "all", ["a", "b", "c"]),
        # in file order, whatever the order asked
        (None, "c,a", ["a", "c"]),
        (None, " b , c ", ["b", "c"]),
    ],
)
def test_choosing_sites(site: str | None, sites: str | None, chosen: list[str]) -> None:
    assert [s.name for s in select_sites(SITES, site, sites)] == chosen


@pytest.mark.parametrize(
    ("site", "sites", "message"),
    [
        ("x", None, "no site named 'x' in the sites file; sites: a, b, c"),
        (None, "a,x", "no site named 'x'"),
        ("a", "all", "either -a site=NAME or -a sites=..., not both"),
        ("a,b", None, "-a site takes one name"),
        (None, " , ", "no site chosen"),
        (None, None, "no site chosen"),
    ],
)
def test_choosing_sites_refused(site: str | None, sites: str | None, message: str) -> None:
    with pytest.raises(SitesError, match=message.replace("(", r"\(").replace(".", r"\.")):
        select_sites(SITES, site, sites)


def test_without_site_arguments_the_start_url_mode_stays() -> None:
    assert sites_for_arguments(None, None, None, "sites.toml") is None
    with pytest.raises(SitesError, match="sites_file needs -a site"):
        sites_for_arguments(None, None, "other.toml", "sites.toml")


def test_the_example_sites_file_at_the_root_is_valid() -> None:
    sites = load_sites(ROOT / "sites.toml")
    assert {"demo", "hanweb"} <= set(sites)


def test_the_readme_example_is_valid() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Many sites, many machines", 1)[1].split("\n## ", 1)[0]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    # the overrides' example is commented out there, as in the shipped sites.toml: read it too
    example = "\n".join(
        line[2:] if re.match(r"# (\[sites\.|\w+ = )", line) else line for line in block.splitlines()
    )
    sites = parse_sites(tomllib.loads(example), "README")
    assert any(site.list_item_selector for site in sites.values())
    assert any(site.breadcrumb_selector for site in sites.values())


LIST_PAGE = """<html><body>
<div class="news-links"><ul>
  <li><a href="a1.html">园区召开安全生产会议</a><span>2024-10-01</span></li>
  <li><a href="/dtyw/a2.html#top">园区举行招商推介会</a></li>
  <li><a href="a1.html">园区召开安全生产会议</a></li>
  <li><a href="javascript:void(0)">更多</a></li>
</ul></div></body></html>"""


@pytest.mark.parametrize(
    "css",
    [
        "div.news-links li",     # the items: the first link of each
        "div.news-links li a",   # the links themselves
    ],
)
def test_list_item_selector_links(css: str) -> None:
    links = site_links(Selector(text=LIST_PAGE), "http://h/dtyw/list.html", css)
    assert [link.url for link in links] == ["http://h/dtyw/a1.html", "http://h/dtyw/a2.html"]
    assert links[0].text == "园区召开安全生产会议"


@pytest.mark.parametrize(
    ("html", "css", "crumb"),
    [
        # one element per level
        ('<div class="c"><a>首页</a> &gt; <a>动态要闻</a> &gt; <span>园区信息</span></div>',
         "div.c a, div.c span", ["首页", "动态要闻", "园区信息"]),
        # one element holding the whole line: label and separators are not levels
        ('<p id="lj">当前位置：首页 &gt;&gt; 动态要闻 &gt;&gt; 园区信息 &gt; 正文</p>',
         "p#lj", ["首页", "动态要闻", "园区信息"]),
        # arrows and slashes separate too; a repeated level is kept once
        ('<td class="w">首页→动态要闻/动态要闻/园区信息</td>', "td.w", ["首页", "动态要闻", "园区信息"]),
        # nothing selected
        ('<p>首页</p>', "div.none", []),
    ],
)
def test_breadcrumb_selector(html: str, css: str, crumb: list[str]) -> None:
    assert select_breadcrumb(Selector(text=html), css) == crumb
