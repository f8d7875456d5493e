"""Item pipelines, in order: clean encoding → extract → participants → deduplicate → release.

Each stage is thin glue around a pure function of :mod:`parkcrawl.text` or
:mod:`parkcrawl.extract`, enabled by its entry in ``ITEM_PIPELINES``.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.fingerprint import content_hash
from parkcrawl.extract.participants import extract_participants
from parkcrawl.items import Article
from parkcrawl.text import clean_page


class DropArticle(DropItem):
    """An article that must not be written; ``reason`` is the short key the report counts."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
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
    """Drop an article whose normalized content was already emitted in this run."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DeduplicatePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Article) -> Article:
        if item.content_hash in self.seen:
            self.crawler.stats.inc_value("parkcrawl/dedup/content_duplicate")
            raise DropArticle("duplicate content", item.url)
        if item.content_hash:
            self.seen.add(item.content_hash)
        return item


class ReleaseRawPagePipeline:
    """Free the raw bytes and cleaned HTML once extraction is done, so items stay small."""

    def process_item(self, item: Article) -> Article:
        item.raw_body = None
        item.html = None
        return item
