"""read_page: one article response read once into the item's fields (no Scrapy, no reactor)."""

from __future__ import annotations

import pytest
from lxml import etree

from parkcrawl.page import read_page, select_breadcrumb

URL = "http://park.example.gov.cn/dtyw/yqxx/202412/t20241213_10245.html"
TITLE = "园区举行高端装备制造项目签约仪式"
TEXT = "12月13日，园区举行高端装备制造项目签约仪式，管委会主任出席并致辞，项目总投资十二亿元。"


def article(*, crumbs: str = "", body: str = "", title: str = TITLE, charset: str = "utf-8") -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        '<div class="logo"><img src="/images/logo.png" alt="园区"></div>'
        f"{crumbs}<h1>{title}</h1>"
        f'<div class="TRS_Editor"><p>{TEXT}</p>{body}</div>'
        '<div class="footer"><img src="/images/ga.png" alt="">苏公网安备</div>'
        "</body></html>"
    )


# The site's own trail, which the extractor does not recognise as a breadcrumb (a plain list).
PATH_LIST = '<ul class="path"><li><a href="/">首页</a></li><li>新闻动态</li><li>园区要闻</li></ul>'
# A trail the extractor does find by itself ("当前位置").
LOCATION = '<div class="location">当前位置：首页 &gt; 动态要闻 &gt; 园区信息</div>'


@pytest.mark.parametrize(
    ("crumbs", "selector", "site_breadcrumb", "breadcrumb"),
    [
        # no selector: the page's own breadcrumb, else the path walked
        (LOCATION, None, None, ["首页", "动态要闻", "园区信息"]),
        (PATH_LIST, None, None, ["首页", "动态要闻", "园区信息(walked)"]),
        # the selector's levels win over both
        (PATH_LIST, "ul.path li", ["首页", "新闻动态", "园区要闻"], ["首页", "新闻动态", "园区要闻"]),
        (LOCATION + PATH_LIST, "ul.path li", ["首页", "新闻动态", "园区要闻"],
         ["首页", "新闻动态", "园区要闻"]),
        # a selector that finds nothing (stale): [] and the extractor's breadcrumb stands
        (LOCATION, "ul.path li", [], ["首页", "动态要闻", "园区信息"]),
    ],
)
def test_breadcrumb_with_the_site_override(
    crumbs: str, selector: str | None, site_breadcrumb: list[str] | None, breadcrumb: list[str]
) -> None:
    page = read_page(article(crumbs=crumbs).encode("utf-8"), URL, "text/html",
                     breadcrumb_selector=selector)
    assert page.site_breadcrumb == site_breadcrumb
    assert page.breadcrumb(["首页", "动态要闻", "园区信息(walked)"]) == breadcrumb


def test_every_field_from_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = []
    parse = etree.fromstring

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        parses.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(etree, "fromstring", counted)
    body = '<p><img src="/u/p.png"></p><p>图为签约现场。</p><p><a href="/f/list.pdf">项目名单</a></p>'
    page = read_page(article(crumbs=PATH_LIST, body=body).encode("utf-8"), URL, "text/html",
                     breadcrumb_selector="ul.path li")
    assert len(parses) == 1
    assert page.complete
    assert page.fields.title == TITLE
    assert page.fields.body == f"{TEXT}\n图为签约现场。\n项目名单"
    assert page.site_breadcrumb == ["首页", "新闻动态", "园区要闻"]
    # from the body the extractor found: the logo and the footer badge are not media
    assert page.media == [
        {"url": "http://park.example.gov.cn/u/p.png", "type": "image", "caption": "图为签约现场。"},
        {"url": "http://park.example.gov.cn/f/list.pdf", "type": "attachment",
         "caption": "项目名单"},
    ]
    assert page.content_hash is not None and len(page.content_hash) == 64
    assert page.simhash is not None


def test_a_mirror_page_in_gbk_is_decoded_and_cleaned_once() -> None:
    raw = article(title="園(yuán)區(qū)舉(jǔ)行簽(qiān)約(yuē)儀(yí)式(shì)", charset="gb2312")
    page = read_page(raw.encode("gb18030"), URL, "text/html; charset=gb2312")
    assert page.fields.title == "园区举行签约仪式"
    assert page.script == "Hant"
    assert "pinyin_annotations" in page.quality_flags
    assert page.encoding in ("gb18030", "gbk", "gb2312")


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (b"", None),  # an empty answer
        (article(title="").replace("<h1></h1>", "").encode("utf-8"), None),  # no title anywhere
    ],
)
def test_a_page_without_title_is_read_no_further(raw: bytes, title: str | None) -> None:
    page = read_page(raw, URL, "text/html")
    assert page.fields.title == title
    assert not page.complete
    # dropped by the pipeline: media and fingerprints are not computed for it
    assert (page.media, page.content_hash, page.simhash) == ([], None, None)


@pytest.mark.parametrize(
    ("html", "css", "crumb"),
    [
        # a script inside the trail is not a level (the page's tree has scripts removed)
        ('<div class="c"><a>首页</a><script>var x = 1;</script> &gt; <a>园区信息</a></div>',
         "div.c", ["首页", "园区信息"]),
        # parsel's ::text pseudo-element, as the sites file allows it
        ('<p class="c">当前位置：首页 &gt; 动态要闻</p>', "p.c::text", ["首页", "动态要闻"]),
    ],
)
def test_select_breadcrumb_over_the_page_tree(html: str, css: str, crumb: list[str]) -> None:
    from parkcrawl.extract.body import parse_html

    root = parse_html(f"<html><body>{html}</body></html>")
    assert root is not None
    assert select_breadcrumb(root, css) == crumb


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # a hidden widget goes, the text after it stays where it stood
        ('<p>园区<span style="display:none">隐藏</span>召开会议</p>', "园区召开会议"),
        ('<p><b>通知</b><i style="display: none">x</i>：会议改期</p>', "通知：会议改期"),
        # comments and scripts go too, their tails stay
        ("<p>一<!-- 注释 -->二<script>var a;</script>三</p>", "一二三"),
    ],
)
def test_the_parsed_tree_keeps_the_text_around_what_it_removes(html: str, text: str) -> None:
    from parkcrawl.extract.body import parse_html, text_content

    root = parse_html(f"<html><body>{html}</body></html>")
    assert root is not None
    assert text_content(root.find("body")) == text


@pytest.mark.parametrize("html", ["", "   \n", "<!-- only a comment -->", "<!DOCTYPE html>"])
def test_a_document_with_nothing_in_it_is_no_tree(html: str) -> None:
    from parkcrawl.extract.body import parse_html

    assert parse_html(html) is None


@pytest.mark.parametrize(
    ("text", "collapsed"),
    [
        ("\n    ", " "),  # indentation: one space
        ("\u3000\u3000", " "),  # full-width spaces alone
        ("园区召开会议", "园区召开会议"),
        ("Hello world 2024", "Hello world 2024"),  # single ASCII spaces stay
        ("园区  召开", "园区 召开"),
        ("\u3000\u3000园区召开会议", " 园区召开会议"),
        ("来源：\xa0园区", "来源： 园区"),  # nbsp
        ("园\u200b区", "园 区"),  # a zero-width space is a space here
        ("第一行\n第二行\t完", "第一行 第二行 完"),
        ("", ""),
    ],
)
def test_collapse_spaces(text: str, collapsed: str) -> None:
    from parkcrawl.extract.body import clean_line, collapse_spaces

    assert collapse_spaces(text) == collapsed
    assert clean_line(text) == collapsed.strip()


@pytest.mark.parametrize("cls", ["md:w-2/3 prose", ",content", "article.main", "w-[720px]", "2col"])
def test_a_body_container_whose_class_no_css_can_spell_is_read(cls: str) -> None:
    """Utility-CSS classes (md:w-2/3, w-[720px]) and stray punctuation are real class names; the
    article in such a container reads like any other (cssselect raised on them before)."""
    page = read_page(
        ('<html><head><meta charset="utf-8"><title>园区召开重点项目推进会议</title></head><body>'
         f'<h1>园区召开重点项目推进会议</h1><div class="{cls}"><p>11月20日，园区召开重点项目推进会议，'
         '管委会主任王明出席并讲话，要求各部门加强协同、狠抓落实。</p><p>会议听取了各项目进展情况汇报，'
         '研究部署下一阶段重点工作。</p></div></body></html>').encode(),
        URL, "text/html",
    )
    assert page.complete
    assert page.fields.body == (
        "11月20日，园区召开重点项目推进会议，管委会主任王明出席并讲话，要求各部门加强协同、狠抓落实。\n"
        "会议听取了各项目进展情况汇报，研究部署下一阶段重点工作。"
    )
