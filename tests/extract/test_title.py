"""Title suffix stripping and headline matching."""

from __future__ import annotations

import pytest

from parkcrawl.extract.body import parse_html
from parkcrawl.extract.title import extract_title, similarity, strip_site_suffix


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("园区召开工作务虚会_苏锡通科技产业园区", "园区召开工作务虚会"),
        ("国务院常务会议研究部署春耕生产_中国政府网", "国务院常务会议研究部署春耕生产"),
        ("武汉的声音：有英勇的你-新华网", "武汉的声音：有英勇的你"),
        ("两会观察：代表委员谈民生 - 人民网", "两会观察：代表委员谈民生"),
        ("标题文字在这里 | 某市融媒体中心", "标题文字在这里"),
        # several trailing channel and site names
        ("宇航员在太空中喝酒会怎么样 _探索者 _光明网", "宇航员在太空中喝酒会怎么样"),
        ("海外留学生看两会_教育频道_中国青年网", "海外留学生看两会"),
        ("东港开发区引进三家配套企业 -- 东港经济信息网", "东港开发区引进三家配套企业"),
        # a bare dash inside a headline stays: the tail is not a site name
        ("2024-2025年度园区企业名单公示", "2024-2025年度园区企业名单公示"),
        ("一带一路-中欧班列开行突破十万列", "一带一路-中欧班列开行突破十万列"),
        # a long second half is headline, not a suffix
        ("图说洛阳| 洛阳职业技术学院：剪窗花过廉洁之年", "洛阳职业技术学院：剪窗花过廉洁之年"),
        ("  园区  召开\u3000会议_某园区 ", "园区 召开 会议"),
        ("", ""),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


@pytest.mark.parametrize(
    ("candidate", "reference", "low", "high"),
    [
        ("园区召开工作务虚会", "园区召开工作务虚会", 1.0, 1.0),
        ("工作务虚会", "园区召开工作务虚会", 0.5, 0.6),
        ("网站首页", "园区召开工作务虚会", 0.0, 0.1),
        ("", "园区召开工作务虚会", 0.0, 0.0),
    ],
)
def test_similarity(candidate: str, reference: str, low: float, high: float) -> None:
    assert low <= similarity(candidate, reference) <= high


def _title(html: str) -> str | None:
    root = parse_html(html)
    assert root is not None
    return extract_title(root, None).title


def test_headline_element_beats_title_with_unknown_suffix() -> None:
    html = (
        "<html><head><title>园区召开工作务虚会 某某在线新闻资讯平台首页</title></head><body>"
        "<div class='nav'><h2>新闻中心</h2></div>"
        "<h1>园区召开工作务虚会</h1><p>正文。</p></body></html>"
    )
    assert _title(html) == "园区召开工作务虚会"


def test_title_element_when_no_headline_matches() -> None:
    html = (
        "<html><head><title>园区召开工作务虚会_苏锡通科技产业园区</title></head><body>"
        "<h1>苏锡通科技产业园区欢迎您</h1><p>正文。</p></body></html>"
    )
    assert _title(html) == "园区召开工作务虚会"


def test_meta_article_title_comes_first() -> None:
    root = parse_html(
        "<html><head><title>X_Y</title><meta name='ArticleTitle' content=' 关于开展培训的通知 '>"
        "</head><body><h1>关于开展培训的通知</h1></body></html>"
    )
    assert root is not None
    result = extract_title(root, " 关于开展培训的通知 ")
    assert result.title == "关于开展培训的通知"
    assert result.headline is not None and result.headline.tag == "h1"


def test_box_with_title_and_dateline_is_not_the_headline() -> None:
    html = (
        "<html><head><title>园区召开重大项目建设月度调度会-园区网</title></head><body>"
        "<div class='title'><span>园区召开重大项目建设月度调度会</span> 来源：园区 2024-11-25</div>"
        "<div><p>会议听取了项目推进情况汇报，协调解决了难点问题。</p></div></body></html>"
    )
    assert _title(html) == "园区召开重大项目建设月度调度会"


PARAGRAPH = "园区管委会今天召开全体干部大会，总结上一年度的招商引资工作并部署新一年的重点任务。"


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # no <title>, no headline box: the bold centred line above the first paragraph (issue 19)
        ("<p align='center'><b><big>园区召开年度工作会议</big></b></p>", "园区召开年度工作会议"),
        ("<center><font size='5'>园区召开年度工作会议</font></center>", "园区召开年度工作会议"),
        # a bold link (a menu entry, a related headline) is never the headline
        ("<b><a href='/x.html'>园区召开年度工作会议</a></b>", None),
        # a bold line ending a sentence is a lead-in, not a headline
        ("<b>会议指出：</b>", None),
    ],
)
def test_styled_headline_when_nothing_names_one(headline: str, expected: str | None) -> None:
    html = (
        "<html><body><table><tr><td><font color='blue'>当前位置：<a href='/'>首页</a></font>"
        f"{headline}<p>{PARAGRAPH}</p></td></tr></table></body></html>"
    )
    assert _title(html) == expected


def test_styled_line_far_from_any_paragraph_is_no_headline() -> None:
    html = (
        "<html><body><b>园区召开年度工作会议</b><div>一</div><div>二</div><div>三</div>"
        f"<p>{PARAGRAPH}</p></body></html>"
    )
    assert _title(html) is None


def test_site_first_title_takes_the_segment_printed_above_the_article() -> None:
    # "站名 - 标题": both segments are printed on their own (the site name in the banner), the
    # headline right above the article text; the short headline must not be peeled as a suffix.
    html = (
        "<html><head><title>园区之窗 - 园区召开年度会议</title></head><body>"
        "<table><tr><td><font size='5'>园区之窗</font> 欢迎访问</td></tr>"
        "<tr><td><p><strong>园区召开年度会议</strong></p>"
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></td></tr></table></body></html>"
    )
    assert _title(html) == "园区召开年度会议"


def test_segment_printed_only_as_a_link_is_not_the_headline() -> None:
    # The column name is printed as a navigation link: only the headline is printed on its own.
    html = (
        "<html><head><title>园区召开年度会议_新闻动态</title></head><body>"
        "<div><a href='/xwdt/'>新闻动态</a></div><h2>园区召开年度会议</h2>"
        f"<div class='content'><p>{PARAGRAPH}</p></div></body></html>"
    )
    assert _title(html) == "园区召开年度会议"
