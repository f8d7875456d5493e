"""A local feed storage that never leaves a torn line and never claims a line it did not write.

Scrapy's FileFeedStorage buffers its writes, so a killed run loses lines it had reported as
scraped, and a full disk or a file-size limit only shows as an error in the log while the run
goes on. This storage hands the exporter a :class:`SyncedFeedFile`: each JSON line reaches the
file in whole writes or the write fails; a failed write cuts its partial line off again, stops the
run (exit 1, the file and the OS error named) and marks the file failed, so the state never
records an article whose line is not there. The state calls :meth:`SyncedFeedFile.sync` (fsync)
before it records articles. Before appending, a torn last line a crash left behind is cut off.
Enabled for local paths by FEED_STORAGES in settings.py.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

from parkcrawl import signals
from parkcrawl.outcomes import OUTPUT_FAILED, fail_run

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


class SyncedFeedFile(io.RawIOBase):
    """A feed file written unbuffered, whole lines or a loud failure, fsynced on demand."""

    def __init__(
        self, path: Path, *, append: bool, on_error: Callable[[Path, OSError], None] | None = None
    ):
        super().__init__()
        self.path = path
        self.on_error = on_error
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        self.fd = os.open(path, flags, 0o644)
        # Bytes known to be whole lines in the file: a failed write is cut back to here.
        self.size = os.fstat(self.fd).st_size
        self.error: OSError | None = None
        self._unsynced = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data: Any) -> int:
        if self.error is not None:
            raise self.error  # never append after a hole: the next run re-emits from the gap
        view = memoryview(data).cast("B")
        written = 0
        try:
            while written < len(view):
                # os.write may write part of the data (a disk filling up, a file-size limit):
                # loop until all of it is written or the OS says why not.
                written += os.write(self.fd, view[written:])
        except OSError as exc:
            self._failed(exc)
            raise
        self.size += written
        self._unsynced = True
        return written

    def sync(self) -> None:
        """Make every line written so far durable; raise the write error if one happened."""
        if self.error is not None:
            raise self.error
        if self._unsynced and not self.closed:
            try:
                os.fsync(self.fd)
            except OSError as exc:
                self._failed(exc)
                raise
            self._unsynced = False

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self.error is None:
                self.sync()
        except OSError:
            pass  # already reported by _failed
        finally:
            os.close(self.fd)
            super().close()

    def _failed(self, exc: OSError) -> None:
        self.error = exc
        try:
            os.ftruncate(self.fd, self.size)  # cut the partial line off
        except OSError:
            pass  # the next append-mode run cuts a torn tail off anyway (repair_torn_tail)
        if self.on_error is not None:
            self.on_error(self.path, exc)


def output_error_message(path: Path, exc: OSError) -> str:
    """One line for the operator: the file and what the OS said."""
    return f"cannot write the output file {path}: {exc.strerror or exc} (errno {exc.errno})"


class DurableFileFeedStorage(FileFeedStorage):
    """Local feed file, written through line by line, fsynced before the state records, torn
    tail repaired before appending; a write failure stops the run."""

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        crawler = getattr(spider, "crawler", None)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if self.write_mode == "ab":
                removed = repair_torn_tail(path)
                if removed:
                    logger.warning("removed a torn last line (%d bytes) from %s", removed, path)
                    if crawler is not None:
                        crawler.stats.set_value("parkcrawl/feed/torn_bytes_removed", removed)
            file = SyncedFeedFile(
                path, append=self.write_mode == "ab",
                on_error=(lambda p, exc: _output_failed(crawler, p, exc)) if crawler else None,
            )
        except OSError as exc:
            if crawler is not None:
                _output_failed(crawler, path, exc)
            raise
        if crawler is not None:
            crawler.signals.send_catch_log(signals.feed_file_opened, file=file)
        return file  # type: ignore[return-value]


def _output_failed(crawler: Any, path: Path, exc: OSError) -> None:
    crawler.stats.inc_value("parkcrawl/feed/write_failed")
    crawler.signals.send_catch_log(signals.output_failed, path=path, error=exc)
    fail_run(crawler, output_error_message(path, exc), OUTPUT_FAILED)
