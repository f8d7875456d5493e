"""extract_media over literal HTML (what an article body links, with captions), and the stages."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from parkcrawl.archive.media import extract_media
from parkcrawl.archive.pipelines import MediaDownloadPipeline
from parkcrawl.archive.warc import ARCHIVE_KIND_KEY
from parkcrawl.items import Article
from parkcrawl.middlewares import RETRY_UNREACHABLE
from parkcrawl.pipelines import PagePipeline

URL = "http://park.example.gov.cn/dtyw/yqxx/202412/t20241213_10245.html"
TEXT = "<p>12月13日，园区举行高端装备制造项目签约仪式，管委会主任出席并致辞，项目总投资十二亿元。</p>"


def page(body: str, *, head: str = "", outside: str = "") -> str:
    """An article page: logo and footer badge outside the text container, like the demo site."""
    return (
        f"<html><head>{head}</head><body>"
        '<div class="logo"><img src="/images/logo.png" alt="园区"></div>'
        f'<div class="TRS_Editor">{TEXT}{body}</div>{outside}'
        '<div class="footer"><img src="/images/ga.png" alt="">苏公网安备</div>'
        "</body></html>"
    )


def img(url: str, caption: str | None) -> dict:
    return {"url": url, "type": "image", "caption": caption}


def att(url: str, caption: str | None) -> dict:
    return {"url": url, "type": "attachment", "caption": caption}


BASE = "http://park.example.gov.cn"

CASES = [
    pytest.param(
        page('<p style="text-align: center;"><img src="/uploads/p1.png" alt="" oldsrc="W1.png"></p>'
             '<p style="text-align: center;">图为签约现场。</p>'),
        [img(f"{BASE}/uploads/p1.png", "图为签约现场。")],
        id="TRS image, centred caption paragraph after it",
    ),
    pytest.param(
        page("<p><img src='p2.jpg'></p><p>图为会议现场</p>"),
        [img(f"{BASE}/dtyw/yqxx/202412/p2.jpg", "图为会议现场")],
        id="relative src; caption recognised by 图为 without centring",
    ),
    pytest.param(
        page('<figure><img src="/u/f.png" alt="x"><figcaption>园区全景</figcaption></figure>'),
        [img(f"{BASE}/u/f.png", "园区全景")],
        id="figcaption wins over alt",
    ),
    pytest.param(
        page('<p><img src="/u/a.png" alt="新建实验学校"></p>' + TEXT),
        [img(f"{BASE}/u/a.png", "新建实验学校")],
        id="no caption line (next paragraph is text): the alt",
    ),
    pytest.param(
        page('<p><img src="/u/b.png" alt="图片"></p><p><img src="/u/c.png" alt="c.png"></p>'),
        [img(f"{BASE}/u/b.png", None), img(f"{BASE}/u/c.png", None)],
        id="generic alt and file-name alt are no caption",
    ),
    pytest.param(
        page('<p style="text-align:center"><img src="/u/d.png"></p>'
             '<p style="text-align:center">' + "很长的居中段落" * 15 + "</p>"),
        [img(f"{BASE}/u/d.png", None)],
        id="a long centred paragraph is text, not a caption",
    ),
    pytest.param(
        page('<p>附件：<a href="/uploads/files/W0201.pdf" target="_blank">园区企业服务专员工作制度（试行）</a></p>'),
        [att(f"{BASE}/uploads/files/W0201.pdf", "园区企业服务专员工作制度（试行）")],
        id="attachment line in the body",
    ),
    pytest.param(
        page('<p><a href="/f/TABLE.XLSX">附表</a> <a href="/f/x.doc"></a> <a href="/f/y.zip" title="材料">下载</a></p>'),
        [att(f"{BASE}/f/TABLE.XLSX", "附表"), att(f"{BASE}/f/x.doc", None), att(f"{BASE}/f/y.zip", "下载")],
        id="upper-case extension; a link with no text has no caption",
    ),
    pytest.param(
        page("", outside='<div class="fujian">附件：<a href="/f/rules.docx">实施细则</a></div>'),
        [att(f"{BASE}/f/rules.docx", "实施细则")],
        id="attachment box beside the text container (TRS/Hanweb 附件 list)",
    ),
    pytest.param(
        page('<p><a href="/u/big.jpg"><img src="/u/small.jpg" alt="航拍"></a></p>'),
        [img(f"{BASE}/u/big.jpg", "航拍"), img(f"{BASE}/u/small.jpg", "航拍")],
        id="thumbnail linking to the full image: both, link first",
    ),
    pytest.param(
        page('<p><img src="/u/e.png#x"></p><p><img src="/u/e.png"></p>'),
        [img(f"{BASE}/u/e.png", None)],
        id="the same URL once (fragment ignored)",
    ),
    pytest.param(
        page('<p><img src="data:image/png;base64,AAAA"><a href="javascript:void(0)">x.pdf</a>'
             '<a href="/dtyw/other.html">上一篇</a><a href="mailto:a@b.cn">a.pdf</a></p>'),
        [],
        id="data:, javascript:, mailto: and page links are not media",
    ),
    pytest.param(
        page('<p><img src="img/g.png"></p>', head='<base href="http://cdn.example.cn/news/">'),
        [img("http://cdn.example.cn/news/img/g.png", None)],
        id="base href",
    ),
    pytest.param(
        page(""),
        [],
        id="no media: the logo and footer badge are furniture",
    ),
    pytest.param("", [], id="empty page"),
]


@pytest.mark.parametrize(("html", "expected"), CASES)
def test_extract_media(html: str, expected: list[dict]) -> None:
    assert extract_media(html, URL) == expected


def test_the_page_stage_lists_the_media_on_the_item() -> None:
    raw = page('<p><img src="/u/p.png"></p><p>图为现场。</p>',
               head="<title>园区举行高端装备制造项目签约仪式</title>").encode("utf-8")
    item = Article(url=URL, raw_body=raw, content_type="text/html; charset=utf-8")
    item = PagePipeline.from_crawler(get_crawler()).process_item(item)
    assert item.media == [img(f"{BASE}/u/p.png", "图为现场。")]
    assert PagePipeline(None).process_item(Article(url=URL)).media == []  # no page, no change


def test_media_download_requests_are_marked_for_the_archive() -> None:
    pipeline = MediaDownloadPipeline.from_crawler(get_crawler())
    item = Article(url=URL, media=[img("http://img.park.example.gov.cn/p.png", None),
                                   att(f"{BASE}/f/a.pdf", "附件")])
    requests = pipeline.get_media_requests(item, None)  # type: ignore[arg-type]
    assert [r.url for r in requests] == ["http://img.park.example.gov.cn/p.png", f"{BASE}/f/a.pdf"]
    for request in requests:
        assert request.meta[ARCHIVE_KIND_KEY] == "media"
        assert "parknews_kind" not in request.meta  # not a page of the section: no HTML checks
        # Scrapy's OffsiteMiddleware knows only the pages' domains; which media hosts may be
        # fetched is parkcrawl.netpolicy's decision (tests/archive/test_netpolicy.py).
        assert request.meta["allow_offsite"] is True
        assert request.meta[RETRY_UNREACHABLE] is False  # a dead media host is tried once
