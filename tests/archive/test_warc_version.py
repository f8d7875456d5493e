"""WARC/1.1 (ISO 28500:2017): the version line of every record, and WARC-Date to the microsecond."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from parkcrawl.archive.warc import Exchange, WarcWriter, warc_date_of
from tests.archive.conftest import ArchivedCrawl

WARCIO = Path(sys.executable).parent / "warcio"
MICRO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (datetime(2024, 12, 13, 9, 0, 0, 123456, tzinfo=UTC), "2024-12-13T09:00:00.123456Z"),
        (datetime(2024, 12, 13, 9, 0, 0, 1, tzinfo=UTC), "2024-12-13T09:00:00.000001Z"),
        # another zone is turned into UTC
        (datetime(2024, 12, 13, 17, 0, 0, 500000, tzinfo=timezone(timedelta(hours=8))),
         "2024-12-13T09:00:00.500000Z"),
        # a whole second has no fraction (ISO 28500:2017 allows any precision)
        (datetime(2024, 12, 13, 9, 0, 0, tzinfo=UTC), "2024-12-13T09:00:00Z"),
    ],
)
def test_warc_date_of(when: datetime, text: str) -> None:
    assert warc_date_of(when) == text


def test_hand_written_records_are_warc_1_1(tmp_path: Path) -> None:
    when = datetime(2024, 12, 13, 9, 0, 0, 654321, tzinfo=UTC)
    writer = WarcWriter(tmp_path, started=when)
    for url in ("http://park.example/1.png", "http://park.example/2.png"):
        writer.write(Exchange(
            url=url, method="GET", request_headers=[], request_body=b"", status=200,
            response_headers=[(b"Content-Type", b"image/png")], body=b"PNG", kind="media",
            fetched_at=when,
        ))
    [warc] = writer.close()
    text = gzip.decompress(warc.read_bytes()).decode("latin-1")
    # warcinfo, response + request, revisit + request: five records, each WARC/1.1
    assert text.count("WARC/1.1\r\n") == 5 and "WARC/1.0" not in text
    with open(warc, "rb") as stream:
        records = [(r.rec_type, r.rec_headers) for r in ArchiveIterator(stream)]
    assert [t for t, _ in records] == ["warcinfo", "response", "request", "revisit", "request"]
    for _, headers in records[1:]:
        assert headers.get_header("WARC-Date") == "2024-12-13T09:00:00.654321Z"
    assert records[3][1].get_header("WARC-Profile") == (
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    )
    proc = subprocess.run([str(WARCIO), "check", str(warc)], check=False, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_crawls_records_are_warc_1_1_with_microsecond_dates(
    archived_crawl: ArchivedCrawl,
) -> None:
    versions, dates = set(), []
    for warc in archived_crawl.warcs:
        with open(warc, "rb") as stream:
            for record in ArchiveIterator(stream):
                versions.add(record.rec_headers.protocol)
                dates.append(record.rec_headers.get_header("WARC-Date"))
    assert versions == {"WARC/1.1"}
    # a fetch at an exact whole second would print no fraction: one in a million
    assert sum(bool(MICRO_DATE.match(date)) for date in dates) >= len(dates) - 1
    assert len(dates) > 80  # the demo crawl: warcinfo and 44 response/request pairs
