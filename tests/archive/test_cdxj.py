"""CDXJ index pieces: file names, timestamps, and lines for a hand-made WARC."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parkcrawl.archive.cdxj import StreamedIndex, cdxj_path, index_lines, write_index
from parkcrawl.archive.warc import Exchange, WarcWriter


@pytest.mark.parametrize(
    ("warc", "index"),
    [
        ("out/parknews-20241213090000-00000.warc.gz", "out/parknews-20241213090000-00000.cdxj"),
        ("a.warc", "a.cdxj"),  # uncompressed WARC (not written by us, still indexable)
    ],
)
def test_cdxj_path(warc: str, index: str) -> None:
    assert cdxj_path(Path(warc)) == Path(index)


def test_index_of_a_hand_made_warc(tmp_path: Path) -> None:
    # WARC/1.1 fractions of a second are dropped from the 14-digit timestamp
    when = datetime(2024, 12, 13, 9, 0, 0, 123456, tzinfo=UTC)
    writer = WarcWriter(tmp_path, started=when)
    for url, body, kind in [
        ("http://www.Park.example/b.html?z=1&a=2", b"<html>b</html>", "article"),
        ("http://www.Park.example/img/1.png", b"PNG", "media"),
        ("http://www.Park.example/img/2.png", b"PNG", "media"),
    ]:
        writer.write(Exchange(
            url=url, method="GET", request_headers=[], request_body=b"", status=200,
            response_headers=[(b"Content-Type", b"text/html; charset=gbk")], body=body,
            kind=kind, fetched_at=when,
        ))
    [warc] = writer.close()
    index = write_index(warc)
    lines = index.read_text(encoding="utf-8").splitlines()
    assert lines == index_lines(warc)
    parsed = [(line.split(" ", 2)[0], line.split(" ", 2)[1], json.loads(line.split(" ", 2)[2]))
              for line in lines]
    # SURT keys (www. dropped, host reversed, query sorted), sorted; requests not indexed
    assert [(key, stamp) for key, stamp, _ in parsed] == [
        ("example,park)/b.html?a=2&z=1", "20241213090000"),
        ("example,park)/img/1.png", "20241213090000"),
        ("example,park)/img/2.png", "20241213090000"),
    ]
    first, png, revisit = (entry for _, _, entry in parsed)
    assert first["mime"] == "text/html" and first["status"] == "200"
    assert first["filename"] == warc.name
    assert first["digest"].startswith("sha1:")  # as WARC-Payload-Digest has it
    # the revisit carries its own status (pywb's own indexer leaves it out) and the original's
    # digest, by which replay finds the payload
    assert revisit["mime"] == "warc/revisit" and revisit["status"] == "200"
    assert revisit["digest"] == png["digest"]


def test_index_spilled_in_sorted_runs_is_the_same_sorted_index(tmp_path: Path) -> None:
    # A buffer of one character spills every line to its own sorted run: the merged index must
    # still be sorted, whole and without repeats (the streamed form a 50,000-article run takes).
    when = datetime(2024, 12, 13, 9, 0, 0, tzinfo=UTC)
    writer = WarcWriter(tmp_path, started=when)
    for name in ("c", "a", "d", "b"):
        writer.write(Exchange(
            url=f"http://park.example/{name}.html", method="GET", request_headers=[],
            request_body=b"", status=200, response_headers=[(b"Content-Type", b"text/html")],
            body=f"<html>{name}</html>".encode(), kind="article", fetched_at=when,
        ))
    [warc] = writer.close()
    lines = write_index(warc, sort_buffer=1).read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "example,park)/a.html", "example,park)/b.html", "example,park)/c.html",
        "example,park)/d.html",
    ]
    assert lines == index_lines(warc)


def _exchange(url: str, body: bytes, headers: list[tuple[bytes, bytes]], *, status: int = 200,
              kind: str = "article") -> Exchange:
    return Exchange(
        url=url, method="GET", request_headers=[], request_body=b"", status=status,
        response_headers=headers, body=body, kind=kind,
        fetched_at=datetime(2024, 12, 13, 9, 0, 0, 250000, tzinfo=UTC),
    )


def test_index_made_while_writing_is_the_indexers_index_of_the_file(tmp_path: Path) -> None:
    # Issue 16: the index is made as the records are written instead of by reading the file back.
    # It must be, line for line, what cdxj-indexer makes of the finished file: revisits, a media
    # type with parameters and odd spacing, none at all, an empty one, a 404, a query to sort.
    made: list[StreamedIndex] = []

    def factory(path: Path) -> StreamedIndex:
        made.append(StreamedIndex(path))
        return made[-1]

    writer = WarcWriter(tmp_path, index_factory=factory)
    exchanges = [
        _exchange("http://www.Park.example/b.html?z=1&a=2", b"<html>b</html>",
                  [(b"Content-Type", b"text/html; charset=gbk")]),
        _exchange("http://park.example/img/1.png", b"PNG", [(b"content-type", b" image/png ")],
                  kind="media"),
        _exchange("http://park.example/img/2.png", b"PNG", [(b"Content-Type", b"image/png")],
                  kind="media"),
        _exchange("http://park.example/none", b"x", []),
        _exchange("http://park.example/empty", b"y", [(b"Content-Type", b"")]),
        _exchange("http://park.example/gone", b"", [(b"Content-Type", b"text/html")], status=404),
    ]
    for exchange in exchanges:
        writer.write(exchange)
    [warc] = writer.close()
    [index] = made
    assert index.exact
    lines = index.write().read_text(encoding="utf-8").splitlines()
    assert lines == index_lines(warc)
    by_url = {json.loads(line.split(" ", 2)[2])["url"]: json.loads(line.split(" ", 2)[2])
              for line in lines}
    assert [by_url[url].get("mime") for url in (
        "http://park.example/img/1.png", "http://park.example/img/2.png",
        "http://park.example/none", "http://park.example/empty", "http://park.example/gone",
    )] == ["image/png", "warc/revisit", None, "", "text/html"]
    assert by_url["http://park.example/gone"]["status"] == "404"
    assert lines[0].split(" ", 2)[:2] == ["example,park)/b.html?a=2&z=1", "20241213090000"]


def test_index_made_while_writing_falls_back_to_reading_the_file(tmp_path: Path) -> None:
    # A URL that does not read back as written (the reader strips the trailing space): the file
    # is read back, as before, and its index keys the URL as read.
    made: list[StreamedIndex] = []
    writer = WarcWriter(tmp_path, index_factory=lambda path: made.append(StreamedIndex(path))
                        or made[-1])
    writer.write(_exchange("http://park.example/a.html", b"a", [(b"Content-Type", b"text/html")]))
    writer.write(_exchange("http://park.example/b.html ", b"b", [(b"Content-Type", b"text/html")]))
    [warc] = writer.close()
    assert not made[0].exact
    lines = made[0].write().read_text(encoding="utf-8").splitlines()
    assert lines == index_lines(warc)
    assert [json.loads(line.split(" ", 2)[2])["url"] for line in lines] == [
        "http://park.example/a.html", "http://park.example/b.html",
    ]


def test_streamed_index_spilled_in_sorted_runs(tmp_path: Path) -> None:
    made: list[StreamedIndex] = []
    writer = WarcWriter(tmp_path, index_factory=lambda path: made.append(
        StreamedIndex(path, sort_buffer=1)) or made[-1])
    for name in ("c", "a", "d", "b", "a"):
        writer.write(_exchange(f"http://park.example/{name}.html", name.encode(), []))
    [warc] = writer.close()
    lines = made[0].write().read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "example,park)/a.html", "example,park)/a.html", "example,park)/b.html",
        "example,park)/c.html", "example,park)/d.html",
    ]
    assert lines == index_lines(warc)
