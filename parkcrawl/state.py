"""CrawlState: what earlier runs emitted, so a scheduled run emits only what is new or changed.

Enabled by PARKNEWS_STATE_ENABLED (default on); the SQLite store lives in PARKNEWS_STATE_DIR.
An article is recorded only after Scrapy's feed exporter has written its line (this extension's
``item_scraped`` handler runs after the exporter's, and the feed storage writes through), so the
state never claims a line that is not in the file. A run killed between the write and the record
is repaired by the next run, which records the lines past the last recorded offset of the output.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from w3lib.url import file_uri_to_path

from parkcrawl.extract.simhash import simhash
from parkcrawl.storage import ArticleStateStore, StateLockedError
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
    """Persistent article state for incremental runs; PARKNEWS_STATE_ENABLED, PARKNEWS_STATE_DIR."""

    def __init__(self, crawler: Any, store: ArticleStateStore, output: tuple[Path, bool] | None):
        self.crawler = crawler
        self.store = store
        self.output = output
        self.lock_error: str | None = None
        self.previous_walk_complete = False
        self.opened = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlState:
        settings = crawler.settings
        if not settings.getbool("PARKNEWS_STATE_ENABLED", True):
            raise NotConfigured("PARKNEWS_STATE_ENABLED is off")
        state_dir = settings.get("PARKNEWS_STATE_DIR") or "output/state"
        ext = cls(crawler, ArticleStateStore(state_dir), local_jsonl_feed(settings.getdict("FEEDS")))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def spider_opened(self, spider: Any) -> None:
        try:
            self.store.open()
        except StateLockedError as exc:
            self.lock_error = str(exc)
            return
        self.opened = True
        self.previous_walk_complete = self.store.get_meta(WALK_COMPLETE) == "1"
        # Until this run finishes its walk, a later run must not trust the state to be complete.
        self.store.set_meta(WALK_COMPLETE, "0")
        self._record_unrecorded_output()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.opened:
            return
        stats = self.crawler.stats
        # A walk a cap cut short (spider.walk_cut) left list pages unread: not complete either.
        if reason == "finished" and not getattr(spider, "failure", None) and not stats.get_value(
            "parknews/list_page_failed"
        ) and not getattr(spider, "walk_cut", None):
            self.store.set_meta(WALK_COMPLETE, "1")
        self.store.close()
        self.opened = False

    # --- queries for the spider and the dedup pipeline ---
    def known(self, url: str) -> bool:
        return self.opened and self.store.contains(canonical_url(url))

    # --- recording ---
    def _offset_meta(self) -> dict[str, str]:
        if self.output is None or not self.output[1]:
            return {}
        path = self.output[0]
        try:
            return {f"offset:{path.resolve()}": str(path.stat().st_size)}
        except FileNotFoundError:
            return {}

    def item_scraped(self, item: Any) -> None:
        if not self.opened:
            return
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
            meta=self._offset_meta(),
        )
        self.crawler.stats.inc_value("parkcrawl/state/recorded")

    def _record_unrecorded_output(self) -> None:
        """Record the complete lines a killed run wrote after its last recorded article."""
        if self.output is None or not self.output[1] or not self.output[0].exists():
            return
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


def get_state(crawler: Any) -> CrawlState | None:
    """The run's CrawlState extension, or None when it is switched off."""
    return crawler.get_extension(CrawlState) if crawler else None



