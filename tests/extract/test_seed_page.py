"""The page the project was born from, read from ../shared/seed (skipped where absent)."""

from __future__ import annotations

import pytest

from parkcrawl.extract.participants import Participant, extract_participants
from parkcrawl.text import clean_text
from tests.seed_layout import extract_text_article


@pytest.fixture(scope="module")
def seed_fields(seed_text: str):
    return extract_text_article(clean_text(seed_text).text)


def test_seed_title(seed_fields) -> None:
    assert seed_fields.title == "苏锡通园区召开工作务虚会"


def test_seed_breadcrumb_drops_the_trailing_正文(seed_fields) -> None:
    assert seed_fields.breadcrumb == ["首页", "动态要闻", "园区信息"]


def test_seed_body_keeps_real_parentheses_and_loses_annotations(seed_fields) -> None:
    body = seed_fields.body
    assert "中新(南通)产业合作区" in body
    assert "(qū)" not in body and "(zhǎng)" not in body
    assert body.startswith("为进一步统一思想")
    assert "当前位置" not in body and "苏锡通园区召开工作务虚会\n" not in body


def test_seed_participants(seed_fields) -> None:
    text = f"{seed_fields.title}\n{seed_fields.body}"
    assert extract_participants(text) == [
        Participant("虞越嵩", "园区党工委书记"),
        Participant("黄晓峰", "党工委副书记、管委会主任"),
    ]


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        # no breadcrumb line: the first short line is the title
        ("园区召开安全生产会议\n会议强调，要压实责任。", "园区召开安全生产会议", "会议强调，要压实责任。"),
        # a first line that ends a sentence is body, not a title
        ("会议强调，要压实责任。\n下一步将开展检查。", None, "会议强调，要压实责任。\n下一步将开展检查。"),
        # blank lines and padding are not paragraphs
        ("\n  园区新闻标题  \n\n正文第一段。\n\n正文第二段。\n", "园区新闻标题", "正文第一段。\n正文第二段。"),
    ],
)
def test_text_article_layout(text: str, title: str | None, body: str) -> None:
    fields = extract_text_article(text)
    assert (fields.title, fields.body) == (title, body)
