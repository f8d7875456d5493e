"""The WARC files of a real demo crawl: valid for warcio, complete, byte-faithful, indexed."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.archive.conftest import ArchivedCrawl
from tests.support import DEMO_SITE

WARCIO = Path(sys.executable).parent / "warcio"
FILE_NAME = re.compile(r"^parknews-\d{14}-00000\.warc\.gz$")
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def records(warc: Path) -> list[dict]:
    """Every record of a WARC file with its headers and raw payload."""
    out = []
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream):
            out.append({
                "type": record.rec_type,
                "warc": record.rec_headers,
                "http": record.http_headers,
                "payload": record.raw_stream.read(),
            })
    return out


@pytest.fixture(scope="module")
def all_records(archived_crawl: ArchivedCrawl) -> list[dict]:
    return [r for warc in archived_crawl.warcs for r in records(warc)]


def site_file(url: str) -> Path:
    return DEMO_SITE / urlsplit(url).path.lstrip("/")


def kind(record: dict) -> str:
    return record["warc"].get_header("Parkcrawl-Page-Kind")


def test_one_finished_warc_file_with_its_index(archived_crawl: ArchivedCrawl) -> None:
    names = sorted(p.name for p in archived_crawl.warc_dir.iterdir())
    assert len(archived_crawl.warcs) == 1
    warc = archived_crawl.warcs[0].name
    assert FILE_NAME.match(warc), warc
    # no `.open` file left behind: the file was finished and renamed
    assert names == sorted([warc, warc.replace(".warc.gz", ".cdxj")])


def test_warcio_check_passes(archived_crawl: ArchivedCrawl) -> None:
    proc = subprocess.run(
        [str(WARCIO), "check", "-v", *map(str, archived_crawl.warcs)], check=False, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "digest pass" in proc.stdout
    assert "fail" not in proc.stdout.lower()


def test_warcio_index_lists_every_record(archived_crawl: ArchivedCrawl) -> None:
    proc = subprocess.run(
        [str(WARCIO), "index", "-f", "warc-type,warc-target-uri", *map(str, archived_crawl.warcs)],
        check=False, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    types = Counter(json.loads(line)["warc-type"] for line in proc.stdout.splitlines())
    # 36 pages (robots.txt, home, 动态要闻 landing, 3 list pages, 29 articles, the dead link) and
    # 8 media files holding 2 distinct payloads (5 identical PNGs, 3 identical PDFs).
    assert types == {"warcinfo": 1, "response": 38, "revisit": 6, "request": 44}


def test_every_page_kind_is_recorded(all_records: list[dict]) -> None:
    kinds = Counter(kind(r) for r in all_records if r["type"] in ("response", "revisit"))
    assert kinds == {"robots": 1, "section": 2, "listing": 3, "article": 30, "media": 8}


def test_requests_follow_their_response_and_point_at_it(all_records: list[dict]) -> None:
    for before, record in itertools.pairwise(all_records):
        if record["type"] != "request":
            continue
        assert before["type"] in ("response", "revisit")
        assert record["warc"].get_header("WARC-Concurrent-To") == before["warc"].get_header(
            "WARC-Record-ID"
        )
        for name in ("WARC-Target-URI", "WARC-Date"):
            assert record["warc"].get_header(name) == before["warc"].get_header(name)
        path = urlsplit(record["warc"].get_header("WARC-Target-URI")).path
        assert record["http"].protocol == "GET"
        assert record["http"].statusline == f"{path} HTTP/1.1"
        assert record["http"].get_header("User-Agent").startswith("parkcrawl/")
        assert record["http"].get_header("Host") == urlsplit(
            record["warc"].get_header("WARC-Target-URI")
        ).netloc


def test_each_article_payload_is_the_bytes_the_server_sent(all_records: list[dict]) -> None:
    articles = [
        r for r in all_records
        if r["type"] == "response" and kind(r) == "article" and r["http"].get_statuscode() == "200"
    ]
    assert len(articles) == 29
    for record in articles:
        url = record["warc"].get_header("WARC-Target-URI")
        assert record["payload"] == site_file(url).read_bytes(), url
        # the page's own bytes, whatever their encoding: GBK pages stay GBK
        assert record["http"].get_header("Content-Length") == str(len(record["payload"]))


def test_status_lines_and_headers_are_the_real_ones(all_records: list[dict]) -> None:
    dead = [
        r for r in all_records
        if r["type"] == "response" and r["warc"].get_header("WARC-Target-URI").endswith("_10180.html")
    ]
    assert len(dead) == 1
    assert dead[0]["http"].protocol == "HTTP/1.1"
    # Scrapy keeps the code, not the reason phrase (the server said "File not found"): the
    # phrase is the standard one.
    assert dead[0]["http"].statusline == "404 Not Found"
    page = next(r for r in all_records if r["type"] == "response" and kind(r) == "article")
    names = {name.lower() for name, _ in page["http"].headers}
    # what Python's http.server sends, every one kept
    assert {"server", "date", "content-type", "content-length", "last-modified", "etag"} <= names
    assert page["http"].get_header("Content-Type") == "text/html"  # no charset: as served


def test_robots_txt_is_archived(all_records: list[dict]) -> None:
    robots = [r for r in all_records if r["type"] == "response" and kind(r) == "robots"]
    assert len(robots) == 1
    assert robots[0]["payload"] == (DEMO_SITE / "robots.txt").read_bytes()


def test_repeated_media_payloads_are_revisits(all_records: list[dict]) -> None:
    media = [r for r in all_records if kind(r) == "media" and r["type"] != "request"]
    originals = {r["warc"].get_header("WARC-Target-URI"): r for r in media if r["type"] == "response"}
    revisits = [r for r in media if r["type"] == "revisit"]
    assert len(originals) == 2 and len(revisits) == 6
    for url, record in originals.items():
        assert record["payload"] == site_file(url).read_bytes()
    for record in revisits:
        assert record["payload"] == b""
        assert record["warc"].get_header("WARC-Profile") == REVISIT_PROFILE
        original = originals[record["warc"].get_header("WARC-Refers-To-Target-URI")]
        assert record["warc"].get_header("WARC-Payload-Digest") == original["warc"].get_header(
            "WARC-Payload-Digest"
        )
        # the revisit's own URL serves the same bytes as the original
        url = record["warc"].get_header("WARC-Target-URI")
        assert site_file(url).read_bytes() == original["payload"]
        assert record["http"].get_statuscode() == "200"


def test_warcinfo_names_the_software_and_the_crawl(
    all_records: list[dict], archived_crawl: ArchivedCrawl
) -> None:
    info = all_records[0]
    assert info["type"] == "warcinfo"
    fields = dict(
        line.split(": ", 1) for line in info["payload"].decode("utf-8").splitlines() if line
    )
    assert fields["software"].startswith("parkcrawl/0.")
    assert "Scrapy 2." in fields["software"] and "warcio 1." in fields["software"]
    assert fields["robots"] == "obey"
    settings = json.loads(fields["parkcrawl-settings"])
    assert settings["PARKCRAWL_WARC_DIR"] == str(archived_crawl.warc_dir)
    assert settings["PARKCRAWL_PATH"] == "动态要闻/园区信息"
    arguments = json.loads(fields["parkcrawl-spider-arguments"])
    assert arguments["start_url"] == f"{archived_crawl.base_url}/index.html"


def test_cdxj_index_points_at_every_response_and_revisit(archived_crawl: ArchivedCrawl) -> None:
    warc = archived_crawl.warcs[0]
    lines = warc.with_name(warc.name.replace(".warc.gz", ".cdxj")).read_text("utf-8").splitlines()
    assert len(lines) == 44
    assert lines == sorted(lines)
    with open(warc, "rb") as stream:
        for line in lines:
            key, timestamp, body = line.split(" ", 2)
            entry = json.loads(body)
            assert re.fullmatch(r"\d{14}", timestamp)
            assert key.startswith("1,0,0,127:")  # SURT of 127.0.0.1:port
            assert entry["filename"] == warc.name
            stream.seek(int(entry["offset"]))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]


def test_articles_list_their_media(archived_crawl: ArchivedCrawl) -> None:
    base = archived_crawl.base_url
    by_url = {item["url"]: item for item in archived_crawl.run.items}
    assert by_url[f"{base}/dtyw/yqxx/202411/t20241113_10232.html"]["media"] == [
        {"url": f"{base}/uploads/images/202411/p20241113_01.png", "type": "image",
         "caption": "图为调研现场。"},
    ]
    assert by_url[f"{base}/dtyw/yqxx/202410/t20241016_10220.html"]["media"] == [
        {"url": f"{base}/uploads/files/202410/W020241016_kjcx.pdf", "type": "attachment",
         "caption": "园区科技创新奖励办法(2024)"},
    ]
    # 5 articles with a picture, 3 with an attachment; none lists the logo or the footer badges
    assert sum(bool(item["media"]) for item in by_url.values()) == 8
