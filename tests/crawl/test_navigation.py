"""Link-text navigation, list detection and pagination over literal HTML (no reactor, no server)."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.navigation import (
    article_links,
    find_section_link,
    next_page_links,
    normalize_link_text,
    pagination_links,
)

BASE = "http://site.test/a/b/index.html"


def sel(html: str) -> Selector:
    return Selector(text=html, base_url=BASE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("园区信息", "园区信息"),
        (" 园区 信息 ", "园区信息"),  # CMS templates pad and split link text
        ("园区信息>>", "园区信息"),  # "more" arrows
        ("【园区信息】", "园区信息"),
        ("下一页 >", "下一页"),
        ("» 下页", "下页"),
        ("\u3000园区信息\xa0", "园区信息"),  # full-width space and nbsp
        ("Next", "next"),
    ],
)
def test_normalize_link_text(text: str, expected: str) -> None:
    assert normalize_link_text(text) == expected


@pytest.mark.parametrize(
    ("html", "wanted", "expected"),
    [
        # plain menu link
        ('<ul><li><a href="/dtyw/">动态要闻</a></li></ul>', "动态要闻", "http://site.test/dtyw/"),
        # the text split across spans, as dropdown menus do
        ('<a href="x.html"><span>动态</span><span>要闻</span></a>', "动态要闻",
         "http://site.test/a/b/x.html"),
        # an image link whose name is only in title=
        ('<a href="/col/12/" title="园区信息"><img src="t.png"></a>', "园区信息",
         "http://site.test/col/12/"),
        # a longer name that merely contains the wanted one is another section
        ('<a href="/a/">园区信息公开目录</a><a href="/b/">园区信息</a>', "园区信息",
         "http://site.test/b/"),
        # javascript: links are never followed
        ('<a href="javascript:void(0)">园区信息</a><a href="/c/">园区信息</a>', "园区信息",
         "http://site.test/c/"),
    ],
)
def test_find_section_link(html: str, wanted: str, expected: str) -> None:
    link = find_section_link(sel(html), BASE, wanted)
    assert link is not None and link.url == expected


def test_find_section_link_missing_returns_none() -> None:
    assert find_section_link(sel('<a href="/x/">园区概况</a>'), BASE, "园区信息") is None


LIST_PAGE = """
<div class="header"><ul class="nav"><li><a href="/">首页</a></li>
  <li><a href="/about/">园区概况简介与规划</a></li></ul></div>
<div class="main">
  <div class="list"><ul>
    <li><a href="/n/1.html">园区召开重点项目推进会议</a><span>2024-11-20</span></li>
    <li><a href="/n/2.html">园区举办企业服务专员培训</a><span>2024-11-18</span></li>
  </ul><ul>
    <li><a href="/n/3.html">园区与高校签订人才合作协议</a><span>2024-11-11</span></li>
  </ul></div>
  <div class="side"><h3>热点新闻</h3><ul>
    <li><a href="/other/9.html">部门开展安全生产专项检查</a></li>
    <li><a href="/other/8.html">媒体聚焦园区跨江融合发展</a></li>
    <li><a href="/other/7.html">部门召开年度工作总结会议</a></li>
    <li><a href="/other/6.html">媒体报道园区营商环境提升</a></li>
  </ul></div>
  <div class="page"><a href="index.html">首页</a><a href="index.html">上一页</a>
    <a href="index.html">1</a><span>2</span><a href="index_2.html">3</a>
    <a href="index_2.html">下一页</a><a href="index_2.html">尾页</a></div>
</div>
<div class="footer"><a href="/sitemap.html">网站地图和无障碍服务</a></div>
"""


def test_article_links_prefers_dated_main_list_over_a_bigger_sidebar() -> None:
    found = article_links(sel(LIST_PAGE), BASE)
    assert [link.url for link in found.links] == [
        "http://site.test/n/1.html",
        "http://site.test/n/2.html",
        "http://site.test/n/3.html",
    ]


def test_article_links_keeps_the_first_pages_container_on_a_short_last_page() -> None:
    first = article_links(sel(LIST_PAGE), BASE)
    last_page = LIST_PAGE.replace("<span>2024-11-18</span>", "").replace(
        "<span>2024-11-11</span>", "").replace("<span>2024-11-20</span>", "")
    # Without dates the sidebar (4 links) outnumbers the list (3); the signature decides.
    found = article_links(sel(last_page), BASE, prefer_signature=first.signature)
    assert [link.url for link in found.links][0] == "http://site.test/n/1.html"
    assert len(found.links) == 3


# Templates mark their blocks with comments (<!-- 列表开始 -->); a comment between the pinned
# rows' box and the list's is neither text nor a box.
COMMENTED_LIST = """
<div class="main">
  <!-- 置顶 -->
  <ul class="zd"><li><a href="/n/0.html">园区管委会发布年度重点工作安排</a><span>2024-11-25</span></li></ul>
  <!-- 列表开始 -->
  <ul class="list"><li><a href="/n/1.html">园区召开重点项目推进会议</a><span>2024-11-20</span></li>
    <li><a href="/n/2.html">园区举办企业服务专员培训</a><span>2024-11-18</span></li></ul>
  <!-- 列表结束 -->
</div>
"""


def test_comments_around_the_list_are_skipped() -> None:
    found = article_links(sel(COMMENTED_LIST), BASE)
    assert [link.url for link in found.links] == [
        "http://site.test/n/0.html",
        "http://site.test/n/1.html",
        "http://site.test/n/2.html",
    ]


def test_article_links_skips_other_hosts() -> None:
    html = '<ul><li><a href="http://evil.test/n/1.html">外站文章标题很长很长</a> 2024-01-01</li></ul>'
    assert article_links(sel(html), BASE).links == []


def test_pagination_links_follow_next_last_and_numbers_not_home_or_previous() -> None:
    urls = pagination_links(sel(LIST_PAGE), "http://site.test/a/b/index_1.html")
    assert urls == ["http://site.test/a/b/index_2.html", "http://site.test/a/b/index.html"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # 下页 and a traditional 下一頁 that cleaning did not convert (keep-script mode)
        ('<div><a href="p2.html">下页</a><a href="p9.html">末页</a></div>', ["p2.html", "p9.html"]),
        ('<div><a href="p2.html">下一頁</a><a href="p1.html">上一頁</a></div>', ["p2.html"]),
        # numbers alone count only inside a pagination block
        ('<div class="pagination"><a href="p2.html">2</a><a href="p3.html">3</a></div>',
         ["p2.html", "p3.html"]),
        ('<p>电话 <a href="tel.html">8</a></p>', []),
    ],
)
def test_pagination_variants(html: str, expected: list[str]) -> None:
    urls = pagination_links(sel(html), BASE)
    assert urls == [f"http://site.test/a/b/{u}" for u in expected]


def test_next_page_links_only_follow_next() -> None:
    assert next_page_links(sel(LIST_PAGE), "http://site.test/a/b/index_1.html") == [
        "http://site.test/a/b/index_2.html"
    ]
