"""An article's summary box set just before its container, outside it (issue 19): it is the
body's first line. Every page below is written for these tests; none is copied from an
evaluation set.
"""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article

URL = "http://127.0.0.1/news/show.asp?id=7"
P1 = "园区今天举行项目签约仪式，十二个项目集中落地，总投资超过五十亿元，涵盖新材料和智能制造。"
P2 = "管委会表示，下一步将围绕产业链招商，优化审批流程，力争年内开工建设，确保项目早日投产。"
P3 = "据介绍，签约项目中有五个来自长三角地区，预计全部建成后年产值可达一百二十亿元。"
SUMMARY = "核心提示：十二个项目集中签约，总投资超过五十亿元。"


def page(before: str) -> str:
    return (
        "<html><head><title>园区项目集中签约</title></head><body><h1>园区项目集中签约</h1>"
        f"<div>{before}<div class='art_content'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    "box",
    [
        f"<div class='art_summary'>{SUMMARY}</div>",
        # named by its label only, with an unrelated box between it and the article
        f"<div>{SUMMARY}</div><div class='tools'>字号：大 中 小</div>",
    ],
)
def test_summary_before_the_container_opens_the_body(box: str) -> None:
    assert extract_article(page(box), URL).body.split("\n") == [SUMMARY, P1, P2, P3]


@pytest.mark.parametrize(
    "box",
    [
        # a box of links named like a summary is a list, not a summary
        "<div class='summary'>" + "".join(f"<a href='/a/{i}'>相关新闻第{i}条。</a>" for i in range(4))
        + "</div>",
        # a label-less, name-less paragraph before the article stays out
        "<div>十二个项目集中签约，总投资超过五十亿元。</div>",
    ],
)
def test_other_boxes_before_the_container_stay_out(box: str) -> None:
    assert extract_article(page(box), URL).body.split("\n") == [P1, P2, P3]
