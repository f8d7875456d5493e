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
