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
from pathlib import Path

from cdxj_indexer import CDXJIndexer

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
