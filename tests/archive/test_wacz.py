"""WACZ files: written at the end of a run (PARKCRAWL_WACZ_ENABLED) and by `parkcrawl wacz`.

Checked with py-wacz's `wacz validate`, and member by member against the WACZ 1.1.1 layout.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from parkcrawl.archive.wacz import Page, main_wacz, pages_from_lines, zipnum_index
from parkcrawl.archive.warc import Exchange, WarcWriter
from tests.archive.conftest import WaczCrawl
from tests.archive.demo_articles import DEMO_ARTICLES

BIN = Path(sys.executable).parent
MEMBERS = {"indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl", "datapackage.json",
           "datapackage-digest.json"}


def validate(wacz: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "wacz"), "validate", "-f", str(wacz)], check=False,
                          capture_output=True, text=True, timeout=300)


def pages_of(wacz: Path) -> tuple[dict, list[dict]]:
    with zipfile.ZipFile(wacz) as package:
        header, *pages = package.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return json.loads(header), [json.loads(line) for line in pages]


def by_path(pages: list[dict]) -> dict[str, tuple[str, str]]:
    return {urlsplit(p["url"]).path: (p["title"], p["published_at"]) for p in pages}


def run_wacz(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    return main_wacz(list(argv), stderr=err), err.getvalue()


def test_the_runs_wacz_is_valid_and_listed_in_the_report(wacz_crawl: WaczCrawl) -> None:
    wacz = wacz_crawl.wacz
    [warc] = sorted(wacz_crawl.warc_dir.glob("*.warc.gz"))
    # named after the run's WARC files: parknews-<timestamp>.wacz
    assert wacz.name == warc.name.replace("-00000.warc.gz", ".wacz")
    proc = validate(wacz)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation succeeded, the passed WACZ is valid" in proc.stdout
    assert wacz_crawl.run.report is not None
    assert wacz_crawl.run.report["output_files"]["wacz"] == [str(wacz)]


def test_the_runs_wacz_lists_every_article_with_title_and_date(wacz_crawl: WaczCrawl) -> None:
    header, pages = pages_of(wacz_crawl.wacz)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
    assert by_path(pages) == DEMO_ARTICLES
    assert len(pages) == 29
    # newest first; ts is the capture time, to the second, as the index's timestamps have it
    assert [p["published_at"][:10] for p in pages][:2] == ["2024-12-20", "2024-12-18"]
    assert all(len(p["ts"]) == 20 and p["ts"].endswith("Z") for p in pages)
    assert len({p["id"] for p in pages}) == 29


def test_the_zip_holds_the_warc_stored_and_hashes_that_match(wacz_crawl: WaczCrawl) -> None:
    [warc] = sorted(wacz_crawl.warc_dir.glob("*.warc.gz"))
    with zipfile.ZipFile(wacz_crawl.wacz) as package:
        infos = {info.filename: info for info in package.infolist()}
        assert set(infos) == MEMBERS | {f"archive/{warc.name}"}
        # stored, so that a client reads WARC records by range inside the zip
        assert infos[f"archive/{warc.name}"].compress_type == zipfile.ZIP_STORED
        assert package.read(f"archive/{warc.name}") == warc.read_bytes()
        datapackage = json.loads(package.read("datapackage.json"))
        assert datapackage["wacz_version"] == "1.1.1"
        assert datapackage["software"].startswith("parkcrawl ")
        for resource in datapackage["resources"]:
            data = package.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        assert {r["path"] for r in datapackage["resources"]} == set(infos) - {
            "datapackage.json", "datapackage-digest.json"}
        digest = json.loads(package.read("datapackage-digest.json"))
        assert digest["hash"] == "sha256:" + hashlib.sha256(
            package.read("datapackage.json")).hexdigest()
        assert infos["indexes/index.cdx.gz"].compress_type == zipfile.ZIP_STORED
        blocks = package.read("indexes/index.cdx.gz")
        idx = package.read("indexes/index.idx").decode("utf-8").splitlines()
    # the same lines as the CDXJ index written beside the WARC, in one gzip block (< 1024 lines)
    own = warc.with_name(warc.name.replace(".warc.gz", ".cdxj")).read_text("utf-8")
    assert gzip.decompress(blocks).decode("utf-8") == own
    assert idx[0] == '!meta 0 {"format": "cdxj-gzip-1.0", "filename": "index.cdx.gz"}'
    [block] = idx[1:]
    key, stamp, entry = block.split(" ", 2)
    assert f"{key} {stamp} " == own[: own.index("{")]  # the block's first line's key
    assert json.loads(entry) == {"offset": 0, "length": len(blocks),
                                 "digest": "sha256:" + hashlib.sha256(blocks).hexdigest()}


def test_a_zipnum_index_of_many_blocks() -> None:
    lines = [f"com,example)/{n:05d} 20241213090000 {{\"url\": \"http://example.com/{n:05d}\"}}"
             for n in range(2049)]
    data, idx = zipnum_index(lines)
    header, *blocks = idx.decode("utf-8").splitlines()
    # 1024 + 1024 + 1 lines; each .idx line: the block's first key, its offset and length
    assert [line.split(" ", 1)[0] for line in blocks] == [
        "com,example)/00000", "com,example)/01024", "com,example)/02048"]
    offsets = [json.loads(line.split(" ", 2)[2]) for line in blocks]
    assert [o["offset"] for o in offsets] == [0, offsets[0]["length"],
                                              offsets[0]["length"] + offsets[1]["length"]]
    assert sum(o["length"] for o in offsets) == len(data)
    last = data[offsets[2]["offset"]:]
    assert gzip.decompress(last).decode("utf-8") == lines[2048] + "\n"
    assert gzip.decompress(data).decode("utf-8") == "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("with_feed", [True, False], ids=["feed", "pages"])
def test_the_command_lists_every_article(
    wacz_crawl: WaczCrawl, tmp_path: Path, with_feed: bool
) -> None:
    out = tmp_path / "demo.wacz"
    feed = ["--feed", str(wacz_crawl.feed)] if with_feed else []
    status, err = run_wacz(str(wacz_crawl.warc_dir), *feed, "--out", str(out))
    assert status == 0, err
    assert err == f"{out}: 1 WARC files, 44 index lines, 29 articles\n"
    assert validate(out).returncode == 0
    # without the feed, titles and dates are extracted from the archived pages as the crawl does
    assert by_path(pages_of(out)[1]) == DEMO_ARTICLES


def test_feed_articles_with_no_capture_are_reported(wacz_crawl: WaczCrawl, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = wacz_crawl.feed.read_text("utf-8").splitlines()[:2]
    extra = {"url": f"{wacz_crawl.base_url}/dtyw/yqxx/209901/t20990101_1.html", "title": "未抓取"}
    feed.write_text("\n".join([*lines, json.dumps(extra, ensure_ascii=False)]) + "\n", "utf-8")
    out = tmp_path / "two.wacz"
    status, err = run_wacz(str(wacz_crawl.warc_dir), "--feed", str(feed), "--out", str(out))
    assert status == 0
    assert err.splitlines() == [
        f"{out}: 1 WARC files, 44 index lines, 2 articles",
        "parkcrawl wacz: 1 feed articles have no capture in these WARC files and are not listed "
        f"(first: {extra['url']})",
    ]


def test_a_broken_feed_line_is_one_line_and_status_2(wacz_crawl: WaczCrawl, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(wacz_crawl.feed.read_text("utf-8").splitlines()[0] + "\n{not json\n", "utf-8")
    out = tmp_path / "x.wacz"
    status, err = run_wacz(str(wacz_crawl.warc_dir), "--feed", str(feed), "--out", str(out))
    assert (status, err) == (
        2, f"parkcrawl wacz: error: {feed}:2: not a JSON line (Expecting property name enclosed "
           "in double quotes)\n")
    assert not out.exists() and not out.with_name("x.wacz.tmp").exists()


def test_an_article_captured_twice_is_listed_once_at_its_latest_capture(tmp_path: Path) -> None:
    def capture(title: str, when: datetime) -> Exchange:
        html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>" \
               f"<p>发布时间：2024-12-13 09:00</p><p>{'正文' * 40}</p></body></html>"
        return Exchange(
            url="http://park.example/a.html", method="GET", request_headers=[], request_body=b"",
            status=200, response_headers=[(b"Content-Type", b"text/html; charset=utf-8")],
            body=html.encode(), kind="article", fetched_at=when,
        )

    first = datetime(2024, 12, 13, 9, 0, 0, 500000, tzinfo=UTC)
    writer = WarcWriter(tmp_path / "warc", started=first)
    writer.write(capture("旧标题", first))
    writer.write(capture("新标题", first + timedelta(days=1)))
    writer.close()
    out = tmp_path / "a.wacz"
    status, err = run_wacz(str(tmp_path / "warc"), "--out", str(out))
    assert status == 0, err
    [page] = pages_of(out)[1]
    assert (page["url"], page["ts"], page["title"]) == (
        "http://park.example/a.html", "2024-12-14T09:00:00Z", "新标题")
    assert validate(out).returncode == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nowhere/"], "parkcrawl wacz: error: no such WARC file or folder: nowhere\n"),
        (["."], "parkcrawl wacz: error: no .warc.gz files in .\n"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_wacz(*argv) == (2, message)
    assert not (tmp_path / "parknews.wacz").exists()


def test_the_last_feed_line_of_a_url_wins_and_uncaptured_are_missing() -> None:
    lines = [
        {"url": "http://park.example/a.html", "title": "旧标题", "published_at": "2024-12-01"},
        {"url": "http://park.example/b.html", "title": "乙"},
        {"url": "http://park.example/a.html", "title": "新标题", "published_at": "2024-12-01"},
        {"title": "no url"},
    ]
    captures = {"http://park.example/a.html": "2024-12-13T09:00:00.123456Z"}
    pages, missing = pages_from_lines(lines, captures)
    assert pages == [Page("http://park.example/a.html", "2024-12-13T09:00:00Z", "新标题",
                          "2024-12-01")]
    assert missing == ["http://park.example/b.html"]


def test_a_page_with_no_title_is_titled_by_its_url() -> None:
    line = Page("http://park.example/a.html", "2024-12-13T09:00:00Z", None).line()
    assert line["title"] == "http://park.example/a.html" and "published_at" not in line
