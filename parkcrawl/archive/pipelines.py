"""Article media: fetch each listed image and attachment once into the archive.

- ``item.media`` is listed by the page stage (:func:`parkcrawl.page.read_page` calls
  :func:`parkcrawl.archive.media.media_from_tree` on the tree extraction used), so
  ``parkcrawl reextract`` lists them too.
- ``MediaDownloadPipeline`` (a Scrapy ``MediaPipeline``) downloads every listed URL once per run
  (MediaPipeline's own cache dedups by request fingerprint). The download passes through the
  downloader, so the WARC extension archives it with page kind ``media``; a payload already
  archived under another URL becomes a ``revisit`` record there. Nothing is stored elsewhere.
  Which URLs may be fetched at all is :mod:`parkcrawl.netpolicy`'s decision (MediaGuardMiddleware,
  on every redirect hop): a refused one is counted ``parkcrawl/media/refused/<reason>`` and stays
  listed in ``item.media``, unarchived.

Enabled by its ``ITEM_PIPELINES`` entry.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from scrapy import Request
from scrapy.pipelines.media import (
    FileException,
    FileInfo,
    MediaPipeline,
    _MediaRequestFiltered,  # what FilesPipeline raises for these
)

from parkcrawl.archive.warc import ARCHIVE_KIND_KEY, MEDIA_KIND, payload_digest
from parkcrawl.failures import exception_reason
from parkcrawl.middlewares import RETRY_UNREACHABLE
from parkcrawl.netpolicy import FetchRefused

logger = logging.getLogger(__name__)


class MediaDownloadPipeline(MediaPipeline):
    """Fetch each listed image and attachment once, so the archive holds it (kind ``media``)."""

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        # allow_offsite: Scrapy's OffsiteMiddleware (the pages' allowed_domains) does not judge
        # media; parkcrawl.netpolicy.MediaGuardMiddleware does, on every hop (site host, or its
        # domain, or PARKCRAWL_MEDIA_ALLOWED_HOSTS; never a private address of a public crawl).
        # RETRY_UNREACHABLE off: a media host that does not resolve or refuses connections is
        # gone (a dead CDN, an offline machine), and retrying it only delays the crawl.
        return [
            Request(
                media["url"],
                meta={ARCHIVE_KIND_KEY: MEDIA_KIND, "allow_offsite": True, RETRY_UNREACHABLE: False},
            )
            for media in getattr(item, "media", None) or []
            if media.get("url")
        ]

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> None:
        return None  # nothing is kept outside the archive: always fetch (once per run)

    def media_downloaded(
        self, response: Any, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> FileInfo:
        if response.status != 200:
            self.crawler.stats.inc_value("parkcrawl/media/failed")
            raise FileException(f"status {response.status}")
        self.crawler.stats.inc_value("parkcrawl/media/downloaded")
        return {
            "url": response.url,
            "path": self.file_path(request, response, info, item=item),
            "checksum": payload_digest(response.body),
            "status": "downloaded",
        }

    def media_failed(self, failure: Any, request: Request, info: MediaPipeline.SpiderInfo) -> Any:
        # Scrapy's own marker for a filtered media request keeps MediaPipeline from logging the
        # failure as an ERROR with a ~25-line traceback.
        if isinstance(failure.value, FetchRefused):
            # Counted and logged in one line by MediaGuardMiddleware (also a DNS answer refused
            # by AddressGuardResolver).
            raise _MediaRequestFiltered(str(failure.value)) from failure.value
        if not isinstance(failure.value, FileException):
            self.crawler.stats.inc_value("parkcrawl/media/failed")  # a non-200 was counted
        # A dead image or attachment link is everyday on real sites and no fault of the crawl:
        # one line, counted, and the link stays listed in item.media.
        reason = str(failure.value) if isinstance(failure.value, FileException) else (
            exception_reason(failure.value)
        )
        logger.warning("media %s not archived: %s", request.url, reason)
        raise _MediaRequestFiltered(reason) from failure.value

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        # Failures were logged by MediaPipeline; item.media keeps every listed link
        # whether or not it could be fetched: it describes the article, as re-extraction will.
        return item

    def file_path(
        self, request: Request, response: Any = None, info: Any = None, *, item: Any = None
    ) -> str:
        # Nothing is written to a file store; the archive is the store. A stable name for logs.
        return "warc:" + hashlib.sha1(request.url.encode("utf-8")).hexdigest()
