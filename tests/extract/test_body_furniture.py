"""Body furniture with no class name to tell it by (issue 19): headline lists set into the
article, reporter lines over the first paragraph, one-word buttons of reader pages.

Every page below is written for these tests; none is copied from an evaluation set.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.body import clean_lines, element_lines, remove_link_boxes

URL = "http://127.0.0.1/news/show.asp?id=7"
P1 = "园区今天举行项目签约仪式，十二个项目集中落地，总投资超过五十亿元，涵盖新材料和智能制造。"
P2 = "管委会表示，下一步将围绕产业链招商，优化审批流程，力争年内开工建设，确保项目早日投产。"
P3 = "据介绍，签约项目中有五个来自长三角地区，预计全部建成后年产值可达一百二十亿元。"

# A "推荐" box in a table between the first and second paragraph: four headline links and a
# label, no class or id.
HEADLINE_TABLE = (
    '<table><tr><td><b>今<br>日<br>推<br>荐</b></td><td>'
    '<a href="/a/1.html">新能源电池项目二期开工</a><br>'
    '<a href="/a/2.html">人才公寓首批住户入住(图)</a><br>'
    '<a href="/a/3.html">园区企业亮相国际展会</a><br>'
    '<a href="/a/4.html">一季度外贸进出口增长两成</a>'
    "</td></tr></table>"
)


def article(inner: str) -> str:
    return (
        "<html><head><title>园区十二个项目集中签约</title></head><body>"
        '<div id="nav"><a href="/">首页</a> <a href="/news/">新闻</a></div>'
        f"<div><h1>园区十二个项目集中签约</h1>{inner}</div>"
        "</body></html>"
    )


def test_headline_table_inside_the_article_is_dropped() -> None:
    fields = extract_article(article(f"<p>{P1}</p>{HEADLINE_TABLE}<p>{P2}</p><p>{P3}</p>"), URL)
    assert fields.body == f"{P1}\n{P2}\n{P3}"


def test_headline_list_in_a_div_is_dropped_too() -> None:
    box = (
        "<div><span>相关新闻：</span><ul>"
        '<li><a href="/a/5.html">园区召开安全生产工作会议</a></li>'
        '<li><a href="/a/6.html">重点项目建设推进会召开</a></li>'
        '<li><a href="/a/7.html">园区举办企业服务开放日活动</a></li>'
        "</ul></div>"
    )
    fields = extract_article(article(f"<p>{P1}</p><p>{P2}</p>{box}<p>{P3}</p>"), URL)
    assert fields.body == f"{P1}\n{P2}\n{P3}"


@pytest.mark.parametrize(
    ("box", "kept_line"),
    [
        # a data table with one link: sentences and figures, not a headline list
        (
            '<table><tr><td>项目</td><td>投资额</td></tr><tr><td>电池材料</td><td>十八亿元</td></tr>'
            '<tr><td>详见<a href="/f/1.pdf">附件</a></td><td>二〇二四年</td></tr></table>',
            "电池材料 十八亿元",
        ),
        # two links only: a source credit or an attachment pair stays
        (
            '<div><a href="/f/1.pdf">签约项目清单</a> <a href="/f/2.pdf">政策汇编</a></div>',
            "签约项目清单 政策汇编",
        ),
        # paragraphs that carry links in their sentences are text, whatever the link count
        (
            '<div>本次签约由<a href="/o/1">招商局</a>、<a href="/o/2">投促中心</a>和'
            '<a href="/o/3">产业基金</a>共同组织，园区各部门全程参与服务保障工作。</div>',
            "本次签约由招商局、投促中心和产业基金共同组织，园区各部门全程参与服务保障工作。",
        ),
    ],
)
def test_boxes_that_are_not_headline_lists_stay(box: str, kept_line: str) -> None:
    fields = extract_article(article(f"<p>{P1}</p>{box}<p>{P2}</p><p>{P3}</p>"), URL)
    assert kept_line in fields.body.split("\n")


def test_a_container_that_is_mostly_links_keeps_its_list() -> None:
    # The box holds most of the container's text: the container is a list, not an article with
    # a list set into it, and nothing is dropped.
    container = lxml_html.fromstring(
        "<div><p>本周要闻：</p><ul>"
        '<li><a href="/a/1.html">新能源电池项目二期开工建设</a></li>'
        '<li><a href="/a/2.html">人才公寓首批住户顺利入住</a></li>'
        '<li><a href="/a/3.html">园区企业亮相国际展会</a></li>'
        "</ul></div>"
    )
    remove_link_boxes(container)
    assert element_lines(container) == [
        "本周要闻：",
        "新能源电池项目二期开工建设",
        "人才公寓首批住户顺利入住",
        "园区企业亮相国际展会",
    ]


@pytest.mark.parametrize(
    "byline",
    [
        "本报记者 林晓 周明远",
        "本报记者林晓发自苏州",
        "文/周明远",
    ],
)
def test_reporter_line_over_the_first_paragraph_goes_to_the_header(byline: str) -> None:
    body = clean_lines(["园区十二个项目集中签约", byline, P1, P2], "园区十二个项目集中签约")
    assert body.lines == [P1, P2]
    assert byline in body.header


def test_reporter_line_becomes_the_authors_field() -> None:
    fields = extract_article(article(f"<p>本报记者 林晓 周明远</p><p>{P1}</p><p>{P2}</p>"), URL)
    assert fields.body == f"{P1}\n{P2}"
    assert {"name": "林晓", "role": "记者"} in fields.authors
    assert {"name": "周明远", "role": "记者"} in fields.authors


def test_reporter_words_inside_the_text_stay() -> None:
    # After the paragraphs have started, and in a sentence, the words are text.
    lead = "本报讯（记者 林晓）园区今天举行项目签约仪式，十二个项目集中落地。"
    body = clean_lines([lead, P1, P2, "本报记者 林晓 周明远"], None)
    assert body.lines == [lead, P1, P2, "本报记者 林晓 周明远"]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("播报文章", False),
        ("播报", False),
        ("编辑", False),
        ("广告", False),
        ("收藏", False),
        # the words inside a line are text
        ("编辑部全体同志向读者致以新春祝福。", True),
        ("广告牌整治行动本周启动", True),
    ],
)
def test_one_word_reader_buttons(line: str, kept: bool) -> None:
    body = clean_lines([P1, line, P2], None)
    assert (line in body.lines) is kept


# Teasers of a recommendation stream: each longer and richer in sentences than the short
# article above it.
TEASER = (
    "专家提醒，春季气温变化大，老人和儿童要注意增减衣物，预防感冒；饮食上宜清淡，多吃蔬菜水果，"
    "少吃油腻辛辣食物；同时要保证睡眠，适当运动，增强体质。出现发热、咳嗽等症状时，应及时就医，"
    "不要自行用药，更不要滥用抗生素。"
)


def stream(items: int) -> str:
    lis = "".join(
        f'<li><div><a href="/s/{i}.html">春季养生小贴士之{i}</a><div>{TEASER}</div></div></li>'
        for i in range(items)
    )
    return f'<div><h3>为你推荐</h3><ul>{lis}</ul></div>'


def test_a_short_article_beats_the_teasers_of_a_stream() -> None:
    html = (
        "<html><head><title>园区十二个项目集中签约</title></head><body>"
        f"<div><h1>园区十二个项目集中签约</h1><div><p>{P1}</p><p>{P3}</p></div></div>"
        f"{stream(6)}</body></html>"
    )
    assert extract_article(html, URL).body == f"{P1}\n{P3}"


def test_an_article_set_as_a_long_list_is_still_found() -> None:
    # Six numbered measures, one <li> each: the items are no candidates, the box around the
    # list is, and it holds the whole article.
    measures = [f"第{n}条，{P2}" for n in "一二三四五六"]
    items = "".join(f"<li>{m}</li>" for m in measures)
    html = (
        "<html><head><title>园区出台六条措施</title></head><body>"
        '<div id="nav"><a href="/">首页</a> <a href="/news/">新闻</a></div>'
        f"<div><h1>园区出台六条措施</h1><div><p>{P1}</p><ol>{items}</ol></div></div>"
        "</body></html>"
    )
    assert extract_article(html, URL).body == "\n".join([P1, *measures])


def test_counters_and_buttons_over_the_article_keep_the_byline_in_the_lead() -> None:
    # A self-media page: follow button, three counts and a share button, then the author and a
    # "发布于" byline, then the text. The counts go, and the byline (the seventh line) is still
    # read as the lead's, since the lead starts after the furniture.
    lines = ["+关注", "89", "1.2万", "25", "分享", "园区发布", "2024-05-18 16:56发布于江苏", P1, P2]
    body = clean_lines(lines, "园区十二个项目集中签约")
    assert body.lines == ["园区发布", P1, P2]
    assert body.header == ["+关注", "89", "1.2万", "25", "分享", "2024-05-18 16:56发布于江苏"]


def test_numbers_in_the_text_stay() -> None:
    # once the text has started, a line holding a number is text (a table cell, a list)
    body = clean_lines([P1, "2024", P2], None)
    assert body.lines == [P1, "2024", P2]


def _wide_table(rows: int) -> str:
    cells = "".join(
        f"<tr><td>{2000 + r}</td><td>项目{r}</td><td>开工</td><td>在建</td><td>—</td></tr>"
        for r in range(rows)
    )
    return f"<table>{cells}</table>"


# A notice in a box of its own: dense (no tags at all) and rich in punctuation.
NOTICE = "转载请注明出处；如有疑问，请与我们联系。未经许可，不得复制、转载或镜像本站内容。"


@pytest.mark.parametrize(
    ("paragraphs", "expected_first"),
    [
        # three paragraphs beside a wide table: scored on their own, they beat the notice box
        (3, P1),
        # two paragraphs are no run: the notice box, denser than the cell, stays the choice
        (2, NOTICE),
    ],
)
def test_paragraphs_beside_a_wide_table_are_scored_on_their_own(
    paragraphs: int, expected_first: str
) -> None:
    text = [P1, P2, P3][:paragraphs]
    ps = "".join(f"<p>{t}</p>" for t in text)
    html = (
        "<html><head><title>园区十二个项目集中签约</title></head><body>"
        f"<div><h1>园区十二个项目集中签约</h1><div>{ps}{_wide_table(40)}</div></div>"
        f"<div><div>{NOTICE}</div></div></body></html>"
    )
    body = extract_article(html, URL).body
    assert body.split("\n")[0] == expected_first


def test_an_attachment_list_is_not_a_headline_list() -> None:
    # Three document links under a notice: the attachments are part of it (and of its media).
    files = (
        '<div><a href="/files/2024/apply.docx">申报表</a><br>'
        '<a href="/files/2024/guide.pdf?v=2">申报指南</a><br>'
        '<a href="/files/2024/list.xlsx">项目清单</a></div>'
    )
    fields = extract_article(article(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>{files}"), URL)
    assert fields.body == f"{P1}\n{P2}\n{P3}\n申报表\n申报指南\n项目清单"
