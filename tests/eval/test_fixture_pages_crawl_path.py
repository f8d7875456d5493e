"""Golden pages the way the crawl meets them: saved bytes -> clean_page -> extract_article.

tests/extract/test_golden.py reads each input.html as UTF-8 text and calls the extractor; here
the same cases go through decoding first, as the pipelines run them, so a page whose bytes and
declaration disagree (a UTF-8 page declaring gb2312) is checked on the path where it can fail.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from scrapy.http import HtmlResponse

from parkcrawl.extract.article import extract_article
from parkcrawl.text import clean_page
from tests.extract.golden import PAGES, case_names, load_case

CASES = case_names()
_WS = re.compile(r"\s+")


def _through_cleaning(name: str) -> tuple[str, dict]:
    case = load_case(name)
    raw = (PAGES / name / "input.html").read_bytes()
    page = clean_page(raw, case.meta.get("content_type", "text/html"))
    return page.encoding, dataclasses.asdict(extract_article(page.html, case.meta["url"]))


def test_the_general_failures_of_the_real_pages_each_have_a_case() -> None:
    assert set(CASES) >= {
        "table-2005",  # table layout, no known container
        "title-suffix-div-headline",  # site suffix on the title
        "gbdecl-utf8",  # UTF-8 bytes declaring gb2312
        "written-date",  # 成文日期 and 发布日期 in a metadata table
        "dateline-beside-written-date",  # 成文日期 beside the dateline
    }


@pytest.mark.parametrize("name", CASES)
def test_fields_through_cleaning_match_expected(name: str) -> None:
    case = load_case(name)
    encoding, got = _through_cleaning(name)
    if "encoding" in case.meta:
        assert encoding == case.meta["encoding"], f"{name}: decoded as {encoding}"
    for field, expected in case.expected.items():
        assert got[field] == expected, f"{name}: field {field!r} differs"


@pytest.mark.parametrize("name", CASES)
def test_key_sentences_in_and_boilerplate_out_through_cleaning(name: str) -> None:
    case = load_case(name)
    body = _WS.sub("", _through_cleaning(name)[1]["body"] or "")
    assert [s for s in case.meta.get("body_with", []) if _WS.sub("", s) not in body] == []
    assert [s for s in case.meta.get("body_without", []) if _WS.sub("", s) in body] == []


def test_the_gb2312_declaration_of_a_utf8_page_is_a_real_trap() -> None:
    """Decoding by the declaration (Scrapy's response.text) loses the text; clean_page keeps it."""
    raw = (PAGES / "gbdecl-utf8" / "input.html").read_bytes()
    title = load_case("gbdecl-utf8").expected["title"]
    response = HtmlResponse(
        url="http://finance.nanzhou.example.cn/", body=raw, headers={"Content-Type": "text/html"}
    )
    assert response.encoding == "gb18030"
    assert title not in response.text
    assert title in clean_page(raw, "text/html").html
