"""Canonical URL rules, one case per rule."""

from __future__ import annotations

import pytest

from parkcrawl.urls import canonical_url, join_url, without_session_ids


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://park.test/a/1.html", "park.test/a/1.html"),
        # fragment
        ("http://park.test/a/1.html#top", "park.test/a/1.html"),
        # default ports, http vs https, host case
        ("http://PARK.test:80/a/1.html", "park.test/a/1.html"),
        ("https://park.test:443/a/1.html", "park.test/a/1.html"),
        ("https://park.test/a/1.html", "park.test/a/1.html"),
        # a non-default port is part of the site
        ("http://park.test:8080/a/1.html", "park.test:8080/a/1.html"),
        # query order
        ("http://park.test/art?id=7&col=2", "park.test/art?col=2&id=7"),
        ("http://park.test/art?col=2&id=7", "park.test/art?col=2&id=7"),
        # tracking parameters
        ("http://park.test/a/1.html?spm=a2c4.1&from=timeline", "park.test/a/1.html"),
        ("http://park.test/art?id=7&utm_source=wx&utm_medium=share", "park.test/art?id=7"),
        # print versions
        ("http://park.test/a/1.html?print=1", "park.test/a/1.html"),
        ("http://park.test/print/a/1.html", "park.test/a/1.html"),
        # index.html vs the folder
        ("http://park.test/dtyw/yqxx/index.html", "park.test/dtyw/yqxx/"),
        ("http://park.test/dtyw/yqxx/", "park.test/dtyw/yqxx/"),
        ("http://park.test", "park.test/"),
        # a page merely named like index is not the folder
        ("http://park.test/dtyw/index_2.html", "park.test/dtyw/index_2.html"),
        # percent-encoding of Chinese paths is normalized
        ("http://park.test/新闻/1.html", "park.test/%E6%96%B0%E9%97%BB/1.html"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # a Java server's path parameter, any case, before a query or at the end
        ("http://park.test/list.jsp;jsessionid=A1B2C3?page=2", "http://park.test/list.jsp?page=2"),
        ("http://park.test/a/1.html;JSESSIONID=A1B2C3", "http://park.test/a/1.html"),
        # other path parameters stay
        ("http://park.test/a;v=2;jsessionid=X9", "http://park.test/a;v=2"),
        # session query parameters; the others keep their order and spelling
        ("http://park.test/art?PHPSESSID=ab12&id=7&col=2", "http://park.test/art?id=7&col=2"),
        ("http://park.test/art?id=7&ASPSESSIONIDQQSDTBCA=ABCD", "http://park.test/art?id=7"),
        ("http://park.test/art?sessionid=1&session_id=2", "http://park.test/art"),
        # sid is a session id only with a token-like value; sid=12 is a site or column id
        ("http://park.test/art?sid=0f3a9c77d2e14b6b8a51&id=7", "http://park.test/art?id=7"),
        ("http://park.test/list.jsp?sid=12&page=2", "http://park.test/list.jsp?sid=12&page=2"),
        # nothing to drop: the very same string
        ("http://park.test/art?b=2&a=1&flag", "http://park.test/art?b=2&a=1&flag"),
    ],
)
def test_without_session_ids(url: str, expected: str) -> None:
    assert without_session_ids(url) == expected


def test_canonical_url_ignores_session_ids() -> None:
    assert canonical_url("http://park.test/a/1.html;jsessionid=X?PHPSESSID=Y") == "park.test/a/1.html"


@pytest.mark.parametrize(
    ("href", "joined"),
    [
        ("/n/1.html", "http://site.test/n/1.html"),
        ("../x.html", "http://site.test/a/x.html"),
        ("http://other.test/p?q=1#f", "http://other.test/p?q=1#f"),
        # urllib raises ValueError on these: no URL, and nothing else on the page is lost
        ("http://[::1/", None),  # an IPv6 host with no closing bracket
        ("//[::1/x", None),
        ("http://site.test:99999/", None),  # a port out of range
        ("http://site.test:-1/", None),
        ("http://[::1]:8080/ok", "http://[::1]:8080/ok"),  # a closed one is fine
    ],
)
def test_join_url(href: str, joined: str | None) -> None:
    assert join_url("http://site.test/a/b/index.html", href) == joined


def test_one_unreadable_link_does_not_take_its_page_down() -> None:
    """A list page with one href urllib cannot parse lists its other articles; an article page
    with one reads as a whole (its breadcrumb, its other media)."""
    from parsel import Selector

    from parkcrawl.navigation import article_links
    from parkcrawl.page import read_page

    rows = "".join(
        f'<li><a href="{href}">园区召开第{n}次重点项目推进会议</a><span>2024-11-2{n}</span></li>'
        for n, href in enumerate(["/n/1.html", "http://[::1/", "/n/3.html"], start=1)
    )
    listed = article_links(Selector(text=f'<ul class="list">{rows}</ul>'), "http://site.test/l/")
    assert [link.url for link in listed.links] == [
        "http://site.test/n/1.html", "http://site.test/n/3.html"
    ]
    page = read_page(
        ('<html><head><title>园区召开重点项目推进会议</title></head><body>'
         '<div class="path">当前位置：<a href="http://[::1/">首页</a> &gt; <a href="/dtyw/">动态要闻</a>'
         '</div><h1>园区召开重点项目推进会议</h1><div class="content"><p>11月20日，园区召开重点项目'
         '推进会议，管委会主任王明出席并讲话，要求各部门加强协同、狠抓落实。</p><p>'
         '<img src="http://[::1/a.jpg"><img src="/u/b.jpg"></p></div></body></html>').encode(),
        "http://site.test/n/1.html", "text/html; charset=utf-8",
    )
    assert page.complete
    assert page.breadcrumb_urls(["首页", "动态要闻"]) == [None, "http://site.test/dtyw/"]
    assert [m["url"] for m in page.media] == ["http://site.test/u/b.jpg"]
