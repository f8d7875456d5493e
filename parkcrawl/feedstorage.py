"""A local feed storage that never leaves a torn line: written through, tail repaired on open.

Scrapy's FileFeedStorage buffers its writes, so a killed run loses lines it had reported as
scraped. This storage opens the file unbuffered, so each JSON line reaches the file in one write
when Scrapy exports it, and, before appending, cuts off a torn last line a crash left behind.
Enabled for local paths by FEED_STORAGES in settings.py.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)


def repair_torn_tail(path: Path) -> int:
    """Cut the file after its last newline; returns how many bytes were removed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with path.open("r+b") as f:
        end = size
        while end > 0:
            start = max(0, end - 65536)
            f.seek(start)
            chunk = f.read(end - start)
            if end == size and chunk.endswith(b"\n"):
                return 0
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        f.truncate(keep)
        f.flush()
        os.fsync(f.fileno())
    return size - keep


class DurableFileFeedStorage(FileFeedStorage):
    """Local feed file, written through line by line, torn tail repaired before appending."""

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab":
            removed = repair_torn_tail(path)
            if removed:
                logger.warning("removed a torn last line (%d bytes) from %s", removed, path)
                spider.crawler.stats.set_value("parkcrawl/feed/torn_bytes_removed", removed)
        return path.open(self.write_mode, buffering=0)
