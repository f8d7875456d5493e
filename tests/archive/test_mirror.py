"""The plain-file mirror: no URL writes outside the mirror folder; the crawl's pages land there."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from parkcrawl.archive.mirror import MAX_SEGMENT_BYTES, mirror_path, mirror_relpath
from tests.archive.conftest import ArchivedCrawl
from tests.support import DEMO_SITE

LONG = "长" * 300  # 900 UTF-8 bytes: over any filesystem's name limit

CASES = [
    # (url, expected path relative to the mirror folder)
    ("http://park.example/dtyw/yqxx/index.html", "park.example/dtyw/yqxx/index.html"),
    ("http://park.example/", "park.example/index.html"),
    ("http://park.example", "park.example/index.html"),
    ("http://park.example/dtyw/", "park.example/dtyw/index.html"),
    ("http://127.0.0.1:8000/a.html", "127.0.0.1+8000/a.html"),  # port as wget writes it
    ("http://Park.Example/A.html", "park.example/A.html"),  # host case folded, path case kept
    # climbing out with dot segments: resolved, never above the host folder
    ("http://park.example/../../etc/passwd", "park.example/etc/passwd"),
    ("http://park.example/a/b/../../../../x", "park.example/x"),
    ("http://park.example/a/..", "park.example/index.html"),
    ("http://park.example/a/./b", "park.example/a/b"),
    # the same, %-encoded (any case): decoded first, then resolved
    ("http://park.example/%2e%2e/%2E%2E/etc/passwd", "park.example/etc/passwd"),
    ("http://park.example/%2e%2e%2f%2e%2e%2fetc", "park.example/..%2F..%2Fetc"),  # one name
    ("http://park.example/.%2e/x", "park.example/x"),
    ("http://park.example/a%5c..%5c..%5cwin.ini", "park.example/a%5C..%5C..%5Cwin.ini"),
    # absolute paths: the URL path is always below the host folder
    ("http://park.example//etc/passwd", "park.example/etc/passwd"),
    ("http://park.example/%2Fetc%2Fpasswd", "park.example/%2Fetc%2Fpasswd"),
    ("http://park.example/C:/Windows/win.ini", "park.example/C:/Windows/win.ini"),
    # control characters, NUL and % itself are escaped, non-UTF-8 bytes stay %-encoded
    ("http://park.example/a%00b%0A.html", "park.example/a%00b%0A.html"),
    ("http://park.example/100%25.html", "park.example/100%25.html"),
    ("http://park.example/%D4%B0%C7%F8.html", "park.example/%25D4%25B0%25C7%25F8.html"),  # GBK
    # Chinese names readable, queries kept in the name
    ("http://park.example/%E5%9B%AD%E5%8C%BA.html", "park.example/园区.html"),
    ("http://park.example/list.jsp?page=2&col=/../x", "park.example/list.jsp?page=2&col=%2F..%2Fx"),
    ("http://park.example/?id=1", "park.example/index.html?id=1"),
    # a host made of dots
    ("http://../x", "_/x"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_mirror_relpath(url: str, expected: str) -> None:
    assert mirror_relpath(url) == Path(expected)


HOSTILE = [url for url, _ in CASES] + [
    "http://park.example/" + LONG + ".html",
    "http://park.example/" + "/".join([LONG] * 20) + "/x.pdf",
    "http://park.example/" + "a/" * 3000 + "deep.html",
    "http://park.example/" + "../" * 50 + "root.html",
    "http://park.example/" + "%2e%2e/" * 50 + "root.html",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_every_url_stays_inside_the_mirror_folder(url: str, tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    target = mirror_path(url, root)
    assert target.resolve().is_relative_to(root.resolve())
    assert target.resolve() != root.resolve()
    rel = target.relative_to(root)
    assert all(part not in ("", ".", "..") for part in rel.parts)
    assert all(len(part.encode("utf-8")) <= MAX_SEGMENT_BYTES for part in rel.parts)
    # and it can really be written
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x")
    assert all(
        Path(dirpath).resolve().is_relative_to(root.resolve()) for dirpath, _, _ in os.walk(root)
    )


def test_long_names_keep_their_extension_and_stay_distinct() -> None:
    first = mirror_relpath("http://park.example/" + LONG + "1.html")
    second = mirror_relpath("http://park.example/" + LONG + "2.html")
    assert first != second
    assert first.suffix == ".html" and first.name.startswith("长长长")


def test_the_crawl_mirrors_pages_and_media_as_served(archived_crawl: ArchivedCrawl) -> None:
    host = urlsplit(archived_crawl.base_url)
    root = archived_crawl.mirror_dir / f"{host.hostname}+{host.port}"
    for rel in (
        "robots.txt",
        "index.html",
        "dtyw/index.html",  # fetched as /dtyw/ (the home nav's link)
        "dtyw/yqxx/index_1.html",
        "dtyw/yqxx/202412/t20241213_10245.html",  # GBK bytes, unchanged
        "uploads/files/202410/W020241016_kjcx.pdf",
    ):
        assert (root / rel).read_bytes() == (DEMO_SITE / rel).read_bytes(), rel
    # the dead link answered 404: nothing saved for it
    assert not (root / "dtyw/yqxx/202409/t20240927_10180.html").exists()
