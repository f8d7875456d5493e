"""WACZ packages of WARC files, for ReplayWeb.page: ``parkcrawl wacz`` and PARKCRAWL_WACZ_ENABLED.

The layout of WACZ 1.1.1 (https://specs.webrecorder.net/wacz/1.1.1/): ``archive/*.warc.gz``
stored without zip compression (a replay client reads records by byte range); the cdxj-indexer
lines of every WARC, merged and sorted, as a compressed ZipNum index — ``indexes/index.cdx.gz``
(gzip blocks of 1024 lines, stored) and ``indexes/index.idx`` (the first key and byte range of
each block) — so ReplayWeb.page reads only the blocks a page needs, where a plain
``index.cdxj`` is loaded whole before the first page replays (3–4 s against 0.5 s for a
1,000-article crawl); ``pages/pages.jsonl`` (a ``json-pages-1.0`` header, then one line per
article: url, capture time as ``ts``, title, published date); ``datapackage.json`` (size and
SHA-256 of every file) and ``datapackage-digest.json``.

The zip is written here, with cdxj-indexer's own block writer, rather than by py-wacz's
``wacz create --pages``: that tool drops the given pages whose timestamp matches no capture
(with a printed warning), indexes every WARC again, and pulls frictionless with some thirty
packages into the crawler's dependencies. ``wacz validate`` accepts what is written here.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from cdxj_indexer.main import CompressedWriter
from warcio.archiveiterator import ArchiveIterator

from parkcrawl import __version__
from parkcrawl.archive.cdxj import cdxj_path, index_lines
from parkcrawl.archive.records import iter_responses
from parkcrawl.archive.warc import KIND_FIELD, WARC_SUFFIX

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
ARTICLE_KIND = "article"
HASH_BLOCK = 1 << 20
# Lines per gzip block of the ZipNum index: py-wacz's and ArchiveWeb.page's choice.
INDEX_BLOCK_LINES = 1024
INDEX_DATA = "indexes/index.cdx.gz"
INDEX_IDX = "indexes/index.idx"


@dataclass(frozen=True)
class Page:
    """One line of pages.jsonl: an archived article."""

    url: str
    ts: str
    """Capture time (the response record's WARC-Date, to the second): the capture replayed."""
    title: str | None
    published_at: str | None = None

    def line(self) -> dict[str, str]:
        # A stable id: the same capture gets the same id in every package.
        page_id = hashlib.sha1(f"{self.ts}/{self.url}".encode()).hexdigest()[:22]
        entry = {"id": page_id, "url": self.url, "ts": self.ts, "title": self.title or self.url}
        if self.published_at:
            entry["published_at"] = self.published_at
        return entry


@dataclass
class Written:
    """What a WACZ file holds."""

    path: Path
    warcs: int
    index_lines: int
    pages: int
    missing: list[str]
    """Feed URLs with no archived capture in the WARC files (not listed: nothing to replay)."""


def wacz_ts(warc_date: str) -> str:
    """WARC-Date → ``YYYY-MM-DDTHH:MM:SSZ``, the precision of the index's 14-digit timestamps."""
    return warc_date[:19] + "Z"


def warc_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Finished WARC files named, or inside named folders (a ``.open`` file is still written)."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{WARC_SUFFIX}")))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such WARC file or folder: {path}")
    return sorted(dict.fromkeys(found), key=lambda p: p.name)


def article_captures(warcs: Sequence[Path]) -> dict[str, str]:
    """URL → WARC-Date of its latest 2xx article capture (record headers only: no body read)."""
    captures: dict[str, str] = {}
    for warc in warcs:
        with open(warc, "rb") as stream:
            for record in ArchiveIterator(stream):
                headers = record.rec_headers
                if (record.rec_type != "response"
                        or headers.get_header(KIND_FIELD) != ARTICLE_KIND):
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else ""
                if not status.startswith("2"):
                    continue
                url, date = headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date")
                if date >= captures.get(url, ""):
                    captures[url] = date
    return captures


def pages_from_warcs(warcs: Sequence[Path]) -> list[Page]:
    """One page per archived article, title and date extracted from the page as the crawl does."""
    from parkcrawl.extract.article import extract_article
    from parkcrawl.text import clean_page

    captures = article_captures(warcs)
    pages: dict[str, Page] = {}
    # One page at a time: only the latest capture of each URL is extracted, none kept in memory.
    for response in iter_responses(warcs, kinds=[ARTICLE_KIND]):
        url = response.url
        if captures.get(url) != response.date or url in pages:
            continue
        fields = extract_article(clean_page(response.body, response.header("Content-Type")).html,
                                 url)
        pages[url] = Page(url, wacz_ts(response.date), fields.title, fields.published_at)
    return list(pages.values())


def pages_from_lines(
    lines: Iterable[dict], captures: dict[str, str]
) -> tuple[list[Page], list[str]]:
    """Pages for feed lines (``url``, ``title``, ``published_at``) captured in ``captures``.

    A URL's last line wins (a later revision's title); the capture is the URL's latest."""
    by_url: dict[str, dict] = {}
    for line in lines:
        if isinstance(line, dict) and isinstance(line.get("url"), str):
            by_url[line["url"]] = line
    pages, missing = [], []
    for url, line in by_url.items():
        date = captures.get(url)
        if date is None:
            missing.append(url)
            continue
        pages.append(Page(url, wacz_ts(date), line.get("title"), line.get("published_at")))
    return pages, missing


def read_feed(feed: Path) -> list[dict]:
    """The JSON lines of a feed file (blank lines skipped)."""
    lines = []
    with open(feed, encoding="utf-8") as stream:
        for number, text in enumerate(stream, 1):
            if not text.strip():
                continue
            try:
                lines.append(json.loads(text))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{feed}:{number}: not a JSON line ({exc.msg})") from None
    return lines


def ordered(pages: Iterable[Page]) -> list[Page]:
    """Newest article first (by published date, then capture time), as the section lists them."""
    return sorted(pages, key=lambda p: (p.published_at or "", p.ts, p.url), reverse=True)


def warc_index_lines(warc: Path) -> list[str]:
    """The CDXJ lines of one WARC: its own .cdxj when newer than the file, else indexed now."""
    index = cdxj_path(warc)
    if index.is_file() and index.stat().st_mtime >= warc.stat().st_mtime:
        return index.read_text(encoding="utf-8").splitlines()
    return index_lines(warc)


def zipnum_index(lines: Sequence[str]) -> tuple[bytes, bytes]:
    """Sorted CDXJ lines → (index.cdx.gz, index.idx): gzip blocks and the index of the blocks."""
    data, idx = io.BytesIO(), io.StringIO()
    writer = CompressedWriter(idx, data, num_lines=INDEX_BLOCK_LINES,
                              data_out_name=Path(INDEX_DATA).name, digest_records=True)
    for line in lines:
        writer.write(line + "\n")
    if writer.block:
        # (flush() on an empty block would add an empty gzip member and a stray .idx line)
        writer.flush()
    return data.getvalue(), idx.getvalue().encode("utf-8")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(HASH_BLOCK):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def _resource(path: str, data_hash: str, size: int) -> dict[str, object]:
    return {"name": Path(path).name.lower(), "path": path, "hash": data_hash, "bytes": size}


def write_wacz(
    out: Path, warcs: Sequence[Path], pages: Iterable[Page], *, title: str | None = None,
    missing: Sequence[str] = (),
) -> Written:
    """Package ``warcs`` with their index and ``pages`` into the WACZ file ``out``."""
    if not warcs:
        raise ValueError("no WARC files to package")
    names = [warc.name for warc in warcs]
    if len(set(names)) != len(names):
        # The index names a record's file by its name alone (archive/<name>).
        raise ValueError("two WARC files share a name: " + ", ".join(sorted(names)))
    page_list = ordered(pages)
    index = sorted(line for warc in warcs for line in warc_index_lines(warc))
    index_data, index_idx = zipnum_index(index)
    pages_bytes = "".join(
        json.dumps(entry, ensure_ascii=False) + "\n"
        for entry in [PAGES_HEADER, *(page.line() for page in page_list)]
    ).encode("utf-8")

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    stamp = datetime.now(UTC)
    zip_time = stamp.timetuple()[:6]
    resources = []
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as package:
            for warc in warcs:
                name = f"archive/{warc.name}"
                # Stored, not deflated: the client reads records by byte range inside the zip.
                package.write(warc, name, compress_type=zipfile.ZIP_STORED)
                resources.append(_resource(name, _sha256_file(warc), warc.stat().st_size))
            for name, data, compression in (
                # gzip blocks read by range: stored, as the WARC files
                (INDEX_DATA, index_data, zipfile.ZIP_STORED),
                (INDEX_IDX, index_idx, zipfile.ZIP_DEFLATED),
                ("pages/pages.jsonl", pages_bytes, zipfile.ZIP_DEFLATED),
            ):
                package.writestr(zipfile.ZipInfo(name, zip_time), data, compress_type=compression)
                resources.append(
                    _resource(name, "sha256:" + hashlib.sha256(data).hexdigest(), len(data))
                )
            datapackage: dict[str, object] = {
                "profile": "data-package",
                "resources": resources,
                "title": title or "parkcrawl archive",
                "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "wacz_version": WACZ_VERSION,
                "software": f"parkcrawl {__version__}",
            }
            package_bytes = json.dumps(datapackage, ensure_ascii=False, indent=2).encode("utf-8")
            package.writestr(zipfile.ZipInfo("datapackage.json", zip_time), package_bytes,
                             compress_type=zipfile.ZIP_DEFLATED)
            digest = {"path": "datapackage.json",
                      "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
            package.writestr(zipfile.ZipInfo("datapackage-digest.json", zip_time),
                             json.dumps(digest, indent=2).encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return Written(out, len(warcs), len(index), len(page_list), list(missing))


def build(
    inputs: Sequence[Path], out: Path, *, feed: Path | None = None, title: str | None = None
) -> Written:
    """``parkcrawl wacz``: the WARC files under ``inputs`` and their articles into ``out``."""
    warcs = warc_inputs(inputs)
    if not warcs:
        raise FileNotFoundError("no .warc.gz files in " + ", ".join(map(str, inputs)))
    if feed is None:
        return write_wacz(out, warcs, pages_from_warcs(warcs), title=title)
    pages, missing = pages_from_lines(read_feed(feed), article_captures(warcs))
    return write_wacz(out, warcs, pages, title=title, missing=missing)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parkcrawl wacz",
        description="Package WARC files, their CDXJ index and a list of every article into a "
        "WACZ file that ReplayWeb.page opens.",
    )
    parser.add_argument("warcs", nargs="+", type=Path, metavar="WARC_OR_DIR",
                        help="WARC files, or folders of them (e.g. output/warc)")
    parser.add_argument("--feed", type=Path, help="the crawl's JSONL feed: titles and dates of "
                        "the articles (default: extracted from the archived pages)")
    parser.add_argument("--out", type=Path, default=Path("parknews.wacz"),
                        help="the WACZ file to write (default: parknews.wacz)")
    parser.add_argument("--title", help="the archive's title in ReplayWeb.page")
    return parser


def main_wacz(argv: list[str], stderr: IO[str] | None = None) -> int:
    stderr = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        written = build(args.warcs, args.out, feed=args.feed, title=args.title)
    except (OSError, ValueError) as exc:
        # ValueError: a feed line that is not JSON, a feed that is not UTF-8.
        print(f"parkcrawl wacz: error: {exc}", file=stderr)
        return 2
    print(f"{written.path}: {written.warcs} WARC files, {written.index_lines} index lines, "
          f"{written.pages} articles", file=stderr)
    if written.missing:
        print(f"parkcrawl wacz: {len(written.missing)} feed articles have no capture in these "
              f"WARC files and are not listed (first: {written.missing[0]})", file=stderr)
    return 0
