"""`-O out.csv`: one column per output field, nested fields (participants, authors, keywords,
breadcrumb, breadcrumb_urls, media …) as JSON text; the csv module and DuckDB read back the
JSONL's rows (issue 17)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from parkcrawl.items import output_fields
from tests.support import CrawlRun, run_crawl

NESTED = {"breadcrumb", "participants", "quality_flags", "media", "authors", "keywords",
          "breadcrumb_urls"}


@pytest.fixture(scope="module")
def both(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlRun, Path]:
    """One demo crawl writing the JSONL and, beside it, a CSV feed of the same items."""
    tmp = tmp_path_factory.mktemp("csv")
    csv_path = tmp / "out.csv"
    run = run_crawl(tmp, "-a", f"start_url={demo_site_url}/index.html", "-O", str(csv_path))
    assert run.returncode == 0, run.stderr[-3000:]
    return run, csv_path


def as_jsonl_value(name: str, cell: str) -> object:
    """A CSV cell back to the JSONL's value: nested fields are JSON, empty cells null."""
    if name in NESTED:
        return json.loads(cell)
    if cell == "":
        return None
    return int(cell) if name == "revision" else cell


def test_the_csv_has_every_field_and_the_jsonl_rows(both: tuple[CrawlRun, Path]) -> None:
    run, csv_path = both
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == output_fields()
        rows = list(reader)
    assert len(rows) == len(run.items) == 29
    by_url = {item["url"]: item for item in run.items}
    for row in rows:
        item = by_url[row["url"]]
        for name in output_fields():
            assert as_jsonl_value(name, row[name]) == item[name], (row["url"], name)


def test_nested_fields_are_json_text_not_python_repr(both: tuple[CrawlRun, Path]) -> None:
    _, csv_path = both
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = {row["url"].rsplit("/", 1)[1]: row for row in csv.DictReader(fh)}
    row = rows["t20241218_10247.html"]
    # the mirror page's credit line, Simplified, as JSON with the characters unescaped
    assert row["authors"] == '[{"name":"许晴","role":"作者"},{"name":"蒋帆","role":"摄影"}]'
    assert row["keywords"] == '["苏锡通","园区","园区信息"]'
    assert rows["t20241204_10241.html"]["breadcrumb_urls"] == "[null,null,null]"


def test_duckdb_reads_the_csv_as_the_jsonl(both: tuple[CrawlRun, Path]) -> None:
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (it is in the test extra)")
    run, csv_path = both
    con = duckdb.connect()
    rel = con.sql(
        f"SELECT url, json_extract_string(authors, '$[*].name') AS names, "
        f"CAST(json_array_length(breadcrumb_urls) AS INTEGER) AS crumbs "
        f"FROM read_csv('{csv_path}', header = true, all_varchar = true) ORDER BY url"
    )
    got = rel.fetchall()
    expected = sorted(
        (item["url"], [a["name"] for a in item["authors"]], len(item["breadcrumb_urls"]))
        for item in run.items
    )
    assert got == expected
