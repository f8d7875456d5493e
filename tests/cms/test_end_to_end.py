"""The real spider against the Hanweb and TRS demo sites on 127.0.0.1, line by line against
hand-written golden files (fixtures/*/articles.toml → tests/golden/*_parknews.jsonl)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.support import ROOT, CrawlRun, run_crawl
from tools.cms_server import Hit, RunningSite

COMPARED_FIELDS = [
    "url",
    "title",
    "body",
    "published_at",
    "breadcrumb",
    "participants",
    "source",
    "content_hash",
    "encoding",
    "script",
    "site_name",
    "column",
    # schema 1.3
    "channel",
    "canonical_url",
    "language",
    "authors",
    "description",
    "keywords",
    "modified_at",
    "breadcrumb_urls",
]
SITES = ["hanweb", "trs"]


def load_golden(name: str, base_url: str) -> dict[str, dict]:
    path = ROOT / "tests" / "golden" / f"{name}_parknews.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    # The golden's URLs are paths on the fixture site: prefix the server's origin.
    return {
        base_url + line["url"]: {
            **line,
            "url": base_url + line["url"],
            "canonical_url": base_url + line["canonical_url"],
            "breadcrumb_urls": [
                None if path is None else base_url + path for path in line["breadcrumb_urls"]
            ],
        }
        for line in lines
    }


@pytest.fixture(scope="module")
def crawls(
    hanweb_site: RunningSite, trs_site: RunningSite, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[CrawlRun, list[Hit], RunningSite]]:
    """One crawl of each site, with the requests each server answered during it."""
    out = {}
    for name, site in (("hanweb", hanweb_site), ("trs", trs_site)):
        before = len(site.requests)
        run = run_crawl(tmp_path_factory.mktemp(name), "-a", f"start_url={site.url}/index.html")
        out[name] = (run, site.requests[before:], site)
    return out


@pytest.mark.parametrize("name", SITES)
def test_crawl_exits_zero(crawls: dict, name: str) -> None:
    run = crawls[name][0]
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.mark.parametrize("name", SITES)
def test_emits_exactly_the_section_articles_once(crawls: dict, name: str) -> None:
    run, _, site = crawls[name]
    urls = [item["url"] for item in run.items]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert sorted(urls) == sorted(load_golden(name, site.url))


@pytest.mark.parametrize("name", SITES)
def test_every_line_matches_the_golden_file_field_by_field(crawls: dict, name: str) -> None:
    run, _, site = crawls[name]
    golden = load_golden(name, site.url)
    mismatches = []
    for item in run.items:
        expected = golden.get(item["url"])
        if expected is None:
            continue  # reported by the membership test
        for field in COMPARED_FIELDS:
            if item.get(field) != expected.get(field):
                mismatches.append(
                    f"{item['url']} {field}: got {item.get(field)!r}, expected {expected.get(field)!r}"
                )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", SITES)
def test_every_line_validates_against_the_schema(
    crawls: dict, name: str, article_schema: dict
) -> None:
    for item in crawls[name][0].items:
        jsonschema.validate(item, article_schema)


@pytest.mark.parametrize("name", SITES)
def test_nothing_dropped_nothing_failed(crawls: dict, name: str) -> None:
    report = crawls[name][0].report
    assert report is not None
    assert report["dropped"] == []
    assert report["failure"] is None
    assert all(hit.status == 200 for hit in crawls[name][1])


def test_hanweb_pages_through_the_dataproxy_module(crawls: dict) -> None:
    _, hits, _ = crawls["hanweb"]
    posts = [hit.path for hit in hits if hit.method == "POST"]
    # page 1 (records 1-4) is in the page's datastore; jpage asks for groups of 2 pages of 4,
    # up to the 15 records the column has -- no request past the end
    assert posts == [
        "/module/web/jpage/dataproxy.jsp?startrecord=5&endrecord=12&perpage=4",
        "/module/web/jpage/dataproxy.jsp?startrecord=13&endrecord=15&perpage=4",
    ]
    lists = [hit.path for hit in hits if hit.method == "GET" and hit.path.startswith("/col/")]
    assert lists == ["/col/col2102/index.html", "/col/col2111/index.html"]


def test_hanweb_never_fetches_the_hot_box_or_other_columns(crawls: dict) -> None:
    _, hits, _ = crawls["hanweb"]
    articles = {hit.path for hit in hits if hit.path.startswith("/art/")}
    # the 热点信息 box links 部门动态 and 通知公告 articles; only the referenced 4990 belongs
    assert not {path for path in articles if "_2113_" in path}
    assert {path for path in articles if "_2112_" in path} == {"/art/2024/11/25/art_2112_4990.html"}


def test_trs_walks_exactly_the_pages_create_page_html_names(crawls: dict) -> None:
    _, hits, _ = crawls["trs"]
    lists = sorted(
        hit.path for hit in hits if hit.path.startswith("/dtyw/yqxx/") and "/20" not in hit.path
    )
    # entered by the column's directory URL (page 0), then index_1 and index_2 -- not index.html
    # again, and not index_3.html, one page too far
    assert lists == ["/dtyw/yqxx/", "/dtyw/yqxx/index_1.html", "/dtyw/yqxx/index_2.html"]
    assert not [hit.path for hit in hits if "/bmdt/" in hit.path or "/mtgz/" in hit.path]


@pytest.mark.parametrize("name", SITES)
def test_summary_is_logged(crawls: dict, name: str) -> None:
    assert "articles written:" in crawls[name][0].stderr
