"""The CDXJ index of a WARC file (``<surt> <timestamp> {json}``), made by ``cdxj-indexer``.

One line per response and revisit record (requests and warcinfo are not looked up by URL), sorted,
written beside the WARC as ``<name>.cdxj``. ``cdxj-indexer`` is Webrecorder's indexer, the one
py-wacz puts into a WACZ and ReplayWeb.page reads; pywb reads its lines as they are, so the index
can also be dropped into a pywb collection's ``indexes/`` folder.

Its lines differ from pywb 2.10's own ``wb-manager add`` index in two fields only: ``digest`` keeps
the ``sha1:`` prefix of WARC-Payload-Digest, and a revisit line carries the revisit's HTTP status.
pywb and wabac read both forms (tests/archive/test_pywb_replay.py replays through this index).
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import surt
from cdxj_indexer import CDXJIndexer
from cdxj_indexer.main import SortingWriter
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.timeutils import iso_date_to_timestamp

from parkcrawl.archive.warc import WARC_SUFFIX

INDEXED_TYPES = ("response", "revisit")


def cdxj_path(warc: Path) -> Path:
    """``x.warc.gz`` → ``x.cdxj`` in the same folder."""
    name = warc.name
    stem = name[: -len(WARC_SUFFIX)] if name.endswith(WARC_SUFFIX) else warc.stem
    return warc.with_name(stem + ".cdxj")


def index_lines(warc: Path) -> list[str]:
    """The sorted CDXJ lines of one WARC file (``filename`` is the file's name, no folder)."""
    out = io.StringIO()
    with open(warc, "rb") as stream:
        # A stream with a name: the indexer records basename(name) as the line's filename.
        indexer = CDXJIndexer(
            out, [stream], sort=True, records=",".join(INDEXED_TYPES), filename=warc.name
        )
        indexer.process_all()
    return out.getvalue().splitlines()


# Lines the indexer holds before it spills a sorted run to a temporary file (it merges the runs
# at the end). Its default, 32 MB of text, is about 100,000 lines — a whole run's index, held at
# close on top of the crawl's peak; 2 MB bounds that at a few MB whatever the run's size.
SORT_BUFFER_CHARS = 2 * 1024 * 1024


def write_index(warc: Path, *, sort_buffer: int = SORT_BUFFER_CHARS) -> Path:
    """Write the CDXJ index beside ``warc``, sorted as it is streamed; returns its path."""
    target = cdxj_path(warc)
    tmp = target.with_name(target.name + ".tmp")
    with open(warc, "rb") as stream, open(tmp, "w", encoding="utf-8") as out:
        indexer = CDXJIndexer(
            out, [stream], sort=True, records=",".join(INDEXED_TYPES), filename=warc.name,
            max_sort_buff_size=sort_buffer,
        )
        indexer.process_all()
    tmp.replace(target)
    return target


# What the indexer's reader (warcio's ArchiveIterator) does with a record's HTTP header block:
# only http(s) records have one, parsed by this parser; the indexer keeps the media type's first
# word (CDXJIndexer.RE_SPACE).
_HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False)
_HTTP_SCHEMES = ("http:", "https:")
_MIME_END = re.compile(r"[;\s]")


def _plain(value: str | None) -> bool:
    """A WARC header value that reads back as written: printable ASCII, no outer whitespace."""
    return bool(value) and value.isascii() and value.isprintable() and value == value.strip()


class StreamedIndex:
    """The CDXJ index of one WARC file, its lines made as the records are written.

    Reading the finished file back to index it costs a decompression and parse of every record
    (~4% of a crawl's CPU, issue 16); the writer knows each record's offset and length as it
    writes it. The lines are the ones ``cdxj-indexer`` makes from the file (same fields, same
    order, same sort and spill), so :func:`index_lines` of the file equals what :meth:`write`
    writes (tests/archive/test_cdxj.py). A record whose WARC headers might not read back as
    written (non-ASCII or odd URL, no payload digest) makes :meth:`write` fall back to reading
    the file, as before."""

    def __init__(self, warc: Path, *, sort_buffer: int = SORT_BUFFER_CHARS):
        self.warc = warc
        self.exact = True
        self._sort_buffer = sort_buffer
        # The indexer's own sorter: the same sort, duplicate dropping and spill to sorted runs.
        self._lines = SortingWriter(None, sort_buffer)

    def add(self, record: Any, offset: int, length: int) -> None:
        """One record as written by warcio at ``offset``, ``length`` bytes (its gzip member)."""
        rec_type = record.rec_type
        if rec_type not in INDEXED_TYPES or not self.exact:
            return
        headers = record.rec_headers
        url = headers.get_header("WARC-Target-URI")
        date = headers.get_header("WARC-Date")
        digest = headers.get_header("WARC-Payload-Digest")
        if not (_plain(url) and _plain(date) and _plain(digest)):
            self.exact = False
            return
        http = None
        if url.startswith(_HTTP_SCHEMES) and record.http_headers is not None:
            buffer = record.http_headers.headers_buff
            if not buffer:
                self.exact = False
                return
            try:
                http = _HTTP_PARSER.parse(io.BytesIO(buffer))
            except Exception:  # noqa: BLE001 - whatever the reader makes of it, read it back
                self.exact = False
                return
        index: dict[str, str] = {"url": url}
        if rec_type == "revisit":
            index["mime"] = "warc/revisit"
        elif http:
            mime = http.get_header("content-type")
            if mime is not None:
                index["mime"] = _MIME_END.split(mime, 1)[0].strip() if mime else mime
        if http:
            index["status"] = http.get_statuscode()
        index["digest"] = digest
        index["length"] = str(length)
        index["offset"] = str(offset)
        index["filename"] = self.warc.name
        try:
            key = surt.surt(url)
        except Exception:  # noqa: BLE001 - the indexer keys an unparsable URL by itself
            key = url
        self._lines.write(key + " " + iso_date_to_timestamp(date) + " " + json.dumps(index) + "\n")

    def write(self) -> Path:
        """Write the index beside the (finished) WARC file; returns its path."""
        if not self.exact:
            self.discard()
            return write_index(self.warc, sort_buffer=self._sort_buffer)
        target = cdxj_path(self.warc)
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            self._lines.out = out
            self._lines.flush()
        tmp.replace(target)
        return target

    def discard(self) -> None:
        """Drop the lines (a file abandoned after a write error is indexed by the next run)."""
        for name in self._lines.tmp_files:
            try:
                os.remove(name)
            except OSError:
                pass
        self._lines = SortingWriter(None, self._sort_buffer)
