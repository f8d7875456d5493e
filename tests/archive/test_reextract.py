"""`parkcrawl reextract` over the demo crawl's WARC: the crawl's output again, with no network."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.archive.conftest import ArchivedCrawl
from tests.support import ROOT, validate_lines

# fetched_at is the clock when the page was handled (first_seen_at = fetched_at on a first run):
# the crawl reads it as the spider runs, re-extraction takes the record's WARC-Date.
CLOCK_FIELDS = {"fetched_at", "first_seen_at"}

# Run the CLI with every socket connection refused and report whether a reactor was imported.
OFFLINE = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network used during reextract")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from parkcrawl.cli import main
status = main(sys.argv[1:])
print("reactor imported:", "twisted.internet.reactor" in sys.modules, file=sys.stderr)
raise SystemExit(status)
"""


def reextract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", OFFLINE, "reextract", *args],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def reextracted(archived_crawl: ArchivedCrawl, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp("reextract") / "out.jsonl"
    proc = reextract(*map(str, archived_crawl.warcs), "-O", str(out))
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    items = [json.loads(line) for line in lines]
    validate_lines(items, out)  # reextract writes the published contract too
    return proc, items, lines


def test_reextract_runs_offline_without_a_reactor(reextracted: tuple) -> None:
    proc, _, _ = reextracted
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles written: 29" in proc.stderr
    assert "reactor imported: False" in proc.stderr


def test_reextract_output_equals_the_crawl_output(
    reextracted: tuple, archived_crawl: ArchivedCrawl
) -> None:
    _, items, _ = reextracted
    crawled = {item["url"]: item for item in archived_crawl.run.items}
    again = {item["url"]: item for item in items}
    assert len(items) == len(again) == 29
    assert sorted(again) == sorted(crawled)
    mismatches = [
        f"{url} {field}: crawl {crawled[url][field]!r}, reextract {item.get(field)!r}"
        for url, item in again.items()
        for field in crawled[url]
        if field not in CLOCK_FIELDS and item.get(field) != crawled[url][field]
    ]
    assert not mismatches, "\n".join(mismatches)
    for item in items:
        assert set(item) == set(crawled[item["url"]])


def test_reextract_writes_the_feed_format(reextracted: tuple, archived_crawl: ArchivedCrawl) -> None:
    _, items, lines = reextracted
    # same field order as the crawl's feed, UTF-8 not \\u-escaped
    assert list(items[0]) == list(archived_crawl.run.items[0])
    assert any("园区" in line for line in lines)
    for item in items:
        assert item["fetched_at"].endswith("Z") and item["first_seen_at"] == item["fetched_at"]


def test_reextract_takes_a_folder(archived_crawl: ArchivedCrawl, tmp_path: Path) -> None:
    proc = reextract(str(archived_crawl.warc_dir), "-O", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 29


def test_reextract_refuses_a_missing_file(tmp_path: Path) -> None:
    proc = reextract(str(tmp_path / "nothing.warc.gz"), "-O", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 2
    assert "no such WARC file" in proc.stderr


@pytest.mark.e2e
def test_pages_the_crawl_refused_are_refused_again(tmp_path: Path) -> None:
    """The WARC records every page fetched, the ones the crawl refused too: one built to stall a
    parser (2,000 attributes on a tag, PARKCRAWL_MAX_ATTRIBUTES is 1,000) and an image served as an
    article. Re-extraction drops them with the crawl's reasons and writes the crawl's articles."""
    from tests.support import DEMO_SITE, run_crawl
    from tools import fast_server

    golden = sorted(
        json.loads(line)["url"]
        for line in (ROOT / "tests" / "golden" / "demo_parknews.jsonl").read_text().splitlines()
    )
    complex_url, image_url = golden[3], golden[5]
    overlay = tmp_path / "overlay"
    for url in (complex_url, image_url):
        (overlay / url.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    attributes = " ".join(f'data-a{i}="1"' for i in range(2000))
    (overlay / complex_url.lstrip("/")).write_text(
        '<html><head><meta charset="utf-8"><title>园区召开会议</title></head><body>'
        f'<h1>园区召开重点项目推进会议</h1><div class="content" {attributes}><p>园区召开重点项目'
        "推进会议，管委会主任王明出席并讲话。</p></div></body></html>", encoding="utf-8",
    )
    (overlay / image_url.lstrip("/")).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with fast_server.serve(overlay, DEMO_SITE) as site_url:
        crawl = run_crawl(tmp_path / "crawl", "-a", f"start_url={site_url}/index.html")
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert crawl.report is not None
    assert {d["url"].removeprefix(site_url): d["reason"] for d in crawl.report["dropped"]
            if d["url"].removeprefix(site_url) in (complex_url, image_url)} == {
        complex_url: "too complex", image_url: "not HTML"}
    out = tmp_path / "again.jsonl"
    proc = reextract(str(tmp_path / "crawl" / "warc"), "-O", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = sorted(json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines())
    assert again == sorted(item["url"] for item in crawl.items)
    assert "dropped, too complex: 1" in proc.stderr
    assert "dropped, not HTML: 1" in proc.stderr
    assert "reactor imported: False" in proc.stderr
