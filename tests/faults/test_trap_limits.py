"""The limits behind the trap tests, as pure functions: ListWalk's caps and the complexity scan."""

from __future__ import annotations

import pytest

from parkcrawl.middlewares import _within_limits, too_complex
from parkcrawl.navigation import ListWalk

LIMITS = (1000, 50_000, 500)  # the defaults: attributes, elements, nesting depth


def test_list_walk_admits_each_page_once_and_cuts_at_the_page_cap() -> None:
    walk = ListWalk("动态要闻/园区信息", max_pages=3, max_variants=0)
    assert [walk.admit(f"http://park.test/l/index_{n}.html") for n in (1, 2, 2, 3, 4, 5)] == [
        True, True, False, True, False, False,
    ]
    # The page already requested is no cut; the two refused beyond the cap are.
    assert walk.refused == 2
    assert walk.cuts == {
        "list page cap": "list page cap 3 reached (PARKCRAWL_MAX_LIST_PAGES) in section 动态要闻/园区信息"
    }


def test_list_walk_counts_only_variants_that_listed_nothing_new() -> None:
    walk = ListWalk("s", max_pages=0, max_variants=2)
    # A real pager: every ?page=N lists new articles, so it is never capped.
    for n in range(1, 6):
        assert walk.admit(f"http://park.test/list.jsp?page={n}")
        assert walk.read(f"http://park.test/list.jsp?page={n}", [f"park.test/a{n}.html"]) == 1
    # ?sort= variants list what was listed already: the third one is refused.
    for sort in ("a", "b"):
        assert walk.admit(f"http://park.test/list.jsp?sort={sort}")
        assert walk.read(f"http://park.test/list.jsp?sort={sort}", ["park.test/a1.html"]) == 0
    assert not walk.admit("http://park.test/list.jsp?sort=c")
    assert walk.cuts == {
        "url variant cap": "2 query variants of /list.jsp listed nothing new "
        "(PARKCRAWL_MAX_URL_VARIANTS) in section s"
    }
    # Another path, and the path without a query, are not variants of it.
    assert walk.admit("http://park.test/other.jsp?sort=c")
    assert walk.admit("http://park.test/list.jsp")


def _attributes(n: int) -> bytes:
    return b"<p " + b" ".join(b'a%d="x"' % i for i in range(n)) + b">x</p>"


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        (b"<html><body><p>text</p></body></html>", None),
        # the limit itself passes; one more does not
        (_attributes(1000), None),
        (_attributes(1001), "1001 attributes in one <p>"),
        # valueless and single-quoted attributes count too
        (b"<input " + b" ".join(b"d%d" % i for i in range(1001)) + b">", "1001 attributes in one <input>"),
        (b"<div " + b" ".join(b"d%d='1'" % i for i in range(1001)) + b">", "1001 attributes in one <div>"),
        (b"<a>x</a>" * 50_001, "more than 50000 elements"),
        (b"<div>" * 501, "elements nested more than 500 deep"),
        # closed elements do not nest
        (b"<div></div>" * 600, None),
        # unclosed <p>/<li> (optional end tags), void and self-closed elements do not nest
        (b"<ul>" + b"<li><p>x<br><img src=a.png><span/>" * 600 + b"</ul>", None),
        # markup in GBK text is ASCII all the same
        ("<div>园区</div>".encode("gbk") * 10, None),
        # at the depth limit exactly: 500 "<" let the quick check pass, the answer is the scan's
        (b"<div>" * 500, None),
        # one long attribute is one attribute: the quick check hands it to the scan
        (b'<p title="' + b"x" * 5000 + b'">x</p>', None),
    ],
)
def test_too_complex(body: bytes, verdict: str | None) -> None:
    assert too_complex(body, *LIMITS) == verdict


_WIDE_PAGE = '<html><head><meta charset="{}"></head><body>{}<p>园区</p></body></html>'


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_too_complex_reads_markup_in_utf16_and_utf32(codec: str) -> None:
    # The page decoder reads these (BOM or declaration), and so would the parser: the scan must.
    tag = "<p " + " ".join(f'a{i}="x"' for i in range(1001)) + ">x</p>"
    assert too_complex(_WIDE_PAGE.format(codec, tag).encode(codec), *LIMITS) == (
        "1001 attributes in one <p>"
    )
    assert too_complex(_WIDE_PAGE.format(codec, "<div>" * 501).encode(codec), *LIMITS) == (
        "elements nested more than 500 deep"
    )
    # a real page in the same encoding passes
    assert too_complex(_WIDE_PAGE.format(codec, "<div>园区新闻</div>" * 300).encode(codec), *LIMITS) is None


def test_too_complex_limit_0_is_off() -> None:
    assert too_complex(b"<div>" * 501, 1000, 50_000, 0) is None
    assert too_complex(_attributes(1001), 0, 50_000, 500) is None


def test_quick_check_passes_only_pages_that_cannot_exceed_a_limit() -> None:
    # Issue 16: most pages skip the tag scan; the quick check must never pass one it would refuse.
    assert _within_limits(b"<div>" * 500, *LIMITS)
    assert not _within_limits(b"<div>" * 501, *LIMITS)
    assert not _within_limits(b"<a>x</a>" * 50_001, 1000, 50_000, 0)
    # 2,000 bytes between two ">" hold no attribute text longer than twice the limit
    assert _within_limits(b"<p" + b" a" * 999 + b">", *LIMITS)
    assert not _within_limits(b"<p" + b" a" * 999 + b" >", *LIMITS)
    assert _within_limits(_attributes(1001), 0, 50_000, 500)
