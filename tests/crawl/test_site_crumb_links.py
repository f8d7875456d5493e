"""A sites file's breadcrumb_selector replaces the breadcrumb: its links come with it (1.3)."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.sites import select_breadcrumb, select_breadcrumb_links

PAGE = "http://lake.test/news/2024/a1.html"


@pytest.mark.parametrize(
    ("html", "css", "urls"),
    [
        # one anchor per level, relative and root-relative hrefs; the current level as text
        ('<div class="c"><a href="../../index.html">首页</a> &gt; <a href="/news/">新闻</a> &gt; '
         "<span>园区要闻</span></div>",
         "div.c a, div.c span",
         ["http://lake.test/index.html", "http://lake.test/news/", None]),
        # one element holding the whole line: the anchors inside it give the links
        ('<p id="lj">当前位置：<a href="/">首页</a> &gt;&gt; <a href="javascript:;">新闻</a></p>',
         "p#lj", ["http://lake.test/", None]),
    ],
)
def test_links_follow_the_selected_levels(html: str, css: str, urls: list[str | None]) -> None:
    page = Selector(text=html)
    levels = select_breadcrumb(page, css)
    assert select_breadcrumb_links(page, css, levels, PAGE) == urls
