"""TRS createPageHTML: the page count read from the script, and exactly the pages it names."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.cms import PageCall, find_page_call, scripted_listing

DIR = "http://zone.example.gov.cn/dtyw/yqxx/"

# TRS templates define the function in the page itself; its definition is not a call.
DEFINITION = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
    if(_nPageCount == null || _nPageCount <= 1){ return; }
    document.write("<a href=\\"" + _sPageName + "_" + (_nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>");
}"""


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('createPageHTML(1, 0, "index", "html");', PageCall(1, 0, "index", "html")),
        ('createPageHTML(2, 0, "index", "html");', PageCall(2, 0, "index", "html")),
        ('createPageHTML(10, 3, "index", "html");', PageCall(10, 3, "index", "html")),
        # single quotes, no spaces, another extension
        ("createPageHTML(4,1,'index','shtml')", PageCall(4, 1, "index", "shtml")),
        # the definition first, then the call
        (DEFINITION + '\ncreatePageHTML(3, 0, "index", "html");', PageCall(3, 0, "index", "html")),
        # counts held in variables
        (
            'var countPage = 7;\nvar currentPage = 2;\ncreatePageHTML(countPage, currentPage, "index", "htm");',
            PageCall(7, 2, "index", "htm"),
        ),
        # the newer form: container id first, record count last
        ("createPageHTML('page_div', 5, 1, 'index', 'html', 96);", PageCall(5, 1, "index", "html")),
        # name and extension left out
        ("createPageHTML(6, 0);", PageCall(6, 0, "index", "html")),
        # only the definition, an unknown variable, no call at all
        (DEFINITION, None),
        ('createPageHTML(pages, 0, "index", "html");', None),
        ("document.write('共1页');", None),
    ],
)
def test_find_page_call(script: str, expected: PageCall | None) -> None:
    assert find_page_call(script) == expected


@pytest.mark.parametrize(
    ("count", "urls"),
    [
        # count 1: the column has only its index page
        (1, ["index.html"]),
        # count 2: index and index_1, nothing beyond
        (2, ["index.html", "index_1.html"]),
        # count 10: index, then index_1 .. index_9 -- not index_10
        (10, ["index.html"] + [f"index_{k}.html" for k in range(1, 10)]),
        # a count of 0 (an empty column) names no page
        (0, []),
    ],
)
def test_page_urls_by_count(count: int, urls: list[str]) -> None:
    assert PageCall(count, 0).page_urls(DIR + "index.html") == [DIR + url for url in urls]


@pytest.mark.parametrize(
    ("count", "here", "expected"),
    [
        # entered by the column's directory URL: every other page, page 0 not again
        (1, "", []),
        (2, "", ["index_1.html"]),
        (10, "", [f"index_{k}.html" for k in range(1, 10)]),
        (3, "index.html", ["index_1.html", "index_2.html"]),
        # from a later page: the others after page 0, never itself
        (3, "index_1.html", ["index_2.html"]),
        (3, "index_2.html", ["index_1.html"]),
    ],
)
def test_scripted_listing_pages(count: int, here: str, expected: list[str]) -> None:
    current = 0 if here in ("", "index.html") else int(here[6:-5])
    html = (
        f'<html><head><script>{DEFINITION}</script></head><body><ul><li><a href="./202412/t1.html">标题</a></li></ul>'
        f'<div class="page"><script>createPageHTML({count}, {current}, "index", "html");</script></div></body></html>'
    )
    listing = scripted_listing(Selector(text=html), DIR + here)
    assert listing.links is None  # the visible list stands
    assert list(listing.page_urls) == [DIR + url for url in expected]


@pytest.mark.parametrize(
    ("count", "here", "next_page"),
    [
        (1, "", None),
        (2, "", "index_1.html"),
        (2, "index_1.html", None),
        (10, "index_8.html", "index_9.html"),
        (10, "index_9.html", None),
    ],
)
def test_next_page_url_follows_the_url(count: int, here: str, next_page: str | None) -> None:
    # The URL says which page this is; the call's own `current` is not trusted for it.
    call = PageCall(count, 0)
    assert call.next_page_url(DIR + here) == (DIR + next_page if next_page else None)


def test_a_huge_count_is_capped() -> None:
    assert len(PageCall(10**9, 0).page_urls(DIR)) == 10_000
