"""List pages of real CMSs (issue 19): rows with short titles, and the Pager({...}) script."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.cms import PageCall, find_page_call, scripted_listing
from parkcrawl.navigation import article_links

BASE = "http://127.0.0.1/xwdt/index.html"


def rows(*texts: str) -> str:
    items = "".join(
        f"<tr><td><a href='/xwdt/{i}.html'>{text}</a></td><td>2024-11-0{i}</td></tr>"
        for i, text in enumerate(texts, 1)
    )
    return (
        "<html><body><div class='nav'><a href='/'>首页</a><a href='/xwdt/'>新闻动态</a></div>"
        f"<table class='list'>{items}</table>"
        "<div class='page'><a href='index_1.html'>下一页</a><a href='index_1.html'>2</a></div>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # every row a headline: all of them, in page order
        (("园区召开安全生产会议", "园区企业参加招聘会活动"), ["1", "2"]),
        # first rows with short texts (a 2-character title, a number) share the rows' markup
        (("通知", "1", "园区召开安全生产会议", "园区企业参加招聘会活动"), ["1", "2", "3", "4"]),
        # a long title with double spaces and an ellipsis is a row like the others
        (("园区召开  安全生产会议暨…", "园区企业参加招聘会活动"), ["1", "2"]),
        # a pager word in a row's markup is still no article
        (("园区召开安全生产会议", "下一页"), ["1"]),
    ],
)
def test_short_rows_join_the_list(texts: tuple[str, ...], expected: list[str]) -> None:
    found = article_links(Selector(text=rows(*texts), base_url=BASE), BASE)
    assert [link.url.rsplit("/", 1)[-1].removesuffix(".html") for link in found.links] == expected


def test_short_links_alone_make_no_list() -> None:
    # Only short links (a menu): no article list.
    html = "<ul><li><a href='/a.html'>通知</a></li><li><a href='/b.html'>公告</a></li></ul>"
    assert article_links(Selector(text=html, base_url=BASE), BASE).links == []


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        # the pager object: size is the page count, current counts from 0
        ("Pager({size:7, current:0, prefix:'index',suffix:'htm'});", PageCall(7, 0, "index", "htm")),
        # quoted keys, a count held in a variable, a suffix with its dot
        (
            "var n = 5; Pager({ 'size': n, 'current': 2, 'prefix': 'list', 'suffix': '.shtml' });",
            PageCall(5, 2, "list", "shtml"),
        ),
        # defaults: index / html
        ("Pager({size:3, current:1});", PageCall(3, 1, "index", "html")),
        # no size: nothing to walk
        ("Pager({current:0, prefix:'index'});", None),
        # a method named like it is not the pager
        ("obj.Pager({size:3});", None),
    ],
)
def test_pager_object(script: str, expected: PageCall | None) -> None:
    assert find_page_call(script) == expected


def test_pager_object_lists_the_other_pages() -> None:
    html = "<script>Pager({size:3, current:0, prefix:'index',suffix:'htm'});</script>"
    listing = scripted_listing(Selector(text=html, base_url=BASE), BASE)
    assert listing.page_urls == (
        "http://127.0.0.1/xwdt/index_1.htm",
        "http://127.0.0.1/xwdt/index_2.htm",
    )
    assert listing.next_page_url == "http://127.0.0.1/xwdt/index_1.htm"
