"""Item pipelines, in order: clean encoding → extract → participants → deduplicate → release.

Each stage is thin glue around a pure function of :mod:`parkcrawl.text` or
:mod:`parkcrawl.extract`, enabled by its entry in ``ITEM_PIPELINES``.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from parkcrawl.dedup import Claim, MemoryClaims, Verdict
from parkcrawl.extract.article import extract_article
from parkcrawl.extract.fingerprint import content_hash
from parkcrawl.extract.participants import extract_participants
from parkcrawl.extract.simhash import simhash
from parkcrawl.items import Article
from parkcrawl.outcomes import DEDUP_OUTCOMES, Drop
from parkcrawl.state import get_state, title_key
from parkcrawl.text import clean_page
from parkcrawl.urls import absolute_canonical_url, canonical_url


class DropArticle(DropItem):
    """An article that must not be written; ``reason`` is the short key the report counts.

    Logged at INFO when the drop is an expected outcome (a duplicate, an unchanged article:
    DEDUP_OUTCOMES), at Scrapy's DEFAULT_DROPITEM_LOG_LEVEL (WARNING) otherwise, so a WARNING
    count means something to an operator.
    """

    def __init__(self, reason: Drop, detail: str = "", log_level: str | None = None):
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
        # The text fields are Simplified once converted; unconverted they keep the page's script.
        item.language = "zh-Hans" if self.convert_script else f"zh-{page.script}"
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
            raise DropArticle(Drop.NO_TITLE, item.url)
        if not fields.body:
            raise DropArticle(Drop.NO_BODY, item.url)
        item.title = fields.title
        item.body = fields.body
        item.published_at = fields.published_at
        item.source = fields.source
        # The page's own breadcrumb; the path we walked where the page has none.
        item.breadcrumb = fields.breadcrumb or list(item.walked_path)
        item.site_name = fields.site_name
        item.channel = fields.column
        item.column = fields.column  # deprecated name of channel, written through 1.x
        item.canonical_url = absolute_canonical_url(item.url)
        item.authors = fields.authors
        item.description = fields.description
        item.keywords = fields.keywords
        item.modified_at = fields.modified_at
        # Item for item with the breadcrumb; the walked path's names carry no link.
        item.breadcrumb_urls = (
            fields.breadcrumb_urls if fields.breadcrumb else [None] * len(item.breadcrumb)
        )
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

    The policy is :mod:`parkcrawl.dedup`'s, asked of the state's store (CrawlState on) or of
    memory (off): within the run the same canonical URL, the same normalized content, or a near
    duplicate (same title, SimHash within NEAR_DUPLICATE_BITS) is dropped; across runs an
    unchanged article is dropped as ``unchanged``, a changed one is emitted with its revision
    incremented and its first_seen_at kept.
    """

    # The run's name in the store; distributed mode names the shared run instead.
    RUN = "run"

    def __init__(self, claims: Any = None) -> None:
        self.claims: Any = claims or MemoryClaims()
        self.run_prefix = self.RUN
        self.use_state = True

    @classmethod
    def from_crawler(cls, crawler: Any) -> DeduplicatePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        state = get_state(self.crawler)
        if state is not None and state.opened:
            self.claims = state.store

    def _count(self, event: str) -> None:
        self.crawler.stats.inc_value(f"parkcrawl/dedup/{event}")

    def claim(self, item: Article) -> Claim:
        # SimHash computed once here; the state keeps it with the article (CrawlState).
        item.body_simhash = simhash(item.body or "")
        return self.claims.claim(
            self.run_prefix, canonical_url(item.url), item.url, item.content_hash or "",
            title_key(item.title or ""), item.body_simhash, item.fetched_at or "",
            use_state=self.use_state,
        )

    def apply(self, item: Article, claim: Claim) -> Article:
        """Drop the article the verdict rejects; give a changed one its revision."""
        self._count(claim.event)
        if claim.event is Verdict.UNCHANGED:
            raise DropArticle(Drop.UNCHANGED, item.url)
        if claim.event is Verdict.URL_DUPLICATE:
            raise DropArticle(Drop.DUPLICATE_URL, item.url)
        if claim.event is Verdict.CONTENT_DUPLICATE:
            raise DropArticle(Drop.DUPLICATE_CONTENT, f"{item.url} = {claim.other}")
        if claim.event is Verdict.NEAR_DUPLICATE:
            raise DropArticle(Drop.NEAR_DUPLICATE, f"{item.url} ~ {claim.other}")
        if claim.event is Verdict.CHANGED:
            item.revision = claim.revision
            item.first_seen_at = claim.first_seen_at
        return item

    def process_item(self, item: Article) -> Article:
        return self.apply(item, self.claim(item))


class ReleaseRawPagePipeline:
    """Free the raw bytes and cleaned HTML once extraction is done, so items stay small."""

    def process_item(self, item: Article) -> Article:
        item.raw_body = None
        item.html = None
        return item
