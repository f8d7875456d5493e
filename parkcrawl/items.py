"""The article item: output fields in output order, then fields the pipelines use internally."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Bump the minor version for added fields, the major one for changed or removed fields.
SCHEMA_VERSION = "1.3"

# Internal fields carry the raw page between stages; FEED_EXPORT_FIELDS leaves them out.
_INTERNAL = {"internal": True}


@dataclass
class Article:
    """One article of the target section, as written to JSONL (see schema/article.schema.json)."""

    url: str
    """Article URL as fetched (after redirects)."""
    title: str | None = None
    """Cleaned title, Simplified Chinese, no pinyin annotations."""
    body: str | None = None
    """Cleaned article text, Simplified, paragraphs joined by newlines."""
    published_at: str | None = None
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]+08:00``, the precision the page gives."""
    breadcrumb: list[str] = field(default_factory=list)
    """The page's own breadcrumb, cleaned (no trailing 正文); the walked path if it has none."""
    participants: list[dict[str, str | None]] = field(default_factory=list)
    """People named in the article, in order of first appearance: ``{"name", "role"}``."""
    source: str | None = None
    """The 来源 line, cleaned."""
    content_hash: str | None = None
    """SHA-256 hex digest of the normalized title and body."""
    fetched_at: str | None = None
    """When the page was fetched, ISO 8601 UTC."""
    encoding: str | None = None
    """The codec the page's bytes were decoded with."""
    script: str | None = None
    """``Hans`` or ``Hant``: the script of the page as served."""
    quality_flags: list[str] = field(default_factory=list)
    """What the cleaner had to repair, e.g. ``pinyin_annotations``, ``lost_characters``."""
    site_name: str | None = None
    """The site's name as its ``SiteName`` meta tag gives it, or null."""
    column: str | None = None
    """Deprecated since 1.3, removed in 2.0: the same value as ``channel``."""
    site: str | None = None
    """The site's name in the sites file (``-a site=NAME``); null for a ``-a start_url`` crawl."""
    revision: int = 1
    """1 when first emitted; incremented each time a later run finds the content changed."""
    first_seen_at: str | None = None
    """When any run first emitted this article, ISO 8601 UTC (kept across revisions)."""
    media: list[dict[str, str | None]] = field(default_factory=list)
    """Images and attachments linked from the article body: ``{"url", "type", "caption"}``."""
    channel: str | None = None
    """The column the page declares in its ``ColumnName`` meta tag (it may be wrong), or null."""
    canonical_url: str | None = None
    """The URL every copy of the article shares (the dedup key), with the scheme fetched."""
    language: str | None = None
    """BCP 47 tag of the text fields: ``zh-Hans`` after conversion, else the page's script."""
    authors: list[dict[str, str]] = field(default_factory=list)
    """By-line credits (作者, 记者, 编辑, 通讯员, 摄影), in page order: ``{"name", "role"}``."""
    description: str | None = None
    """The page's ``Description`` meta tag, or null."""
    keywords: list[str] = field(default_factory=list)
    """The page's ``Keywords`` meta tag, split into terms."""
    modified_at: str | None = None
    """When the page says it was last modified, as ``published_at``; null when it does not say."""
    breadcrumb_urls: list[str | None] = field(default_factory=list)
    """The absolute URL of each ``breadcrumb`` item's link, null where the item has none."""
    schema_version: str = SCHEMA_VERSION
    """The version of the output schema this line follows (schema/article.schema.json)."""

    # --- internal: filled by the spider and cleaning stage, never exported ---
    raw_body: bytes | None = field(default=None, repr=False, metadata=_INTERNAL)
    content_type: str | None = field(default=None, metadata=_INTERNAL)
    walked_path: list[str] = field(default_factory=list, metadata=_INTERNAL)
    html: str | None = field(default=None, repr=False, metadata=_INTERNAL)
    response_headers: dict[str, str] = field(default_factory=dict, metadata=_INTERNAL)
    body_simhash: int | None = field(default=None, metadata=_INTERNAL)
    # The participants, when they were named with the page in one worker call (PagePipeline):
    # ParticipantsPipeline puts them on the item instead of naming them again.
    named_ahead: list[dict[str, str | None]] | None = field(default=None, metadata=_INTERNAL)


def output_fields(item_class: Any = Article) -> list[str]:
    """The exported field names, in output order."""
    return [f.name for f in fields(item_class) if not f.metadata.get("internal")]
