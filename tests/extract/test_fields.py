"""Source, breadcrumb and body-line parsing."""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article, parse_breadcrumb, parse_source
from parkcrawl.extract.body import clean_lines, is_boilerplate, is_dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2024-11-22 09:30　来源：园区管委会办公室　浏览次数：356", "园区管委会办公室"),
        # stops at a run of spaces, at 浏览/作者/点击, at |
        ("来源：园区科技创新局   浏览次数：12", "园区科技创新局"),
        ("来源:新华社 作者：李明", "新华社"),
        ("来源：南湖日报点击：30", "南湖日报"),
        ("来源：人民网 | 2024-11-22", "人民网"),
        # a date right after the value (single space)
        ("来源：江海日报 2024-11-22 09:30", "江海日报"),
        ("信息来源：区科技局", "区科技局"),
        ("文章来源：（新华社）", "新华社"),
        # a value that is only spaces is no source; the next label is tried
        ("来源：　 发布时间：2024-11-22", None),
        ("发布时间：2024-11-22", None),
        ("", None),
    ],
)
def test_parse_source(text: str, expected: str | None) -> None:
    assert parse_source(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("当前位置 : 首页 > 动态要闻 > 园区信息> 正文", ["首页", "动态要闻", "园区信息"]),
        ("您的位置：首页 » 政务动态 » 部门动态", ["首页", "政务动态", "部门动态"]),
        ("所在位置：首页 → 信息公开 → 详情", ["首页", "信息公开"]),
        ("当前位置：首页 / 信息公开 / 政策文件 / 正文", ["首页", "信息公开", "政策文件"]),
        ("您现在的位置： 首页 -> 园区建设", ["首页", "园区建设"]),
        ("首页 >> 新闻中心 >> 正文内容", ["首页", "新闻中心"]),
        ("首页＞通知公告", ["首页", "通知公告"]),
        # the article's own (long) title closing the trail is not a section
        (
            "当前位置：首页 > 动态 > 园区召开2024年度企业安全生产知识竞赛暨表彰大会并部署明年工作",
            ["首页", "动态"],
        ),
        ("当前位置：", []),
    ],
)
def test_parse_breadcrumb(text: str, expected: list[str]) -> None:
    assert parse_breadcrumb(text) == expected


def test_breadcrumb_from_css_separated_links() -> None:
    html = (
        "<html><body><div class='crumbs'><a href='/'>首页</a><a href='/a/'>地方</a></div>"
        "<div><p>一段足够长的正文，用来让页面像一篇文章，里面有标点符号。</p></div></body></html>"
    )
    assert extract_article(html, "http://x/").breadcrumb == ["首页", "地方"]


def test_breadcrumb_ignores_script_location() -> None:
    html = (
        "<html><body><script>window.location.href='/';</script>"
        "<div><p>一段足够长的正文，用来让页面像一篇文章，里面有标点符号。</p></div></body></html>"
    )
    assert extract_article(html, "http://x/").breadcrumb == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("分享到：", True),
        ("【打印本页】【关闭窗口】", True),
        ("上一篇：园区召开重大项目建设月度调度会", True),
        ("责任编辑：林小满", True),
        ("（责任编辑：王红）", True),
        ("【纠错】", True),
        ("来源：新华网", True),
        ("浏览次数：356", True),
        ("版权所有 © 某园区管理委员会", True),
        ("苏ICP备12345678号-1 网站标识码：3206000099", True),
        ("0:00 / 2:54", True),
        ("附件：园区科技创新奖励办法(2024)", False),
        ("图为竞赛现场", False),
        # long lines are text even if they mention a footer word
        ("园区的网站标识码工作" + "推进得很顺利，" * 20, False),
        ("会议指出，要加强版权保护。", False),
    ],
)
def test_is_boilerplate(line: str, expected: bool) -> None:
    assert is_boilerplate(line) is expected


@pytest.mark.parametrize(
    ("line", "lone_date", "expected"),
    [
        ("发布时间：2024-11-22 09:30 来源：园区管委会", True, True),
        ("2022.01.20 16:31", True, True),
        ("（2024年11月22日）", True, True),
        # a signature date closing a notice is text
        ("2024年1月8日", False, False),
        ("2023年12月20日，园区二期冷链仓库正式投用。", True, False),
        ("园区党工委书记周文博出席会议并讲话", True, False),
    ],
)
def test_is_dateline(line: str, lone_date: bool, expected: bool) -> None:
    assert is_dateline(line, lone_date=lone_date) is expected


def test_clean_lines_drops_title_dateline_and_tail_widgets() -> None:
    lines = [
        "园区召开工作会",
        "发布时间：2024-11-22 来源：园区",
        "会议部署了明年工作。",
        "附件：工作要点.docx",
        "相关新闻",
        "园区召开另一场会议",
    ]
    result = clean_lines(lines, "园区召开工作会")
    assert result.lines == ["会议部署了明年工作。", "附件：工作要点.docx"]
    assert result.header == ["园区召开工作会", "发布时间：2024-11-22 来源：园区"]


def test_empty_and_broken_html() -> None:
    empty = extract_article("", "http://x/")
    assert (empty.title, empty.body, empty.published_at, empty.breadcrumb) == (None, "", None, [])
    assert extract_article("<?xml version='1.0' encoding='gb2312'?><html></html>", "u").body == ""


_BODY = "<div><p>一段足够长的正文，用来让页面像一篇文章，里面有标点符号。</p></div>"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # a midnight time in the meta is a CMS default, not a written time
        ("<meta name='PubDate' content='2022-01-28 00:00:00'>", "2022-01-28"),
        ("<meta name='PubDate' content='2024-05-09 16:05'>", "2024-05-09T16:05+08:00"),
        (
            "<meta property='article:published_time' content='2024-05-09T08:05:00Z'>",
            "2024-05-09T16:05:00+08:00",
        ),
        # an invalid meta date is ignored, the URL date is the last resort
        ("<meta name='PubDate' content='2024-02-30'>", "2024-11-22"),
    ],
)
def test_meta_dates(head: str, expected: str) -> None:
    html = f"<html><head>{head}</head><body>{_BODY}</body></html>"
    url = "http://x.gov.cn/202411/t20241122_1.html"
    assert extract_article(html, url).published_at == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("园区管委会办公室", "园区管委会办公室"),
        # the label copied into the meta value
        ("来源：新华日报", "新华日报"),
        # a URL is not a source
        ("http://www.example.com/", None),
    ],
)
def test_meta_source(content: str, expected: str | None) -> None:
    html = f"<html><head><meta name='ContentSource' content='{content}'></head><body>{_BODY}</body></html>"
    assert extract_article(html, "http://x/").source == expected


def test_region_menu_with_location_class_is_no_breadcrumb() -> None:
    html = (
        "<html><body><div class='channel local'><a>北京</a> <a>天津</a> <a>河北</a></div>"
        f"{_BODY}</body></html>"
    )
    assert extract_article(html, "http://x/").breadcrumb == []
