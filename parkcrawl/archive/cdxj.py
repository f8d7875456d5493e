"""The CDXJ index of a WARC file, in the form pywb reads (``<surt> <timestamp> {json}``).

One line per response and revisit record (requests and warcinfo are not looked up by URL), sorted,
written beside the WARC as ``<name>.cdxj``. Keys are SURTs made by the ``surt`` package, as pywb's
own indexer makes them, so the index can be dropped into a pywb collection's ``indexes/`` folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import surt
from warcio.archiveiterator import ArchiveIterator

from parkcrawl.archive.warc import WARC_SUFFIX

INDEXED_TYPES = ("response", "revisit")


def cdxj_path(warc: Path) -> Path:
    """``x.warc.gz`` → ``x.cdxj`` in the same folder."""
    name = warc.name
    stem = name[: -len(WARC_SUFFIX)] if name.endswith(WARC_SUFFIX) else warc.stem
    return warc.with_name(stem + ".cdxj")


def timestamp14(warc_date: str) -> str:
    """``2024-12-13T09:00:00Z`` (or with fractions) → ``20241213090000``."""
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return digits[:14].ljust(14, "0")


def index_lines(warc: Path) -> list[str]:
    """The sorted CDXJ lines of one WARC file."""
    lines = []
    with open(warc, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in INDEXED_TYPES:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            entry: dict[str, str] = {"url": url}
            if record.rec_type == "revisit":
                entry["mime"] = "warc/revisit"
            else:
                http_headers = record.http_headers
                content_type = http_headers.get_header("Content-Type") if http_headers else None
                entry["mime"] = (content_type or "unk").split(";", 1)[0].strip() or "unk"
                status = http_headers.get_statuscode() if http_headers else None
                if status:
                    entry["status"] = status
            digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            if digest:
                entry["digest"] = digest.removeprefix("sha1:")
            records.read_to_end(record)
            entry["length"] = str(records.get_record_length())
            entry["offset"] = str(records.get_record_offset())
            entry["filename"] = warc.name
            key = surt.surt(url)
            lines.append(f"{key} {timestamp14(date)} {json.dumps(entry, ensure_ascii=False)}")
    return sorted(lines)


def write_index(warc: Path) -> Path:
    """Write the CDXJ index beside ``warc``; returns its path."""
    target = cdxj_path(warc)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in index_lines(warc)), encoding="utf-8")
    tmp.replace(target)
    return target
