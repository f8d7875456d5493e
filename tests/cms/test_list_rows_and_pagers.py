"""List pages of real CMSs (issue 19): rows with short titles, the Pager({...}) script, and pager
controls that call a page function (goToPageURL(N))."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.cms import PageCall, find_page_call, find_page_function, scripted_listing
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


def boxed_rows(first_box: str, between: str = "") -> str:
    def row(i: int, text: str) -> str:
        return f"<tr><td><a class='t' href='/xwdt/{i}.html'>{text}</a></td><td>2024-11-0{i}</td></tr>"

    return (
        f"<html><body><div class='main'>{first_box}{row(1, '园区召开  安全生产会议暨…')}"
        f"{row(2, '通知')}</table>{between}<table class='list'>{row(3, '园区企业参加招聘会活动')}"
        f"{row(4, '园区召开年度工作会议')}{row(5, '园区举办技能比赛活动')}</table></div>"
        f"<div class='side'><table class='hot'>{row(6, '园区热点新闻标题一')}</table></div>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the first (pinned) rows in a table of their own right above the list, same row markup:
        # a long title with double spaces and an ellipsis, and a short one (issue 19)
        (boxed_rows("<table class='zd'>"), ["1", "2", "3", "4", "5"]),
        (boxed_rows("<table>", between="<div> </div>"), ["1", "2", "3", "4", "5"]),
        # a box with other text between is another list: not joined
        (boxed_rows("<table class='zd'>", between="<p>图片新闻</p>"), ["3", "4", "5"]),
    ],
)
def test_rows_in_a_box_just_above_the_list_join_it(html: str, expected: list[str]) -> None:
    found = article_links(Selector(text=html, base_url=BASE), BASE)
    assert [link.url.rsplit("/", 1)[-1].removesuffix(".html") for link in found.links] == expected


def test_rows_with_other_markup_above_the_list_stay_out() -> None:
    html = boxed_rows("<table class='zd'>").replace(
        "<a class='t' href='/xwdt/1.html'>", "<a class='pic' href='/xwdt/1.html'>"
    ).replace("<a class='t' href='/xwdt/2.html'>", "<a class='pic' href='/xwdt/2.html'>")
    found = article_links(Selector(text=html, base_url=BASE), BASE)
    assert [link.url.rsplit("/", 1)[-1] for link in found.links] == ["3.html", "4.html", "5.html"]


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


def pager_page(controls: str, script: str) -> str:
    return (
        "<html><body><ul><li><a href='/xwdt/1.html'>园区召开安全生产会议</a> 2024-11-01</li></ul>"
        f"<div class='page'>{controls}</div><script>{script}</script></body></html>"
    )


GOTO_SCRIPT = (
    "function goToPageURL(page) { if (page == 1) { window.location.href = 'index.html'; }"
    " else { window.location.href = 'index_' + (page - 1) + '.html'; } }"
)
GOTO_CONTROLS = (
    "<a href='javascript:goToPageURL(2)'>下一页</a><a href='javascript:goToPageURL(2)'>2</a>"
    "<a href='javascript:goToPageURL(3)'>3</a><a href='javascript:goToPageURL(4)'>尾页</a>"
)


def test_page_function_pager_lists_every_page_up_to_the_last() -> None:
    listing = scripted_listing(Selector(text=pager_page(GOTO_CONTROLS, GOTO_SCRIPT)), BASE)
    # page 1 is where the walk came in; 尾页 names page 4, written index_3.html by the function
    assert listing.page_urls == (
        "http://127.0.0.1/xwdt/index_1.html",
        "http://127.0.0.1/xwdt/index_2.html",
        "http://127.0.0.1/xwdt/index_3.html",
    )
    assert listing.next_page_url == "http://127.0.0.1/xwdt/index_1.html"
    assert listing.links is None  # the visible list stands


def test_page_function_pager_by_onclick_and_from_a_later_page() -> None:
    controls = (
        "<a href='#' onclick=\"gotoPage('2')\">上一页</a><a href='#' onclick=\"gotoPage('4')\">"
        "下一页</a><a href='#' onclick=\"gotoPage('4')\">4</a>"
    )
    script = "function gotoPage(n) { window.open('list_' + n + '.shtml', '_self'); }"
    here = "http://127.0.0.1/xwdt/list_3.shtml"
    listing = scripted_listing(Selector(text=pager_page(controls, script)), here)
    assert listing.page_urls == (
        "http://127.0.0.1/xwdt/list_2.shtml",
        "http://127.0.0.1/xwdt/list_4.shtml",
    )
    assert listing.next_page_url == "http://127.0.0.1/xwdt/list_4.shtml"


@pytest.mark.parametrize(
    ("controls", "script"),
    [
        # the function is defined in a script file the page only links: nothing is guessed
        (GOTO_CONTROLS, ""),
        # it builds the URL from something other than literals and the page number
        (GOTO_CONTROLS, "function goToPageURL(p) { location.href = base + p; }"),
        # the call sits on a headline link, not on a pager control
        ("<a href='javascript:goToPageURL(2)'>园区召开安全生产会议</a>", GOTO_SCRIPT),
    ],
)
def test_page_function_pager_not_understood_adds_nothing(controls: str, script: str) -> None:
    listing = scripted_listing(Selector(text=pager_page(controls, script)), BASE)
    assert (listing.page_urls, listing.next_page_url) == ((), None)


def test_page_function_first_page_branch_is_read() -> None:
    function = find_page_function(GOTO_SCRIPT, "goToPageURL")
    assert function is not None
    assert function.page_url(1, BASE) == "http://127.0.0.1/xwdt/index.html"
    assert function.page_url(5, BASE) == "http://127.0.0.1/xwdt/index_4.html"
    assert find_page_function(GOTO_SCRIPT, "otherName") is None
