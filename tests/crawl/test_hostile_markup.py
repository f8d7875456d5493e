"""Generated hostile markup through every reader of a page: nothing raises.

One bad link or one odd tag on a real page must cost at most that link or that page's own
fields, never raise out of the list reader (which lost every article the list page held) or out
of read_page (which dropped the article as a pipeline error). The generator mixes what real and
hostile pages hold: template comments, processing instructions, CDATA, unclosed and foreign
tags, hrefs urllib cannot parse (``http://[::1/``, ports out of range), javascript: and mailto:
links, utility-CSS class names no selector can spell, control characters, character references
to surrogates and NUL. Seeded: a failure names the seed and the page.
"""

from __future__ import annotations

import random

import pytest
from parsel import Selector

from parkcrawl import navigation
from parkcrawl.cms import scripted_listing
from parkcrawl.page import read_page
from parkcrawl.urls import canonical_url

TAGS = ["div", "ul", "li", "a", "span", "table", "tr", "td", "p", "h1", "br", "img", "script",
        "style", "font", "b", "form", "iframe", "svg", "math", "tbody", "dl", "dd", "noscript",
        "template", "select", "option", "title"]
ATTRIBUTES = [
    'class="list"', 'class="page"', 'class="pagination"', 'class="content"', 'class="md:w-2/3"',
    'class=",content"', 'class="w-[720px] prose"', 'class="path"', 'id="content"',
    'href="/n/1.html"', 'href="index_1.html"', 'href="?page=2"', 'href=""', 'href="//x"',
    'href="http://[::1/"', 'href="//[::1/x"', 'href="http://h.test:99999/"', 'href="http://a b/"',
    'href="javascript:goPage(2)"', 'href="mailto:a@b.test"', 'href="http://例子.测试/a"',
    'href="http://xn--/"', 'src="/a.jpg"', 'src="http://[::1/a.jpg"', 'style="display:none"',
    'title="园区信息"', "onclick=\"createPageHTML(3,1,'index','html')\"",
]
TEXTS = ["园区召开重点项目推进会议", "下一页", "尾页", "上一页", "1", "2", "首页", "当前位置：", ">",
         "2024-11-20", "&nbsp;", "&#xD800;", "&#0;", "&lt;", "<!-- 列表开始 -->", "<?php echo 1 ?>",
         "<![CDATA[x]]>", "\u3000", "\n", "园区信息", "动态要闻", "管委会主任王明出席", "\x01",
         "createPageHTML(5, 0, 'index', 'html');", "var countPage = 3; var currentPage = 0;"]
PAGES = 300
URL = "http://park.test/dtyw/yqxx/index.html"


def generate(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(0, 6 if depth < 4 else 1)):
        if rng.random() < 0.5 and depth < 8:
            tag = rng.choice(TAGS)
            attributes = " ".join(rng.choice(ATTRIBUTES) for _ in range(rng.randint(0, 3)))
            end = "" if rng.random() < 0.1 else f"</{tag}>"
            out.append(f"<{tag} {attributes}>{generate(rng, depth + 1)}{end}")
        else:
            out.append(rng.choice(TEXTS))
    return "".join(out)


def _list_readers(html: str) -> None:
    navigation._last_links[:] = [None, "", []]
    sel = Selector(text=html or "<html></html>", base_url=URL)
    found = navigation.article_links(sel, URL)
    pages = navigation.pagination_links(sel, URL) + navigation.next_page_links(sel, URL)
    scripted = scripted_listing(sel, URL)
    navigation.find_section_link(sel, URL, "园区信息")
    for url in [link.url for link in found.links] + pages + list(scripted.page_urls):
        canonical_url(url)


@pytest.mark.parametrize("seed", range(3))
def test_generated_hostile_pages_raise_nowhere(seed: int) -> None:
    rng = random.Random(seed)
    for number in range(PAGES):
        html = generate(rng)
        try:
            _list_readers(html)
            read_page(html.encode("utf-8", "surrogatepass"), URL, "text/html", participants=True)
        except Exception as exc:  # noqa: BLE001 - the test is that nothing does
            pytest.fail(f"seed {seed}, page {number}: {type(exc).__name__}: {exc}\n{html[:2000]}")
