"""The page object: one article response read once into everything its item needs (pure, no Scrapy).

``read_page(raw, url, content_type, breadcrumb_selector=…)`` decodes and cleans the bytes once
(:func:`parkcrawl.text.clean_page`), parses the cleaned HTML once
(:func:`parkcrawl.extract.body.parse_html`) and reads from that one tree: the site's breadcrumb
override (a sites file's ``breadcrumb_selector``), the article fields
(:func:`parkcrawl.extract.article.extract_fields`, whose ``ArticleFields`` stays the extraction
interface), the media links (:func:`parkcrawl.archive.media.media_from_tree`, over the body node
the extractor found) and the body's fingerprints. The crawl's ``PagePipeline`` and
``parkcrawl reextract`` both go through here, so an archived page re-extracts as it was crawled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from parsel.csstranslator import HTMLTranslator

from parkcrawl.archive.media import media_from_tree
from parkcrawl.extract.article import EMPTY, ArticleFields, extract_fields
from parkcrawl.extract.body import find_body_node, parse_html
from parkcrawl.extract.fingerprint import content_hash
from parkcrawl.extract.participants import participants_of
from parkcrawl.extract.simhash import simhash
from parkcrawl.text import clean_page
from parkcrawl.urls import join_url

# "当前位置：首页 > 动态要闻 > 园区信息": the label and the separators are not levels.
_CRUMB_LABEL = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|位置)[:：]?")
_CRUMB_SEPARATORS = re.compile(r"[>»›→/|]+")
_CRUMB_NOT_LEVELS = frozenset({"正文", "详情", "内容"})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _css_xpath(css: str) -> etree.XPath:
    # parsel's translator, as the sites file validates selectors with it: a selector means the
    # same here as in a parsel Selector.
    return etree.XPath(HTMLTranslator().css_to_xpath(css))


def select_breadcrumb(root: etree._Element, css: str) -> list[str]:
    """The breadcrumb levels a breadcrumb_selector picks: element texts, split at separators."""
    levels: list[str] = []
    for node in _css_xpath(css)(root):
        text = node if isinstance(node, str) else "".join(node.itertext())
        text = _CRUMB_LABEL.sub("", _SPACES.sub("", text))
        for part in _CRUMB_SEPARATORS.split(text):
            part = part.strip("-—:：")
            if part and part not in _CRUMB_NOT_LEVELS and (not levels or levels[-1] != part):
                levels.append(part)
    return levels


def select_breadcrumb_links(
    root: etree._Element, css: str, levels: list[str], base_url: str
) -> list[str | None]:
    """Item for item with ``select_breadcrumb``'s levels: the absolute URL of the link whose text
    is that level among the selected elements, None where a level has no link (schema 1.3)."""
    hrefs: dict[str, str] = {}
    for node in _css_xpath(css)(root):
        if isinstance(node, str):
            continue
        for anchor in node.xpath("self::a | .//a"):
            text = _CRUMB_LABEL.sub("", _SPACES.sub("", "".join(anchor.itertext())))
            hrefs.setdefault(text.strip("-—:："), (anchor.get("href") or "").strip())
    urls: list[str | None] = []
    for level in levels:
        href = hrefs.get(level, "")
        url = join_url(base_url, href) if href and not href.startswith(("#", "javascript:")) else ""
        urls.append(url if url and urlsplit(url).scheme in ("http", "https") else None)
    return urls


@dataclass(frozen=True)
class Page:
    """What one article page yields; media and fingerprints only when it has a title and body."""

    url: str
    encoding: str  # the codec the bytes were decoded with
    script: str  # "Hans" or "Hant": the page's script as served
    quality_flags: tuple[str, ...]  # what cleaning repaired
    fields: ArticleFields
    # The site's breadcrumb_selector's levels: None without a selector, [] when it found nothing
    # (the extractor's breadcrumb then stands, and the pipeline counts a possibly stale selector).
    site_breadcrumb: list[str] | None = None
    site_breadcrumb_urls: list[str | None] | None = None  # item for item with site_breadcrumb
    media: list[dict[str, str | None]] = field(default_factory=list)
    content_hash: str | None = None
    simhash: int | None = None
    # The people named in its title and body (participants_of), when read_page was asked to.
    participants: list[dict[str, str | None]] | None = None

    @property
    def complete(self) -> bool:
        return bool(self.fields.title and self.fields.body)

    def breadcrumb(self, walked: Sequence[str] = ()) -> list[str]:
        """The site's selector's levels, else the page's own breadcrumb, else the path walked."""
        return list(self.site_breadcrumb or self.fields.breadcrumb or walked)

    def breadcrumb_urls(self, walked: Sequence[str] = ()) -> list[str | None]:
        """Item for item with :meth:`breadcrumb`; the walked path's names carry no link."""
        if self.site_breadcrumb:
            return list(self.site_breadcrumb_urls or [None] * len(self.site_breadcrumb))
        if self.fields.breadcrumb:
            return list(self.fields.breadcrumb_urls)
        return [None] * len(walked)


def read_page(
    raw: bytes,
    url: str,
    content_type: str | None = None,
    *,
    breadcrumb_selector: str | None = None,
    convert: bool = True,
    participants: bool = False,
) -> Page:
    """Read one article response: one decode, one tree, every field the item needs.

    ``participants``: name the people too (the participants stage's function, run here so a
    page worker does both in one call; see PagePipeline).
    """
    cleaned = clean_page(raw, content_type, convert=convert)
    root = parse_html(cleaned.html)
    site_breadcrumb: list[str] | None = None
    site_urls: list[str | None] | None = None
    if root is None:
        fields = EMPTY
    else:
        # Before extraction, which removes the body's widgets in place.
        if breadcrumb_selector:
            site_breadcrumb = select_breadcrumb(root, breadcrumb_selector)
            site_urls = select_breadcrumb_links(root, breadcrumb_selector, site_breadcrumb, url)
        container = find_body_node(root)
        fields = extract_fields(root, container, cleaned.html, url)
    page = Page(url, cleaned.encoding, cleaned.script, cleaned.quality_flags, fields,
                site_breadcrumb, site_urls)  # fmt: skip
    if root is None or not page.complete:
        return page  # dropped for its missing title or body: nothing more to read
    return Page(
        url, cleaned.encoding, cleaned.script, cleaned.quality_flags, fields, site_breadcrumb,
        site_urls,
        media=media_from_tree(root, container, url),
        content_hash=content_hash(fields.title, fields.body),
        simhash=simhash(fields.body),
        participants=participants_of(article_text(fields.title, fields.body)) if participants
        else None,
    )


def article_text(title: str | None, body: str | None) -> str:
    """The text the participants are named in: the title, a newline, the body."""
    return f"{title or ''}\n{body or ''}"
