"""By-lines (schema 1.3 ``authors``): table-driven over lines written for these tests."""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.authors import (
    extract_authors,
    find_labelled_authors,
    lead_byline,
    parse_byline,
)


def pairs(authors: list | None) -> list[tuple[str, str]] | None:
    return None if authors is None else [(a.name, a.role) for a in authors]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a label, then several names separated by spaces
        ("记者 蒋一帆 苏晴", [("蒋一帆", "记者"), ("苏晴", "记者")]),
        # 责任编辑 in full-width brackets and colon: the role is 编辑
        ("（责任编辑：梁思远）", [("梁思远", "编辑")]),
        ("【责编：韦小楠】", [("韦小楠", "编辑")]),
        # two labelled parts on one line, half-width colons
        ("编辑:钱多多 通讯员:古丽", [("钱多多", "编辑"), ("古丽", "通讯员")]),
        # the photographer named before 摄 / 摄影, with or without a slash
        ("邵晨阳 摄", [("邵晨阳", "摄影")]),
        ("邵晨阳/摄", [("邵晨阳", "摄影")]),
        ("邵晨阳 卜凡 摄影", [("邵晨阳", "摄影"), ("卜凡", "摄影")]),
        # 记者 and 通讯员 are often written straight before the name
        ("（记者柯蓝 通讯员孔令一）", [("柯蓝", "记者"), ("孔令一", "通讯员")]),
        ("本报记者 单雪", [("单雪", "记者")]),
        # names separated by 、 and a minority name with its middle dot
        ("作者：艾力·买买提、程橙", [("艾力·买买提", "作者"), ("程橙", "作者")]),
        # magazine slash credits: 文 is the writer, 图 the photographer
        ("文/杭舟 图/游一鸣", [("杭舟", "作者"), ("游一鸣", "摄影")]),
        # an office credited as author
        ("作者：园区党政办公室", [("园区党政办公室", "作者")]),
        # headings that start with a label word are not by-lines
        ("作者简介", None),
        ("编辑说明", None),
        # ordinary sentences and a one-character "name"
        ("园区召开安全生产推进会", None),
        ("记者 甲", None),
        # a menu line: 调查 after 记者 names nobody, so the line is no by-line at all
        ("记者调查 民意调查", None),
        # the place the reporter filed from is not part of the name
        ("本报记者 单雪发自江州", [("单雪", "记者")]),
        # a long credit is an office only when it ends like one
        ("作者：园区经济发展研究中心", [("园区经济发展研究中心", "作者")]),
        ("作者：园区经济发展研究中心主任", None),
        # markup leaking into the text is no name
        ('作者： size="20"', None),
        ("", None),
    ],
)
def test_parse_byline(line: str, expected: list[tuple[str, str]] | None) -> None:
    assert pairs(parse_byline(line)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the value stops at the next dateline label, or at a run of spaces
        ("发布时间：2023-05-06 作者：匡小路 来源：园区办 浏览次数：9", [("匡小路", "作者")]),
        ("来源：东湖晚报　作者：晏清　点击：88", [("晏清", "作者")]),
        ("编辑：秦岭  审核：戴安", [("秦岭", "编辑")]),
        # one space before another label: the reviewer (审核, 审核人) is no author and no name
        ("编辑：秦岭 审核：戴安", [("秦岭", "编辑")]),
        ("编辑：秦岭 审核人：戴安", [("秦岭", "编辑")]),
        ("发布时间：2023-05-06 来源：园区办", []),
        # 出自 closes the value: it names the book, not a second author
        ("作者： 匡小路 出自[园区文集]", [("匡小路", "作者")]),
    ],
)
def test_find_labelled_authors(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(find_labelled_authors(text)) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("本报江州3月2日电（记者 葛优优）日前，园区新建的人才公寓交付使用。", [("葛优优", "记者")]),
        ("（通讯员 洪波）3月2日上午，园区举行植树活动。", [("洪波", "通讯员")]),
        # brackets far into a paragraph, or holding no by-line, are text
        ("3月2日上午，园区举行植树活动，共栽种苗木两千余株，参加人员来自各部门（约两百人）。", None),
        ("园区出台《人才新政（试行）》", None),
    ],
)
def test_lead_byline(paragraph: str, expected: list[tuple[str, str]] | None) -> None:
    assert pairs(lead_byline(paragraph)) == expected


def test_extract_authors_keeps_order_and_drops_repeats() -> None:
    lines = [
        "发布时间：2023-05-06 作者：匡小路",
        "园区举办植树活动。",
        "（记者 匡小路 通讯员 洪波）",
        "（责任编辑：晏清）",
        "作者：匡小路",
    ]
    assert pairs(extract_authors(lines)) == [
        ("匡小路", "作者"), ("匡小路", "记者"), ("洪波", "通讯员"), ("晏清", "编辑"),
    ]


PAGE = """<html><head><title>园区举办春季植树活动</title></head><body>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">新闻</a> &gt; 正文</div>
<h1>园区举办春季植树活动</h1>
<div class="info">发布时间：2023-03-12　作者：匡小路　来源：园区办</div>
<div class="content">
<p>3月12日上午，园区组织机关干部和志愿者在滨河公园开展春季植树活动，共栽种香樟、银杏等苗木一千二百余株。</p>
<p>活动现场，大家挥锹铲土、扶苗培土、提水浇灌，干劲十足。</p>
<p>邵晨阳 摄</p>
<p>（责任编辑：晏清）</p>
</div></body></html>"""


def test_the_page_credits_everyone_and_the_body_keeps_none_of_the_credit_lines() -> None:
    fields = extract_article(PAGE, "http://park.test/xw/202303/t20230312_1.html")
    assert fields.authors == [
        {"name": "匡小路", "role": "作者"},
        {"name": "邵晨阳", "role": "摄影"},
        {"name": "晏清", "role": "编辑"},
    ]
    assert "责任编辑" not in fields.body and "晏清" not in fields.body
    assert "匡小路" not in fields.body
