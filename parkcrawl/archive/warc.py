"""WarcWriter: request/response pairs into size-rotated, gzipped WARC files (no Scrapy needed).

Files are named ``<prefix>-<UTC timestamp of the run>-<serial>.warc.gz``, written as
``….warc.gz.open`` and renamed when complete, each starting with a ``warcinfo`` record. A response
whose payload was already archived in this run (same SHA-1 payload digest) is written as a
``revisit`` record (identical-payload-digest profile) when its kind is in ``revisit_kinds``.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import http
import io
import logging
import os
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

# WARC extension fields (ISO 28500 allows new fields; ours carry a prefix no standard uses).
KIND_FIELD = "Parkcrawl-Page-Kind"
WALKED_FIELD = "Parkcrawl-Walked-Path"
# Page kinds: the spider's section/listing/article (request.meta["parknews_kind"]), plus what
# the archive fetches itself, marked in request.meta[ARCHIVE_KIND_KEY] — a key of its own, since
# middlewares treat any parknews_kind as an HTML page of the section.
ARCHIVE_KIND_KEY = "parkcrawl_archive_kind"
MEDIA_KIND = "media"
ROBOTS_KIND = "robots"
OTHER_KIND = "other"

DEFAULT_MAX_SIZE = 1_000_000_000
# KiB of SQLite page cache for the run's payload digests (SeenPayloads); as the state's claims
# table (parkcrawl.storage.TEMP_CACHE_KIB).
SEEN_CACHE_KIB = 256
# WARC/1.1 (ISO 28500:2017): WARC-Date may carry fractions of a second, so records written in
# the same second keep their order; warcio then also names the 1.1 revisit profile.
WARC_VERSION = "1.1"
WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"

Headers = Sequence[tuple[bytes, bytes]]


@dataclass
class Exchange:
    """One HTTP transfer as it crossed the wire: the request sent and the response received."""

    url: str
    method: str
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    body: bytes
    """The response body as received: still content-encoded (gzip, br) when the server did so."""
    kind: str = OTHER_KIND
    ip_address: str | None = None
    walked: list[str] | None = None
    """The section path walked to reach an article (lets re-extraction fill its breadcrumb)."""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class RawHeaders(StatusAndHeaders):
    """Header block written byte for byte (warcio would %-encode non-ASCII values)."""

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")


def payload_digest(payload: bytes) -> str:
    """``sha1:<base32>``, the form of WARC-Payload-Digest."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def _latin1(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _has(headers: Headers, name: bytes) -> bool:
    return any(key.lower() == name.lower() for key, _ in headers)


def _is_chunked(headers: Headers) -> bool:
    return any(
        key.lower() == b"transfer-encoding" and b"chunked" in value.lower()
        for key, value in headers
    )


def status_line(status: int) -> str:
    """``200 OK``: the client keeps only the code, so the phrase is the standard one."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def request_target(url: str) -> str:
    """The request-target of an origin-form request line: path and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def http_payload(exchange: Exchange) -> bytes:
    """The response body in the form its headers describe.

    The client hands the body over de-chunked; under ``Transfer-Encoding: chunked`` it is stored
    as one chunk so the record stays a valid HTTP message (readers de-chunk it again).
    """
    if _is_chunked(exchange.response_headers) and exchange.body:
        return b"%x\r\n%s\r\n0\r\n\r\n" % (len(exchange.body), exchange.body)
    if _is_chunked(exchange.response_headers):
        return b"0\r\n\r\n"
    return exchange.body


def warc_date_of(when: datetime) -> str:
    """WARC/1.1's WARC-Date: UTC with microseconds (``2024-12-13T09:00:00.123456Z``)."""
    return datetime_to_iso_date(when.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def walked_field(walked: Sequence[str]) -> str:
    """The walked path as an ASCII field value: levels %-encoded (UTF-8), joined by ``/``."""
    return "/".join(quote(level, safe="") for level in walked)


class SeenPayloads:
    """Payload digest → (URL, WARC-Date) of the first response archived with it, for revisits.

    A private temporary SQLite database (its pages on disk beyond a small cache, the file gone
    when it closes) rather than a dict, which held ~0.3 KB per response: ~16 MB at 50,000
    articles, growing with the run. Opened on first use; it lives as long as its writer (a
    writer that writes again after close() still finds the payloads of its earlier files).
    """

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            # "" is SQLite's private temporary database; the reactor is its only user
            self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA temp_store=FILE")  # whatever SQLite's build default
            # digests are looked up at random: a cache for the pages a look-up walks, not 2 MB
            self._db.execute(f"PRAGMA cache_size = -{SEEN_CACHE_KIB}")
            self._db.execute(
                "CREATE TABLE seen (digest TEXT PRIMARY KEY, url TEXT, date TEXT) WITHOUT ROWID"
            )
        return self._db

    def get(self, digest: str) -> tuple[str, str] | None:
        row = self._open().execute("SELECT url, date FROM seen WHERE digest = ?", (digest,)).fetchone()
        return (row[0], row[1]) if row else None

    def setdefault(self, digest: str, original: tuple[str, str]) -> None:
        self._open().execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (digest, *original))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class WarcWriter:
    """Size-rotated gzip WARC files in one folder; one warcio writer open at a time."""

    def __init__(
        self,
        folder: Path,
        *,
        prefix: str = "parknews",
        max_size: int = DEFAULT_MAX_SIZE,
        info: dict[str, str] | None = None,
        revisit_kinds: frozenset[str] = frozenset({MEDIA_KIND}),
        on_close: Callable[[Path], None] | None = None,
        started: datetime | None = None,
        index_factory: Callable[[Path], Any] | None = None,
    ):
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.revisit_kinds = revisit_kinds
        self.on_close = on_close
        self.timestamp = (started or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
        self.serial = 0
        self.files: list[Path] = []
        self.counts: dict[str, int] = {}
        self._seen = SeenPayloads()
        self._file: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._writer: WARCWriter | None = None
        # index_factory(path) -> an object whose add(record, offset, length) is told of every
        # record written to the file at path (cdxj.StreamedIndex), so it need not be read back.
        self.index_factory = index_factory
        self._index: Any = None

    # -- files -----------------------------------------------------------------------------------

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            name = f"{self.prefix}-{self.timestamp}-{self.serial:05d}{WARC_SUFFIX}"
            self.serial += 1
            final = self.folder / name
            if final.exists():
                continue  # another run started in the same second: never overwrite its file
            try:
                self._file = open(self.folder / (name + OPEN_SUFFIX), "xb")  # noqa: SIM115
            except FileExistsError:
                continue
            # Held while the file is open: finish_abandoned() leaves a locked file alone, and the
            # kernel drops the lock when a killed run's process dies.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
            break
        self._path = final
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        self._index = self.index_factory(final) if self.index_factory is not None else None
        self._write_record(self._writer.create_warcinfo_record(name, self.info))
        self._count("warcinfo")

    def _finish(self) -> None:
        if self._file is None or self._path is None:
            return
        self._file.close()
        os.replace(self._path.with_name(self._path.name + OPEN_SUFFIX), self._path)
        self.files.append(self._path)
        path, self._file, self._path, self._writer = self._path, None, None, None
        self._index = None
        if self.on_close is not None:
            self.on_close(path)

    def close(self) -> list[Path]:
        """Finish the current file; the paths of every finished WARC file of this writer."""
        self._finish()
        return list(self.files)

    def abandon(self) -> Path | None:
        """After a write error: close the current file as it is, still named ``.open``.

        The next run's :func:`finish_abandoned` cuts off the torn record and finishes it."""
        if self._file is None or self._path is None:
            return None
        left = self._path.with_name(self._path.name + OPEN_SUFFIX)
        try:
            self._file.close()
        except OSError:
            pass  # the buffered bytes that could not be written are what the error was about
        self._file, self._path, self._writer = None, None, None
        if self._index is not None and hasattr(self._index, "discard"):
            self._index.discard()
        self._index = None
        return left

    @property
    def current_path(self) -> Path | None:
        return self._path

    def _write_record(self, record: Any) -> None:
        """Write one record (one gzip member) and tell the index where it went."""
        assert self._writer is not None and self._file is not None
        offset = self._file.tell()
        self._writer.write_record(record)
        if self._index is not None:
            self._index.add(record, offset, self._file.tell() - offset)

    def _count(self, record_type: str) -> None:
        self.counts[record_type] = self.counts.get(record_type, 0) + 1

    # -- records ---------------------------------------------------------------------------------

    def write(self, exchange: Exchange) -> str:
        """Archive one exchange as response (or revisit) + request records; the type written."""
        if self._writer is None:
            self._open()
        assert self._writer is not None and self._file is not None
        writer = self._writer
        warc_date = warc_date_of(exchange.fetched_at)
        # WARC-Type and WARC-Record-ID first: warcio keeps the order of the fields given.
        fields = {
            "WARC-Type": "response",
            "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
            "WARC-Target-URI": exchange.url,
            "WARC-Date": warc_date,
            KIND_FIELD: exchange.kind,
        }
        if exchange.ip_address:
            fields["WARC-IP-Address"] = exchange.ip_address
        if exchange.walked:
            fields[WALKED_FIELD] = walked_field(exchange.walked)

        response_http = RawHeaders(
            status_line(exchange.status),
            [(_latin1(k), _latin1(v)) for k, v in exchange.response_headers],
            protocol="HTTP/1.1",
        )
        payload = http_payload(exchange)
        digest = payload_digest(payload)
        original = self._seen.get(digest)
        if original is not None and exchange.kind in self.revisit_kinds and exchange.status == 200:
            response = writer.create_revisit_record(
                exchange.url, digest, original[0], original[1],
                http_headers=response_http, warc_headers_dict={**fields, "WARC-Type": "revisit"},
            )
            record_type = "revisit"
        else:
            response = writer.create_warc_record(
                exchange.url, "response", payload=io.BytesIO(payload), length=len(payload),
                http_headers=response_http,
                warc_headers_dict={**fields, "WARC-Payload-Digest": digest},
            )
            record_type = "response"
            if exchange.status == 200:
                self._seen.setdefault(digest, (exchange.url, warc_date))

        request_headers = list(exchange.request_headers)
        if not _has(request_headers, b"Host"):
            # The HTTP client adds Host when it sends the request.
            request_headers.insert(0, (b"Host", urlsplit(exchange.url).netloc.encode("latin-1")))
        request_http = RawHeaders(
            f"{exchange.method} {request_target(exchange.url)} HTTP/1.1",
            [(_latin1(k), _latin1(v)) for k, v in request_headers],
            is_http_request=True,
        )
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), http_headers=request_http,
            warc_headers_dict={
                "WARC-Type": "request",
                "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
                "WARC-Target-URI": exchange.url,
                "WARC-Date": warc_date,
                KIND_FIELD: exchange.kind,
            },
        )
        # Response first, then its request pointing at it with WARC-Concurrent-To: what warcio's
        # write_request_response_pair does, one record at a time so that each one's offset and
        # length are known to the index.
        for name in ("WARC-Target-URI", "WARC-Date"):
            request.rec_headers.replace_header(name, response.rec_headers.get_header(name))
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        self._write_record(response)
        self._write_record(request)
        # Into the OS now: a killed run loses no record it reported (finish_abandoned keeps it).
        self._file.flush()
        self._count(record_type)
        self._count("request")
        if self._file.tell() >= self.max_size:
            self._finish()
        return record_type


def complete_length(path: Path) -> int:
    """Bytes of ``path`` up to the end of its last complete gzip member (= WARC record).

    Each record of a ``.warc.gz`` is a gzip member of its own; a killed writer leaves the last one
    torn, and warcio reads a torn member without complaint, so members are checked here."""
    good = position = 0
    member = zlib.decompressobj(wbits=31)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            data = chunk
            while data:
                try:
                    member.decompress(data)
                except zlib.error:
                    return good
                if not member.eof:
                    position += len(data)
                    break
                used = len(data) - len(member.unused_data)
                position += used
                good = position
                data = member.unused_data
                member = zlib.decompressobj(wbits=31)
    return good


@dataclass
class Finished:
    """A WARC file a killed run left open, now finished."""

    path: Path
    """The finished file (``….warc.gz``), or the removed ``.open`` file when nothing was whole."""
    cut: int
    """Bytes of a torn last record cut off."""
    kept: bool


def finish_abandoned(folder: Path) -> list[Finished]:
    """Finish the ``.warc.gz.open`` files of runs that died: cut a torn record off, rename.

    A file still locked by a live writer is left alone."""
    finished: list[Finished] = []
    for open_path in sorted(Path(folder).glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
        try:
            fd = os.open(open_path, os.O_RDWR)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run is writing it
            size = os.fstat(fd).st_size
            good = complete_length(open_path)
            final = open_path.with_name(open_path.name[: -len(OPEN_SUFFIX)])
            if good == 0:
                os.unlink(open_path)  # not even the warcinfo record was whole
                finished.append(Finished(open_path, size, kept=False))
                continue
            if good < size:
                os.ftruncate(fd, good)
            os.replace(open_path, final)
            finished.append(Finished(final, size - good, kept=True))
        finally:
            os.close(fd)
    return finished
