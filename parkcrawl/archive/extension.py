"""WarcArchive: every response the crawl downloads, with its request, into WARC files.

Enabled by ``PARKCRAWL_WARC_ENABLED`` (default on). It listens to ``response_downloaded``, which
Scrapy's downloader sends with the response straight from the download handler — before any
downloader middleware's ``process_response`` (HttpCompressionMiddleware has not decompressed it,
RedirectMiddleware has not replaced it) — and with the request as the middlewares'
``process_request`` left it (User-Agent, Accept-Encoding, cookies set). robots.txt, retried and
redirected responses and the media pipeline's downloads all pass through it.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from parkcrawl import __version__
from parkcrawl.archive.cdxj import StreamedIndex, write_index
from parkcrawl.archive.wacz import article_captures, pages_from_lines, write_wacz
from parkcrawl.archive.warc import (
    ARCHIVE_KIND_KEY,
    DEFAULT_MAX_SIZE,
    OTHER_KIND,
    ROBOTS_KIND,
    Exchange,
    WarcWriter,
    finish_abandoned,
)
from parkcrawl.outcomes import ARCHIVE_FAILED, fail_run
from parkcrawl.state import get_state

logger = logging.getLogger(__name__)

# Settings recorded in each file's warcinfo record, besides every PARKNEWS_* / PARKCRAWL_* one.
# (An allow-list: a proxy URL or a Redis URL may carry a password.)
RECORDED_SETTINGS = (
    "BOT_NAME", "USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY", "RANDOMIZE_DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "RETRY_ENABLED",
    "RETRY_TIMES", "RETRY_HTTP_CODES", "DEPTH_LIMIT", "HTTPCACHE_ENABLED", "COOKIES_ENABLED",
    "REDIRECT_ENABLED", "MEDIA_ALLOW_REDIRECTS",
)
OWN_PREFIXES = ("PARKNEWS_", "PARKCRAWL_")
# Spider attributes that say what was crawled (spider arguments after validation).
SPIDER_ATTRIBUTES = ("start_url", "path", "full", "recheck_days")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def page_kind(meta: dict[str, Any], url: str) -> str:
    """What a request fetched: the spider's or the archive's kind, robots.txt, else other."""
    kind = meta.get("parknews_kind") or meta.get(ARCHIVE_KIND_KEY)
    if kind:
        return str(kind)
    if urlsplit(url).path == "/robots.txt":
        return ROBOTS_KIND
    return OTHER_KIND


def header_pairs(headers: Any) -> list[tuple[bytes, bytes]]:
    """Every (name, value) of a Scrapy Headers object, repeated names kept."""
    return [(name, value) for name, values in headers.items() for value in values]


def recorded_settings(settings: Any) -> dict[str, Any]:
    names = sorted(
        {name for name in settings if name.startswith(OWN_PREFIXES)} | set(RECORDED_SETTINGS)
    )
    return {name: settings.get(name) for name in names if settings.get(name) is not None}


def warcinfo_fields(settings: Any, spider: Any) -> dict[str, str]:
    """The warcinfo record: the software, its version, and how this crawl was configured."""
    arguments = {
        name: getattr(spider, name) for name in SPIDER_ATTRIBUTES if hasattr(spider, name)
    }
    return {
        "software": (
            f"parkcrawl/{__version__} (Scrapy {_version('scrapy')}; warcio {_version('warcio')})"
        ),
        "format": "WARC File Format 1.1",
        "conformsTo": (
            "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
        ),
        "isPartOf": getattr(spider, "name", "parknews"),
        "hostname": socket.gethostname(),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT") or "",
        "parkcrawl-spider-arguments": json.dumps(arguments, ensure_ascii=False, default=str),
        "parkcrawl-settings": json.dumps(
            recorded_settings(settings), ensure_ascii=False, default=str, sort_keys=True
        ),
    }


class WarcArchive:
    """Archive each downloaded response with its request; PARKCRAWL_WARC_ENABLED and _DIR."""

    def __init__(
        self, folder: Path, *, max_size: int = DEFAULT_MAX_SIZE, index: bool = True,
        prefix: str = "parknews", wacz: bool = False,
    ):
        self.folder = Path(folder)
        self.wacz = wacz
        # url, title and published_at of each article scraped: the WACZ's pages list.
        self.articles: list[dict[str, Any]] = []
        self.max_size = max_size
        self.index = index
        self.prefix = prefix
        self.crawler: Any = None
        self.writer: WarcWriter | None = None
        self.failed = False
        # Time spent archiving on the reactor thread, indexing included (the writer's whole cost
        # to the crawl), and the indexing part of it.
        self.write_seconds = 0.0
        self.index_seconds = 0.0
        # Per WARC file being written: its CDXJ lines so far (cdxj.StreamedIndex).
        self._indexes: dict[Path, StreamedIndex] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcArchive:
        settings = crawler.settings
        if not settings.getbool("PARKCRAWL_WARC_ENABLED", True):
            raise NotConfigured("PARKCRAWL_WARC_ENABLED is off")
        ext = cls(
            Path(settings.get("PARKCRAWL_WARC_DIR") or "output/warc"),
            max_size=settings.getint("PARKCRAWL_WARC_MAX_SIZE", DEFAULT_MAX_SIZE),
            index=settings.getbool("PARKCRAWL_WARC_CDXJ", True),
            wacz=settings.getbool("PARKCRAWL_WACZ_ENABLED", False),
        )
        ext.crawler = crawler
        if ext.wacz:
            crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        """Finish the WARC files an earlier run left open when it was killed."""
        if not self.folder.is_dir():
            return
        try:
            finished = finish_abandoned(self.folder)
        except OSError as exc:
            logger.warning("could not finish WARC files left open in %s: %s", self.folder, exc)
            return
        for done in finished:
            self.crawler.stats.inc_value("parkcrawl/warc/recovered_files")
            if not done.kept:
                logger.warning("removed %s: a killed run left it with no whole record", done.path)
                continue
            logger.warning(
                "finished %s, left open by a killed run (%d bytes of a torn record cut off)",
                done.path, done.cut,
            )
            if self.index:
                try:
                    write_index(done.path)
                except OSError as exc:
                    logger.warning("could not index %s: %s", done.path, exc)

    def _failed(self, action: str, exc: OSError) -> None:
        # An archive with a hole must not look complete: the run fails and stops fetching.
        self.failed = True
        self.crawler.stats.inc_value("parkcrawl/warc/write_failed")
        left = self.writer.abandon() if self.writer is not None else None
        where = left or self.folder
        fail_run(
            self.crawler,
            f"cannot {action} the WARC archive {where}: {exc.strerror or exc} (errno {exc.errno})",
            ARCHIVE_FAILED,
        )

    def _writer(self, spider: Any) -> WarcWriter:
        if self.writer is None:
            self.prefix = getattr(spider, "name", None) or self.prefix
            self.writer = WarcWriter(
                self.folder, prefix=self.prefix, max_size=self.max_size,
                info=warcinfo_fields(self.crawler.settings, spider),
                on_close=self._file_closed,
                index_factory=self._new_index if self.index else None,
            )
        return self.writer

    def _new_index(self, path: Path) -> StreamedIndex:
        # The index is made as the records are written, not by reading the file back at close.
        self._indexes[path] = StreamedIndex(path)
        return self._indexes[path]

    def _file_closed(self, path: Path) -> None:
        self.crawler.stats.inc_value("parkcrawl/warc/files")
        # The run report lists the files a run wrote (see extensions.RunReport).
        closed = self.crawler.stats.get_value("parkcrawl/warc/paths") or []
        self.crawler.stats.set_value("parkcrawl/warc/paths", [*closed, str(path)])
        if self.index:
            started = time.perf_counter()
            streamed = self._indexes.pop(path, None)
            if streamed is not None:
                streamed.write()
            else:
                write_index(path)
            self.index_seconds += time.perf_counter() - started
            self.crawler.stats.inc_value("parkcrawl/warc/indexes")
        logger.info("WARC file written: %s", path)

    def response_downloaded(self, response: Any, request: Any, spider: Any) -> None:
        if self.failed:
            self._tell_state(page_kind(request.meta, request.url), response.url, archived=False)
            return
        started = time.perf_counter()
        try:
            self._archive(response, request, spider)
        finally:
            self.write_seconds += time.perf_counter() - started

    def _archive(self, response: Any, request: Any, spider: Any) -> None:
        kind = page_kind(request.meta, request.url)
        walked = request.cb_kwargs.get("walked") if kind == "article" else None
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=header_pairs(request.headers),
            request_body=request.body,
            status=response.status,
            response_headers=header_pairs(response.headers),
            body=response.body,
            kind=kind,
            ip_address=str(response.ip_address) if response.ip_address else None,
            walked=list(walked) if isinstance(walked, list) else None,
            fetched_at=datetime.now(UTC),
        )
        try:
            record_type = self._writer(spider).write(exchange)
        except OSError as exc:
            self._failed("write", exc)
            self._tell_state(kind, response.url, archived=False)
            return
        self._tell_state(kind, response.url, archived=True)
        self.crawler.stats.inc_value(f"parkcrawl/warc/{record_type}")
        self.crawler.stats.inc_value(f"parkcrawl/warc/kind/{kind}")

    def _tell_state(self, kind: str, url: str, *, archived: bool) -> None:
        """Tell the crawl's state whether an article's response is in the archive: an article
        written to the feed but missing here is fetched again by the next runs (CrawlState)."""
        if kind != "article":
            return
        state = get_state(self.crawler)
        if state is None:
            return
        if archived:
            state.archived(url)
        else:
            state.not_archived(url)

    def item_scraped(self, item: Any) -> None:
        """Keep the title and date of each article written (PARKCRAWL_WACZ_ENABLED)."""
        fields = ItemAdapter(item)
        self.articles.append(
            {name: fields.get(name) for name in ("url", "title", "published_at")}
        )

    def write_wacz(self) -> Path | None:
        """This run's WARC files and articles as ``<prefix>-<timestamp>.wacz`` beside them."""
        if self.writer is None or not self.writer.files:
            return None
        files = self.writer.files
        target = self.folder / f"{self.prefix}-{self.writer.timestamp}.wacz"
        pages, missing = pages_from_lines(self.articles, article_captures(files))
        written = write_wacz(target, files, pages, title=f"{self.prefix} {self.writer.timestamp}")
        stats = self.crawler.stats
        stats.set_value("parkcrawl/wacz/path", str(written.path))
        stats.set_value("parkcrawl/wacz/pages", written.pages)
        if missing:
            # articles with no response in this run's WARC files (e.g. from Scrapy's HTTP cache)
            stats.set_value("parkcrawl/wacz/uncaptured", len(missing))
        logger.info("WACZ file written: %s (%d articles)", written.path, written.pages)
        return written.path

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.writer is not None and not self.failed:
            started = time.perf_counter()
            try:
                self.writer.close()
            except OSError as exc:
                self._failed("finish", exc)
            self.write_seconds += time.perf_counter() - started
        if self.wacz and not self.failed:
            try:
                self.write_wacz()
            except (OSError, ValueError) as exc:
                # The WARC files are whole; `parkcrawl wacz` can package them again.
                self.crawler.stats.inc_value("parkcrawl/wacz/write_failed")
                fail_run(self.crawler, f"cannot write the WACZ file in {self.folder}: {exc}",
                         ARCHIVE_FAILED)
        stats = self.crawler.stats
        stats.set_value("parkcrawl/warc/seconds", round(self.write_seconds, 3))
        stats.set_value("parkcrawl/warc/index_seconds", round(self.index_seconds, 3))
