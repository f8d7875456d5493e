"""Schema 1.3 fields read off the page: description, keywords, modified_at, breadcrumb_urls;
canonical_url and language as the pipeline writes them."""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import (
    extract_article,
    extract_keywords,
    labelled_modified_date,
)
from parkcrawl.urls import absolute_canonical_url

URL = "http://park.test/xw/202303/t20230312_7.html"


def page(head: str = "", dateline: str = "发布时间：2023-03-12", crumb: str = "") -> str:
    return f"""<html><head><title>园区召开企业服务座谈会</title>{head}</head><body>
{crumb}
<h1>园区召开企业服务座谈会</h1>
<div class="info">{dateline}</div>
<div class="content"><p>3月12日，园区召开企业服务座谈会，听取二十余家企业对优化营商环境的意见和建议。</p>
<p>座谈会上，企业代表围绕用工、融资、物流等问题畅所欲言。</p></div></body></html>"""


@pytest.mark.parametrize(
    ("head", "description"),
    [
        # the government standard's capitalised name, and the usual lower-case one
        ('<meta name="Description" content="园区召开座谈会，听取企业意见。">', "园区召开座谈会，听取企业意见。"),
        ('<meta name="description" content="  园区召开\n座谈会 ">', "园区召开 座谈会"),
        ('<meta property="og:description" content="座谈会听取企业意见">', "座谈会听取企业意见"),
        # a template placeholder the CMS left unfilled is no description
        ('<meta name="description" content="{$description}">', None),
        ("", None),
    ],
)
def test_description(head: str, description: str | None) -> None:
    assert extract_article(page(head), URL).description == description


@pytest.mark.parametrize(
    ("value", "keywords"),
    [
        ("营商环境,座谈会,企业服务", ["营商环境", "座谈会", "企业服务"]),
        # full-width commas, 、 and semicolons; repeats and empty terms dropped
        ("营商环境，座谈会、企业服务；座谈会,", ["营商环境", "座谈会", "企业服务"]),
        # spaces separate only where nothing else does
        ("营商环境 座谈会", ["营商环境", "座谈会"]),
        ("Business Environment, 座谈会", ["Business Environment", "座谈会"]),
        ("[关键词]", []),
    ],
)
def test_keywords(value: str, keywords: list[str]) -> None:
    assert extract_keywords({"Keywords": value}) == keywords


def test_keywords_from_the_page_meta_either_case() -> None:
    head = '<meta name="keywords" content="营商环境,座谈会">'
    assert extract_article(page(head), URL).keywords == ["营商环境", "座谈会"]
    assert extract_article(page(), URL).keywords == []


@pytest.mark.parametrize(
    ("head", "dateline", "modified_at"),
    [
        # a schema.org / Open Graph meta, with the precision it gives
        ('<meta itemprop="dateModified" content="2023-03-15T10:20:00+08:00">', "发布时间：2023-03-12",
         "2023-03-15T10:20:00+08:00"),
        ('<meta property="article:modified_time" content="2023-03-15">', "发布时间：2023-03-12",
         "2023-03-15"),
        # midnight is a time nobody wrote: the day only
        ('<meta name="lastmodified" content="2023-03-15 00:00:00">', "", "2023-03-15"),
        # a labelled line in the dateline
        ("", "发布时间：2023-03-12 09:00　更新时间：2023-03-14 16:30", "2023-03-14T16:30+08:00"),
        ("", "发布日期：2023年3月12日 修改时间：2023年3月13日", "2023-03-13"),
        # JSON-LD's dateModified, inside an @graph
        ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
         '"datePublished": "2023-03-12T09:00:00+08:00", "dateModified": "2023-03-16T11:00:00+08:00"}]}'
         "</script>", "发布时间：2023-03-12 09:00", "2023-03-16T11:00:00+08:00"),
        # only a publication date: no modification date
        ("", "发布时间：2023-03-12 09:00", None),
    ],
)
def test_modified_at(head: str, dateline: str, modified_at: str | None) -> None:
    assert extract_article(page(head, dateline), URL).modified_at == modified_at


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("最后更新：2023-03-14", "2023-03-14"),
        # a label with no date right after it
        ("更新时间：见公告 2023-03-14", None),
        ("发布时间：2023-03-14", None),
    ],
)
def test_labelled_modified_date(text: str, date: str | None) -> None:
    assert labelled_modified_date(text) == date


@pytest.mark.parametrize(
    ("crumb", "breadcrumb", "urls"),
    [
        # relative, root-relative and absolute links resolve against the page
        (
            '<div class="position">当前位置：<a href="../../">首页</a> &gt; '
            '<a href="/xw/">新闻</a> &gt; <a href="http://other.test/tz/">通知</a> &gt; 正文</div>',
            ["首页", "新闻", "通知"],
            ["http://park.test/", "http://park.test/xw/", "http://other.test/tz/"],
        ),
        # the last crumb written as text, a javascript: link: null entries
        (
            '<div class="position">当前位置：<a href="javascript:void(0)">首页</a> &gt; '
            '<a href="/xw/">新闻</a> &gt; 园区动态</div>',
            ["首页", "新闻", "园区动态"],
            [None, "http://park.test/xw/", None],
        ),
        # no breadcrumb on the page: both empty (the pipeline fills the walked path with nulls)
        ("", [], []),
    ],
)
def test_breadcrumb_urls(crumb: str, breadcrumb: list[str], urls: list[str | None]) -> None:
    fields = extract_article(page(crumb=crumb), URL)
    assert fields.breadcrumb == breadcrumb
    assert fields.breadcrumb_urls == urls


def test_breadcrumb_urls_follow_the_base_element() -> None:
    head = '<base href="http://cdn.park.test/site/">'
    crumb = '<div class="position">当前位置：<a href="index.html">首页</a> &gt; <a href="xw/">新闻</a></div>'
    fields = extract_article(page(head, crumb=crumb), URL)
    assert fields.breadcrumb_urls == ["http://cdn.park.test/site/index.html", "http://cdn.park.test/site/xw/"]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # tracking parameters, the print variant and the default port go; the scheme stays
        ("https://Park.test:443/xw/t1.html?spm=a.b&print=1", "https://park.test/xw/t1.html"),
        ("http://park.test/xw/index.html#top", "http://park.test/xw/"),
        ("http://park.test:8080/xw/t1.html?b=2&a=1", "http://park.test:8080/xw/t1.html?a=1&b=2"),
    ],
)
def test_absolute_canonical_url(url: str, canonical: str) -> None:
    assert absolute_canonical_url(url) == canonical
