"""WarcWriter on hand-made exchanges: rotation, naming, bytes kept as sent, revisits."""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from parkcrawl.archive.extension import WarcArchive, page_kind
from parkcrawl.archive.records import iter_responses, parse_walked
from parkcrawl.archive.warc import (
    ARCHIVE_KIND_KEY,
    Exchange,
    WarcWriter,
    status_line,
    walked_field,
)

WARCIO = Path(sys.executable).parent / "warcio"
STARTED = datetime(2024, 12, 13, 9, 0, 0, tzinfo=UTC)
HTML = "<html><head><title>园区信息</title></head><body><p>正文</p></body></html>".encode()


def exchange(url: str = "http://park.example/a.html", body: bytes = HTML, **kw: object) -> Exchange:
    headers = kw.pop("response_headers", [(b"Content-Type", b"text/html")])
    return Exchange(
        url=url, method="GET", request_headers=[(b"User-Agent", b"parkcrawl/test")],
        request_body=b"", status=kw.pop("status", 200),  # type: ignore[arg-type]
        response_headers=headers,  # type: ignore[arg-type]
        body=body, fetched_at=STARTED, **kw,  # type: ignore[arg-type]
    )


def types_of(warc: Path) -> list[str]:
    with open(warc, "rb") as stream:
        return [record.rec_type for record in ArchiveIterator(stream)]


def raw_records(warc: Path) -> bytes:
    return gzip.decompress(warc.read_bytes())


def test_files_rotate_at_the_size_limit_each_with_warcinfo(tmp_path: Path) -> None:
    closed: list[Path] = []
    writer = WarcWriter(tmp_path, max_size=1, started=STARTED, on_close=closed.append)
    for n in range(3):
        writer.write(exchange(f"http://park.example/{n}.html"))
    files = writer.close()
    assert [p.name for p in files] == [
        "parknews-20241213090000-00000.warc.gz",
        "parknews-20241213090000-00001.warc.gz",
        "parknews-20241213090000-00002.warc.gz",
    ]
    assert closed == files
    assert sorted(tmp_path.iterdir()) == files  # no .open file left
    for warc in files:
        assert types_of(warc) == ["warcinfo", "response", "request"]


def test_under_the_limit_one_file_holds_everything(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, started=STARTED)
    for n in range(3):
        writer.write(exchange(f"http://park.example/{n}.html"))
    [warc] = writer.close()
    assert types_of(warc) == ["warcinfo"] + ["response", "request"] * 3


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / "parknews-20241213090000-00000.warc.gz"
    taken.write_bytes(b"another run's archive")
    writer = WarcWriter(tmp_path, started=STARTED)
    writer.write(exchange())
    assert [p.name for p in writer.close()] == ["parknews-20241213090000-00001.warc.gz"]
    assert taken.read_bytes() == b"another run's archive"


def test_nothing_written_means_no_file(tmp_path: Path) -> None:
    assert WarcWriter(tmp_path / "warc").close() == []
    assert not (tmp_path / "warc").exists()


def test_gzip_content_encoding_is_stored_as_sent_and_read_back_decoded(tmp_path: Path) -> None:
    compressed = gzip.compress(HTML)
    writer = WarcWriter(tmp_path, started=STARTED)
    writer.write(exchange(body=compressed, response_headers=[
        (b"Content-Type", b"text/html; charset=utf-8"), (b"Content-Encoding", b"gzip"),
        (b"Content-Length", str(len(compressed)).encode()),
    ]))
    [response] = iter_responses(writer.close())
    assert response.raw_payload == compressed
    assert response.body == HTML


def test_chunked_transfer_is_stored_as_one_chunk(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, started=STARTED)
    writer.write(exchange(response_headers=[
        (b"Content-Type", b"text/html"), (b"Transfer-Encoding", b"chunked"),
    ]))
    files = writer.close()
    [response] = iter_responses(files)
    assert response.raw_payload == b"%x\r\n%s\r\n0\r\n\r\n" % (len(HTML), HTML)
    assert response.body == HTML
    proc = subprocess.run([str(WARCIO), "check", *map(str, files)], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_header_bytes_and_repeated_headers_are_kept(tmp_path: Path) -> None:
    # A GBK file name in Content-Disposition, as Chinese CMSs send it, and two Set-Cookie lines.
    disposition = 'attachment; filename="附件一.pdf"'.encode("gbk")
    writer = WarcWriter(tmp_path, started=STARTED)
    writer.write(exchange(response_headers=[
        (b"Content-Type", b"application/pdf"), (b"Content-Disposition", disposition),
        (b"Set-Cookie", b"a=1"), (b"Set-Cookie", b"b=2"),
    ]))
    raw = raw_records(writer.close()[0])
    assert b"\r\nContent-Disposition: " + disposition + b"\r\n" in raw
    assert b"\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n" in raw
    assert b"HTTP/1.1 200 OK\r\n" in raw


def test_same_payload_is_a_revisit_for_media_only(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n fake image"
    writer = WarcWriter(tmp_path, started=STARTED)
    assert writer.write(exchange("http://p.example/1.png", png, kind="media")) == "response"
    assert writer.write(exchange("http://p.example/2.png", png, kind="media")) == "revisit"
    # pages are always archived whole: re-extraction and replay read them directly
    assert writer.write(exchange("http://p.example/a.html", HTML, kind="article")) == "response"
    assert writer.write(exchange("http://p.example/b.html", HTML, kind="article")) == "response"
    # a failed answer is never the original a revisit points at
    assert writer.write(exchange("http://p.example/3.png", b"gone", kind="media", status=404)) == "response"
    assert writer.write(exchange("http://p.example/4.png", b"gone", kind="media")) == "response"
    with open(writer.close()[0], "rb") as stream:
        revisit = next(r for r in ArchiveIterator(stream) if r.rec_type == "revisit")
        assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == "http://p.example/1.png"
        assert revisit.rec_headers.get_header("WARC-Refers-To-Date") == "2024-12-13T09:00:00Z"


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (200, "200 OK"),
        (304, "304 Not Modified"),
        (404, "404 Not Found"),
        (503, "503 Service Unavailable"),
        (599, "599"),  # no standard phrase: the code alone
    ],
)
def test_status_line(status: int, line: str) -> None:
    assert status_line(status) == line


def test_walked_path_round_trips_through_an_ascii_field() -> None:
    walked = ["首页", "动态要闻", "园区信息"]
    value = walked_field(walked)
    assert value.isascii() and value.count("/") == 2
    assert parse_walked(value) == walked


@pytest.mark.parametrize(
    ("meta", "url", "kind"),
    [
        ({"parknews_kind": "article"}, "http://p.example/a.html", "article"),
        ({"parknews_kind": "listing"}, "http://p.example/list.html", "listing"),
        ({ARCHIVE_KIND_KEY: "media"}, "http://p.example/a.png", "media"),
        ({"dont_obey_robotstxt": True}, "http://p.example/robots.txt", "robots"),
        ({}, "http://p.example/robots.txt?x=1", "robots"),
        ({}, "http://p.example/sub/robots.txt", "other"),  # not the site's robots.txt
        ({}, "http://p.example/x.css", "other"),
    ],
)
def test_page_kind(meta: dict, url: str, kind: str) -> None:
    assert page_kind(meta, url) == kind


def test_the_extension_is_switched_off_by_its_setting() -> None:
    crawler = get_crawler(settings_dict={"PARKCRAWL_WARC_ENABLED": False})
    with pytest.raises(NotConfigured):
        WarcArchive.from_crawler(crawler)


def test_seen_payloads_are_kept_on_disk_not_in_a_dict(tmp_path: Path) -> None:
    # The digests of a run's responses live in SQLite (a private temporary database), so a
    # 50,000-article run holds no per-response memory for revisits; the first original wins.
    from parkcrawl.archive.warc import SeenPayloads

    seen = SeenPayloads()
    assert seen.get("sha1:AAAA") is None
    seen.setdefault("sha1:AAAA", ("http://p.example/1.png", "2024-12-13T09:00:00Z"))
    seen.setdefault("sha1:AAAA", ("http://p.example/2.png", "2024-12-14T09:00:00Z"))
    assert seen.get("sha1:AAAA") == ("http://p.example/1.png", "2024-12-13T09:00:00Z")
    assert seen._open().execute("PRAGMA temp_store").fetchone() == (1,)  # FILE: paged out
    seen.close()
    assert seen.get("sha1:AAAA") is None
