"""Government-site meta tags: SiteName and ColumnName as the page declares them, placeholders not."""

from __future__ import annotations

import json

import pytest

from parkcrawl.cms import plausible_name
from parkcrawl.extract.article import extract_article
from parkcrawl.text import clean_page
from tests.support import DEMO_SITE, ROOT

PAGE = """<html><head><title>园区召开推进会_{site}</title>{metas}</head><body>
<h1>园区召开推进会</h1><div class="info">发布时间：2024-12-20　来源：园区办公室</div>
<div id="zoom"><p>12月20日，园区召开推进会，部署明年重点工作。</p></div></body></html>"""


@pytest.mark.parametrize(
    ("metas", "site_name", "column"),
    [
        (
            '<meta name="SiteName" content="临江湾科技产业园区"><meta name="ColumnName" content="园区信息">',
            "临江湾科技产业园区",
            "园区信息",
        ),
        # names are matched case-insensitively; whitespace is collapsed
        (
            '<meta name="sitename" content=" 云溪 经济开发区 "><meta name="columnname" content="园区信息">',
            "云溪 经济开发区",
            "园区信息",
        ),
        # the page may declare the wrong column: reported as declared
        ('<meta name="ColumnName" content="部门动态">', None, "部门动态"),
        # template variables the CMS left unfilled are no names
        (
            '<meta name="SiteName" content="${siteName}"><meta name="ColumnName" content="&lt;$[栏目名称]&gt;">',
            None,
            None,
        ),
        ('<meta name="ColumnName" content="{$ColumnName}">', None, None),
        ('<meta name="ColumnName" content="null">', None, None),
        # empty or absent
        ('<meta name="SiteName" content=""><meta name="ColumnName" content="  ">', None, None),
        ("", None, None),
    ],
)
def test_site_name_and_column_from_meta(
    metas: str, site_name: str | None, column: str | None
) -> None:
    fields = extract_article(
        PAGE.format(site="园区", metas=metas), "http://park.example.gov.cn/a.html"
    )
    assert (fields.site_name, fields.column) == (site_name, column)
    assert fields.title == "园区召开推进会"  # nothing else changed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("园区信息", "园区信息"),
        ("  园区\n信息 ", "园区 信息"),
        ("x" * 60, "x" * 60),
        ("x" * 61, None),  # far too long for a name: a description in the wrong tag
        ("[栏目名称]", None),
        ("", None),
        (None, None),
    ],
)
def test_plausible_name(value: str | None, expected: str | None) -> None:
    assert plausible_name(value) == expected


def test_demo_golden_site_name_and_column_match_the_pages() -> None:
    # The two keys added to the demo golden, checked against the demo pages themselves.
    golden = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
    for line in golden.read_text(encoding="utf-8").splitlines():
        expected = json.loads(line)
        page = clean_page((DEMO_SITE / expected["url"].lstrip("/")).read_bytes(), "text/html")
        fields = extract_article(page.html, "http://127.0.0.1:8000" + expected["url"])
        assert (fields.site_name, fields.column) == (expected["site_name"], expected["column"]), (
            expected["url"]
        )
