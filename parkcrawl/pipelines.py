"""Item pipelines, in order: clean encoding → extract → participants → deduplicate → release.

Each stage is thin glue around a pure function of :mod:`parkcrawl.text` or
:mod:`parkcrawl.extract`, enabled by its entry in ``ITEM_PIPELINES``.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from parkcrawl.extensions import DEDUP_OUTCOMES
from parkcrawl.extract.article import extract_article
from parkcrawl.extract.fingerprint import content_hash
from parkcrawl.extract.participants import extract_participants
from parkcrawl.extract.simhash import is_near_duplicate, simhash
from parkcrawl.items import Article
from parkcrawl.state import CrawlState, get_state, title_key
from parkcrawl.text import clean_page
from parkcrawl.urls import canonical_url


class DropArticle(DropItem):
    """An article that must not be written; ``reason`` is the short key the report counts.

    Logged at INFO when the drop is an expected outcome (a duplicate, an unchanged article:
    DEDUP_OUTCOMES), at Scrapy's DEFAULT_DROPITEM_LOG_LEVEL (WARNING) otherwise, so a WARNING
    count means something to an operator.
    """

    def __init__(self, reason: str, detail: str = "", log_level: str | None = None):
        if log_level is None and reason in DEDUP_OUTCOMES:
            log_level = "INFO"
        super().__init__(f"{reason}: {detail}" if detail else reason, log_level=log_level)
        self.reason = reason


class CleanEncodingPipeline:
    """Decode the raw page and clean its text (pinyin annotations, script); PARKCRAWL_CONVERT_SCRIPT."""

    def __init__(self, convert_script: bool = True):
        self.convert_script = convert_script

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanEncodingPipeline:
        pipeline = cls(crawler.settings.getbool("PARKCRAWL_CONVERT_SCRIPT", True))
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Article) -> Article:
        if item.raw_body is None:
            return item
        page = clean_page(item.raw_body, item.content_type, convert=self.convert_script)
        item.html = page.html
        item.encoding = page.encoding
        item.script = page.script
        item.quality_flags = list(page.quality_flags)
        for flag in page.quality_flags:
            self.crawler.stats.inc_value(f"parkcrawl/clean/{flag}")
        return item


class ExtractArticlePipeline:
    """Extract title, body, date, source and breadcrumb; drop pages with no title or body."""

    def process_item(self, item: Article) -> Article:
        if item.html is None:
            return item
        fields = extract_article(item.html, item.url)
        if not fields.title:
            raise DropArticle("no title found", item.url)
        if not fields.body:
            raise DropArticle("no body found", item.url)
        item.title = fields.title
        item.body = fields.body
        item.published_at = fields.published_at
        item.source = fields.source
        # The page's own breadcrumb; the path we walked where the page has none.
        item.breadcrumb = fields.breadcrumb or list(item.walked_path)
        item.site_name = fields.site_name
        item.column = fields.column
        item.content_hash = content_hash(fields.title, fields.body)
        return item


class ParticipantsPipeline:
    """Name the people in the article with the office they hold."""

    def process_item(self, item: Article) -> Article:
        text = f"{item.title or ''}\n{item.body or ''}"
        item.participants = [
            {"name": person.name, "role": person.role} for person in extract_participants(text)
        ]
        return item


class DeduplicatePipeline:
    """Emit each article once: drop copies within the run and articles earlier runs emitted.

    Within the run: the same canonical URL, the same normalized content, or a near duplicate
    (same title, SimHash within NEAR_DUPLICATE_BITS) is dropped. Across runs (when CrawlState is
    on): an unchanged article is dropped as ``unchanged``; a changed one is emitted with its
    revision incremented and its first_seen_at kept.
    """

    def __init__(self, state: CrawlState | None = None) -> None:
        self.state = state
        self.keys: set[str] = set()
        self.hashes: set[str] = set()
        self.titles: dict[str, list[tuple[int, str]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DeduplicatePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        self.state = get_state(self.crawler)

    def _count(self, event: str) -> None:
        self.crawler.stats.inc_value(f"parkcrawl/dedup/{event}")

    def process_item(self, item: Article) -> Article:
        key = canonical_url(item.url)
        digest = item.content_hash or ""
        if key in self.keys:
            self._count("url_duplicate")
            raise DropArticle("duplicate url", item.url)
        if digest in self.hashes:
            self._count("content_duplicate")
            raise DropArticle("duplicate content", item.url)
        tkey = title_key(item.title or "")
        body_hash = item.body_simhash = simhash(item.body or "")
        for other_hash, other_url in self.titles.get(tkey, ()):
            if is_near_duplicate(body_hash, other_hash):
                self._count("near_duplicate")
                raise DropArticle("near duplicate", f"{item.url} ~ {other_url}")
        store = self.state.store if self.state is not None and self.state.opened else None
        if store is not None:
            known = store.get(key)
            if known is not None and known.content_hash == digest:
                store.touch(key, item.fetched_at or known.last_seen_at)
                self._count("unchanged")
                raise DropArticle("unchanged", item.url)
            if known is not None:
                item.revision = known.revision + 1
                item.first_seen_at = known.first_seen_at
                self._count("changed")
            else:
                copy_of = store.key_for_hash(digest)
                if copy_of is not None:
                    self._count("content_duplicate")
                    raise DropArticle("duplicate content", f"{item.url} = {copy_of}")
                for other_key, other_hash in store.same_title(tkey):
                    if is_near_duplicate(body_hash, other_hash):
                        self._count("near_duplicate")
                        raise DropArticle("near duplicate", f"{item.url} ~ {other_key}")
                self._count("new")
        self.keys.add(key)
        self.hashes.add(digest)
        self.titles.setdefault(tkey, []).append((body_hash, item.url))
        return item


class ReleaseRawPagePipeline:
    """Free the raw bytes and cleaned HTML once extraction is done, so items stay small."""

    def process_item(self, item: Article) -> Article:
        item.raw_body = None
        item.html = None
        return item
