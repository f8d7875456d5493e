"""CrawlState: what earlier runs emitted, so a scheduled run emits only what is new or changed.

Enabled by PARKCRAWL_STATE_ENABLED (default on); the SQLite store lives in PARKCRAWL_STATE_DIR.
An article is recorded only once its line is durably in every local feed: this extension's
``item_scraped`` handler runs after the exporter's, skips an article whose write failed, and
records articles in batches after an fsync of the feed files (PARKCRAWL_STATE_SYNC_INTERVAL), so
the state never claims a line that is not on disk. A run killed between the write and the record
is repaired by the next run, which records the lines past the last recorded offset of the output
— only lines of the sites this crawl walks, so a demo's lines are never adopted by a real crawl.
A state that cannot be opened, checked or written fails the run before any request (or stops it
when the disk fills up during the run).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from w3lib.url import file_uri_to_path

from parkcrawl import signals as parkcrawl_signals
from parkcrawl.extract.simhash import simhash
from parkcrawl.outcomes import STATE_FAILED, fail_run
from parkcrawl.storage import ArticleStateStore, StateError
from parkcrawl.urls import canonical_url

logger = logging.getLogger(__name__)

WALK_COMPLETE = "walk_complete"


def title_key(title: str) -> str:
    """Normalized title: near duplicates are looked for among articles sharing it."""
    return "".join(ch for ch in title if ch.isalnum())


def local_jsonl_feed(feeds: dict[str, Any]) -> tuple[Path, bool] | None:
    """The first local JSON-lines feed and whether it appends (the run's output of record)."""
    for uri, options in feeds.items():
        uri = str(uri)
        if options.get("format") not in ("jsonlines", "jsonl", "jl"):
            continue
        if uri.startswith("file:"):
            uri = file_uri_to_path(uri)
        elif "://" in uri or "%(" in uri:
            continue
        return Path(uri), not options.get("overwrite", False)
    return None


class CrawlState:
    """Persistent article state for incremental runs; PARKCRAWL_STATE_ENABLED, PARKCRAWL_STATE_DIR."""

    def __init__(
        self, crawler: Any, store: Any, output: tuple[Path, bool] | None, *,
        sync_interval: float = 1.0, sync_batch: int = 200,
    ):
        self.crawler = crawler
        self.store = store
        self.output = output
        self.sync_interval = sync_interval
        self.sync_batch = sync_batch
        # Why the state cannot be used (locked, damaged, unwritable): the run fails before any
        # request (the spider reads it in start()).
        self.unusable_reason: str | None = None
        self.previous_walk_complete = False
        self.opened = False
        self.failed = False
        self.feed_files: list[Any] = []
        self.pending: list[Any] = []
        self.last_sync = time.monotonic()
        # Articles recorded whose response is not in the WARC archive (the archive failed while
        # their lines were still written): later runs fetch them again, so the archive gets them,
        # and dedup keeps their line from being written twice (unchanged). The store keeps the
        # keys (store.unarchived / mark_unarchived); this run's changes wait here until saved.
        self.unarchived: set[str] = set()
        self._now_unarchived: set[str] = set()
        self._now_archived: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlState:
        settings = crawler.settings
        if not settings.getbool("PARKCRAWL_STATE_ENABLED", True):
            raise NotConfigured("PARKCRAWL_STATE_ENABLED is off")
        state_dir = settings.get("PARKCRAWL_STATE_DIR") or "output/state"
        ext = cls(
            crawler, ArticleStateStore(state_dir), local_jsonl_feed(settings.getdict("FEEDS")),
            **sync_settings(settings),
        )
        ext.connect_signals()
        return ext

    def connect_signals(self) -> None:
        connect = self.crawler.signals.connect
        connect(self.spider_opened, signal=signals.spider_opened)
        connect(self.spider_closed, signal=signals.spider_closed)
        connect(self.item_scraped, signal=signals.item_scraped)
        connect(self.feed_file_opened, signal=parkcrawl_signals.feed_file_opened)

    def spider_opened(self, spider: Any) -> None:
        try:
            self.store.open()
            self.opened = True
            self.previous_walk_complete = self.store.get_meta(WALK_COMPLETE) == "1"
            self.load_unarchived()
            # Until this run finishes its walk, a later run must not trust the state to be complete.
            self.store.set_meta(WALK_COMPLETE, "0")
            self._record_unrecorded_output(spider)
        except StateError as exc:
            self._unusable(str(exc))
        except (sqlite3.Error, OSError) as exc:
            self._unusable(f"cannot use the state in {self.store.directory}: {exc}")

    def _unusable(self, message: str) -> None:
        self.unusable_reason = message
        if self.opened:
            self.store.close()
            self.opened = False

    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.opened:
            return
        self.flush()
        if self.unarchived_changed and not self.failed:
            self._write(self.save_unarchived)  # archived this run, nothing recorded since
        stats = self.crawler.stats
        # A walk a cap cut short (spider.walk_cut) left list pages unread: not complete either.
        if (
            reason == "finished" and not self.failed and not getattr(spider, "failure", None)
            and not stats.get_value("parkcrawl/list_page_failed")
            and not getattr(spider, "walk_cut", None)
        ):
            self._write(self.store.set_meta, WALK_COMPLETE, "1")
        self.store.close()
        self.opened = False

    # --- queries for the spider and the dedup pipeline ---
    def known(self, url: str) -> bool:
        """Recorded by an earlier run, and in the archive (else it is fetched again for it)."""
        if not self.opened:
            return False
        key = canonical_url(url)
        return key not in self.unarchived and self.store.contains(key)

    # --- what the WARC archive holds (parkcrawl.archive.extension.WarcArchive tells) ---
    def not_archived(self, url: str) -> None:
        """An article whose response the archive could not write."""
        key = canonical_url(url)
        if key not in self.unarchived:
            self.unarchived.add(key)
            self._now_unarchived.add(key)
            self._now_archived.discard(key)

    def archived(self, url: str) -> None:
        """An article whose response is now in the archive."""
        if self.unarchived:
            key = canonical_url(url)
            if key in self.unarchived:
                self.unarchived.discard(key)
                self._now_archived.add(key)
                self._now_unarchived.discard(key)

    @property
    def unarchived_changed(self) -> bool:
        return bool(self._now_unarchived or self._now_archived)

    def load_unarchived(self) -> None:
        try:
            self.unarchived = self.store.unarchived()
        except (ValueError, TypeError) as exc:
            # Not worth failing the run for: those articles are just not fetched again.
            logger.warning("the state's list of articles missing from the archive is unreadable "
                           "(%s): ignored", exc)
            self.unarchived = set()

    def save_unarchived(self) -> None:
        """Write this run's changes to the list; kept for the next save if the write fails."""
        added, archived = set(self._now_unarchived), set(self._now_archived)
        self.store.mark_unarchived(added, archived)
        self._now_unarchived -= added
        self._now_archived -= archived

    # --- recording ---
    def _offset_meta(self) -> dict[str, str]:
        if self.output is None or not self.output[1]:
            return {}
        path = self.output[0]
        try:
            return {f"offset:{path.resolve()}": str(path.stat().st_size)}
        except FileNotFoundError:
            return {}

    def feed_file_opened(self, file: Any) -> None:
        self.feed_files.append(file)

    def item_scraped(self, item: Any) -> None:
        if not self.opened or self.failed:
            return
        if any(file.error is not None for file in self.feed_files):
            return  # this article's line may not be in the file: the next run emits it
        self.pending.append(item)
        if (
            len(self.pending) >= self.sync_batch
            or time.monotonic() - self.last_sync >= self.sync_interval
        ):
            self.flush()

    def flush(self) -> None:
        """fsync the feed files, then record the articles whose lines they now hold for sure."""
        self.last_sync = time.monotonic()
        if not self.pending or self.failed:
            return
        try:
            for file in self.feed_files:
                file.sync()
        except OSError:
            self.pending.clear()  # the feed storage has stopped the run and said why
            return
        pending, self.pending = self.pending, []
        if self._write(self._record_all, pending, self._offset_meta()):
            self.crawler.stats.inc_value("parkcrawl/state/recorded", len(pending))

    def _record_all(self, items: list[Any], offset: dict[str, str]) -> None:
        # One transaction: a failure records none of them (their lines are in the feed, and the
        # next run adopts them from there).
        added, archived = set(self._now_unarchived), set(self._now_archived)
        with self.store.batch():
            if added or archived:
                # first, so that no article is recorded as archived that is not
                self.store.mark_unarchived(added, archived)
            for number, item in enumerate(items, 1):
                self._record(item, offset if number == len(items) else None)
        # committed with the batch, not before
        self._now_unarchived -= added
        self._now_archived -= archived

    def _record(self, item: Any, meta: dict[str, str] | None) -> None:
        self.store.add(
            canonical_url(item.url),
            item.url,
            item.content_hash,
            item.fetched_at,
            published_at=item.published_at,
            etag=item.response_headers.get("etag"),
            last_modified=item.response_headers.get("last-modified"),
            title_key=title_key(item.title or ""),
            # computed once by the dedup pipeline; a run without it computes it here
            simhash=item.body_simhash if item.body_simhash is not None else simhash(item.body or ""),
            meta=meta,
        )

    def _write(self, change: Any, *args: Any) -> bool:
        """Run one change of the store; a failure (disk full, file gone) stops the run."""
        try:
            change(*args)
        except (sqlite3.Error, OSError) as exc:
            self.failed = True
            self.pending.clear()
            fail_run(
                self.crawler,
                f"cannot write the state in {getattr(self.store, 'directory', 'the store')}: "
                f"{exc} (the articles written but not recorded are recorded by the next run)",
                STATE_FAILED,
            )
            return False
        return True

    def _record_unrecorded_output(self, spider: Any = None) -> None:
        """Record the complete lines a killed run wrote after its last recorded article.

        Only lines of the sites this crawl walks are adopted: a demo or another crawl that wrote
        to the same file must not make this crawl think it emitted their articles."""
        if self.output is None or not self.output[1] or not self.output[0].exists():
            return
        hosts = crawl_hosts(spider)
        foreign = 0
        path = self.output[0]
        name = f"offset:{path.resolve()}"
        offset = int(self.store.get_meta(name) or 0)
        size = path.stat().st_size
        if offset > size:
            offset = 0  # the file was replaced: everything in it is unrecorded
        recovered = 0
        with path.open("rb") as f:
            f.seek(offset)
            for raw in f:
                if not raw.endswith(b"\n"):
                    break  # a torn line: the feed storage cuts it off before appending
                try:
                    line = json.loads(raw)
                    key = canonical_url(line["url"])
                except (ValueError, KeyError, TypeError):
                    continue
                offset += len(raw)
                if hosts is not None and not belongs_to(line["url"], hosts):
                    foreign += 1
                    continue
                if self.store.contains(key):
                    continue
                self.store.add(
                    key, line["url"], line.get("content_hash") or "", line.get("fetched_at") or "",
                    published_at=line.get("published_at"),
                    title_key=title_key(line.get("title") or ""),
                    simhash=simhash(line.get("body") or ""),
                    meta={name: str(offset)},
                )
                recovered += 1
        self.store.set_meta(name, str(max(offset, int(self.store.get_meta(name) or 0))))
        if recovered:
            logger.warning("recorded %d article(s) a previous run wrote but did not record", recovered)
            self.crawler.stats.set_value("parkcrawl/state/recovered_from_output", recovered)
        if foreign:
            logger.warning(
                "%s holds %d line(s) of other sites after the last recorded article; not adopted "
                "(another crawl writes to the same file: give each crawl its own output)",
                path, foreign,
            )
            self.crawler.stats.set_value("parkcrawl/state/foreign_lines_skipped", foreign)


def _host_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower().rstrip("."), parts.port


def crawl_hosts(spider: Any) -> list[tuple[str, int | None]] | None:
    """(host, explicit port) of the sites a crawl walks; None when the spider does not say."""
    sites = getattr(spider, "sites", None)
    if not sites:
        return None
    return [_host_port(site.start_url) for site in sites.values()]


def belongs_to(url: str, hosts: list[tuple[str, int | None]]) -> bool:
    """Is ``url`` an article of one of these sites? The same rule as the crawl's offsite policy
    (the host or a subdomain of it), and where both name a port, the same port: two servers on
    one address (the demo and a local site) are two sites."""
    host, port = _host_port(url)
    for site_host, site_port in hosts:
        if host == site_host or host.endswith("." + site_host):
            if port is not None and site_port is not None and port != site_port:
                continue
            return True
    return False


def sync_settings(settings: Any) -> dict[str, Any]:
    return {
        "sync_interval": settings.getfloat("PARKCRAWL_STATE_SYNC_INTERVAL", 1.0),
        "sync_batch": settings.getint("PARKCRAWL_STATE_SYNC_BATCH", 200),
    }


def get_state(crawler: Any) -> CrawlState | None:
    """The run's CrawlState extension, or None when it is switched off."""
    return crawler.get_extension(CrawlState) if crawler else None



