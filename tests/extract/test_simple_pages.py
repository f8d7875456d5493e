"""The plainest pages: a headline and one paragraph straight under <body>, nothing else.

A density climb that walked above the part of the tree it had measured raised KeyError on
these (every such page was lost as a "pipeline error"): kept here as table cases.
"""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article

PARAGRAPH = "园区今天召开专题会议，研究部署下一阶段重点工作。" * 4


@pytest.mark.parametrize(
    "html",
    [
        # one paragraph under <body>
        f"<html><head><title>园区召开专题会议</title></head><body><h1>园区召开专题会议</h1>"
        f"<p>{PARAGRAPH}</p></body></html>",
        # no <body> tag at all: lxml makes one up
        f"<html><head><title>园区召开专题会议</title></head><h1>园区召开专题会议</h1>"
        f"<p>{PARAGRAPH}</p></html>",
        # a dateline paragraph before the text
        f"<html><head><title>园区召开专题会议</title></head><body><h1>园区召开专题会议</h1>"
        f"<p>发布时间：2024-12-13 09:00</p><p>{PARAGRAPH}</p></body></html>",
    ],
)
def test_the_paragraph_is_the_body(html: str) -> None:
    fields = extract_article(html, "http://park.test/a.html")
    assert fields.title == "园区召开专题会议"
    assert fields.body == PARAGRAPH
