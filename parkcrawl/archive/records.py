"""Read archived responses back from WARC files (used by re-extraction and the tests)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.statusandheaders import StatusAndHeaders

from parkcrawl.archive.warc import (
    KIND_FIELD,
    OPEN_SUFFIX,
    OTHER_KIND,
    WALKED_FIELD,
    complete_length,
)


class _Prefix(io.RawIOBase):
    """The first ``limit`` bytes of a binary file: a file left open by a killed run, read only up
    to its last whole record."""

    def __init__(self, stream: io.BufferedReader, limit: int):
        super().__init__()
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)[: self.left]
        read = self.stream.readinto(view) or 0
        self.left -= read
        return read


@dataclass
class ArchivedResponse:
    """One response record: what was fetched, when, and its payload."""

    url: str
    date: str
    """WARC-Date, ISO 8601 UTC."""
    status: int
    kind: str
    headers: list[tuple[str, str]]
    body: bytes
    """The payload de-chunked and decoded of its Content-Encoding (as the spider saw it)."""
    raw_payload: bytes
    """The payload exactly as stored (as it came off the wire)."""
    walked: list[str] | None = None
    record_id: str = ""
    warc: Path = field(default_factory=Path)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def parse_walked(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [unquote(level) for level in value.split("/")]


def iter_responses(
    paths: Iterable[Path], kinds: Iterable[str] | None = None
) -> Iterator[ArchivedResponse]:
    """Response records (not revisits) of the given WARC files, in file and record order."""
    wanted = set(kinds) if kinds is not None else None
    for path in paths:
        with open(path, "rb") as stream:
            source: Any = stream
            if str(path).endswith(OPEN_SUFFIX):
                source = io.BufferedReader(_Prefix(stream, complete_length(Path(path))))
            for record in ArchiveIterator(source):
                if record.rec_type != "response":
                    continue
                kind = record.rec_headers.get_header(KIND_FIELD) or OTHER_KIND
                if wanted is not None and kind not in wanted:
                    continue
                # raw_stream holds the payload as stored; content_stream() de-chunks and
                # decompresses. Read the raw bytes first, then decode them independently.
                raw = record.raw_stream.read()
                http_headers = record.http_headers
                body = _decoded(raw, http_headers)
                yield ArchivedResponse(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    date=record.rec_headers.get_header("WARC-Date"),
                    status=int(http_headers.get_statuscode() or 0),
                    kind=kind,
                    headers=list(http_headers.headers),
                    body=body,
                    raw_payload=raw,
                    walked=parse_walked(record.rec_headers.get_header(WALKED_FIELD)),
                    record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                    warc=Path(path),
                )


def _decoded(raw: bytes, http_headers: StatusAndHeaders) -> bytes:
    """De-chunk and undo Content-Encoding with warcio's readers, as replay tools do."""
    encoding = http_headers.get_header("Content-Encoding")
    decomp = encoding.strip().lower() if encoding else None
    if decomp not in ("gzip", "deflate", "br", None):
        decomp = None
    chunked = "chunked" in (http_headers.get_header("Transfer-Encoding") or "").lower()
    reader_cls = ChunkedDataReader if chunked else BufferedReader
    reader = reader_cls(io.BytesIO(raw), decomp_type=decomp)
    return reader.read()
