"""Downloader middlewares that keep faults from losing articles silently.

Enabled by their entries in ``DOWNLOADER_MIDDLEWARES`` (settings.py):

- :class:`BackoffRetryMiddleware` replaces Scrapy's RetryMiddleware at the same place (550): the
  same retry decisions, but each retry waits (exponential backoff, or the server's Retry-After),
  an empty 2xx page is retried too, and a request it gave up on is marked so the failure reads
  ``timeout after 3 retries``.
- :class:`RedirectGuardMiddleware` (610, before the redirect middlewares see the answer) refuses
  a redirect (3xx or meta refresh) to another host or back into its own chain, with a reason,
  where Scrapy would drop the redirected request without calling the errback; and names an
  article whose redirect led to a page already fetched, which the dupefilter drops.
- :class:`HtmlOnlyMiddleware` (540, after retries) refuses a 2xx answer to a parknews page whose
  bytes are not HTML — sniffed from the content, so a real page with a wrong Content-Type passes.
- :class:`ComplexityGuardMiddleware` (535, after HtmlOnlyMiddleware) refuses a page too complex
  to parse in reasonable time (``too complex``), judged by a scan of its raw bytes before any
  parser sees it: attributes in one tag, elements, nesting depth (PARKCRAWL_MAX_ATTRIBUTES,
  PARKCRAWL_MAX_ELEMENTS, PARKCRAWL_MAX_NESTING_DEPTH).

Settings: ``PARKCRAWL_RETRY_BACKOFF_BASE`` (seconds before the first retry, doubled for each
further one), ``PARKCRAWL_RETRY_BACKOFF_MAX`` (cap of that wait), ``PARKCRAWL_RETRY_AFTER_MAX``
(longest Retry-After honoured; longer ones wait this long). Request meta keys:
``parknews_kind`` (set by the spider: which pages the checks apply to),
``parkcrawl_retry_delay`` (seconds the next download of a retry waits),
``parkcrawl_retries_exhausted`` (see :mod:`parkcrawl.failures`), and
``parkcrawl_retry_unreachable`` (False: a DNS failure or refused connection is final).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    NotConfigured,
)
from scrapy.http import HtmlResponse, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import get_meta_refresh
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from w3lib.url import safe_url_string

from parkcrawl import signals as parkcrawl_signals
from parkcrawl.failures import RETRIES_EXHAUSTED, PageRejected
from parkcrawl.outcomes import Drop

logger = logging.getLogger(__name__)

RETRY_DELAY = "parkcrawl_retry_delay"
# request.meta[RETRY_UNREACHABLE] = False: the host not resolving or refusing the connection is
# final for this request (article media: a dead host stays dead for the few seconds retries wait).
RETRY_UNREACHABLE = "parkcrawl_retry_unreachable"
UNREACHABLE = (
    CannotResolveHostError, DNSLookupError, DownloadConnectionRefusedError, ConnectionRefusedError
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

NOT_HTML = Drop.NOT_HTML
EMPTY_PAGE = Drop.EMPTY_PAGE
REDIRECTED_TO_FETCHED = Drop.REDIRECTED_TO_FETCHED
# How much of a body is sniffed: markup appears early in any real page.
SNIFF_BYTES = 64 * 1024
# File signatures of what a CMS serves at an article URL by mistake (attachments, images, archives).
BINARY_SIGNATURES = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"wOFF",
    b"wOF2",
    b"\x7fELF",
    b"MZ",
    b"{\\rtf",
    b"\x00\x00\x01\x00",
)
_UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control bytes that never occur in text (tab, newlines, form feed and ESC of ISO-2022 excepted).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
# Above this share of control bytes a body is binary, whatever it claims.
MAX_CONTROL_SHARE = 0.01
# Markup: a doctype, comment or XML declaration, or an element (a CMS's XML list replies count).
_MARKUP = r"<(?:!doctype|!--|\?xml|[a-z][\w:.-]*(?=[\s/>]))"
_MARKUP_BYTES = re.compile(_MARKUP.encode("ascii"), re.IGNORECASE)
_MARKUP_TEXT = re.compile(_MARKUP, re.IGNORECASE)


def sniff_html(body: bytes) -> str | None:
    """None when ``body`` is an HTML (or XML) page; else why not: "empty page" or "not HTML"."""
    head = body[:SNIFF_BYTES]
    if not head.strip() and not body.strip():
        return EMPTY_PAGE
    for bom, codec in _UTF16_32_BOMS:
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, errors="replace")
            return None if _MARKUP_TEXT.search(text) else NOT_HTML
    if head.startswith(BINARY_SIGNATURES) or head[4:8] == b"ftyp":
        return NOT_HTML
    if b"\x00" in head or len(_CONTROL_BYTES.findall(head)) > MAX_CONTROL_SHARE * len(head):
        return NOT_HTML
    return None if _MARKUP_BYTES.search(head) else NOT_HTML


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After value asks to wait (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(retry_number: int, base: float, cap: float) -> float:
    """Seconds before retry ``retry_number`` (1 = the first): base, 2×base, 4×base … at most cap."""
    if base <= 0:
        return 0.0
    return min(cap, base * 2 ** max(0, retry_number - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, with backoff and Retry-After, empty pages retried, give-ups marked.

    Enabled with RETRY_ENABLED.

    Built from settings like its parent (``__init__(settings)``), so RETRY_TIMES,
    RETRY_HTTP_CODES, RETRY_EXCEPTIONS and the ``dont_retry`` / ``max_retry_times`` meta keys
    keep their meaning.
    """

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("PARKCRAWL_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("PARKCRAWL_RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("PARKCRAWL_RETRY_AFTER_MAX", 120.0)

    def _count(self, event: str, value: float = 1) -> None:
        self.crawler.stats.inc_value(f"parkcrawl/retry/{event}", value)

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(RETRY_DELAY, None)
        if delay:
            # Waiting here holds one of CONCURRENT_REQUESTS, never the download slot of the host.
            await sleep(delay)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        if response.status in self.retry_http_codes:
            result = super().process_response(request, response)
            retry_after = retry_after_seconds(response.headers.get(b"Retry-After"))
            return self._outcome(request, result, retry_after)
        if (
            200 <= response.status < 300
            and request.meta.get("parknews_kind")
            and not response.body.strip()
        ):
            # A loaded CMS answers 200 with nothing in it; the page is usually there a moment later.
            self._count("empty_page")
            retry = get_retry_request(
                request,
                spider=self.crawler.spider,
                reason=EMPTY_PAGE,
                max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
                give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
            )
            return self._outcome(request, retry or response, None)
        return response

    def process_exception(
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if not request.meta.get(RETRY_UNREACHABLE, True) and isinstance(exception, UNREACHABLE):
            self._count("unreachable_not_retried")
            return None
        result = super().process_exception(request, exception)
        if result is None and isinstance(exception, self.exceptions_to_retry):
            if not request.meta.get("dont_retry", False):
                self._gave_up(request)
            return None
        return self._outcome(request, result, None)

    def _outcome(self, request: Request, result: Any, retry_after: float | None) -> Any:
        if isinstance(result, Request):
            delay = backoff_delay(
                result.meta.get("retry_times", 1), self.backoff_base, self.backoff_max
            )
            if retry_after is not None:
                self._count("retry_after")
                delay = max(delay, min(retry_after, self.retry_after_max))
            if delay > 0:
                result.meta[RETRY_DELAY] = delay
                self._count("delayed")
                self._count("delay_seconds", delay)
        elif isinstance(result, Response):
            self._gave_up(request)
        return result

    def _gave_up(self, request: Request) -> None:
        request.meta[RETRIES_EXHAUSTED] = True
        self._count("gave_up")


class RedirectGuardMiddleware:
    """Refuse redirects of parknews pages to other hosts or back into their chain, with a reason.

    Scrapy drops such redirected requests without calling the errback (OffsiteMiddleware at
    scheduling, the dupefilter for a loop), so the article would vanish from the report. Placed
    after RedirectMiddleware and MetaRefreshMiddleware in DOWNLOADER_MIDDLEWARES (610), it sees a
    3xx or a meta refresh first; the host policy is the enabled OffsiteMiddleware's
    (allowed_domains, set from the start URL). An article whose redirect leads to a page already
    fetched (a deleted article sent to the list page) is named too: the dupefilter drops it.
    """

    def __init__(
        self, meta_refresh_max_delay: float | None = None, ignore_tags: list[str] | None = None
    ):
        self.meta_refresh_max_delay = meta_refresh_max_delay  # None: meta refresh not followed
        self.ignore_tags = ignore_tags or []
        self.offsite: OffsiteMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuardMiddleware:
        settings = crawler.settings
        follows_refresh = settings.getbool("REDIRECT_ENABLED") and settings.getbool(
            "METAREFRESH_ENABLED"
        )
        mw = cls(
            settings.getfloat("METAREFRESH_MAXDELAY") if follows_refresh else None,
            settings.getlist("METAREFRESH_IGNORE_TAGS"),
        )
        mw.crawler = crawler
        crawler.signals.connect(mw.engine_started, signal=signals.engine_started)
        crawler.signals.connect(mw.request_dropped, signal=signals.request_dropped)
        return mw

    def engine_started(self) -> None:
        self.offsite = self.crawler.get_downloader_middleware(OffsiteMiddleware)

    def _target(self, request: Request, response: Response) -> str | None:
        if response.status in REDIRECT_STATUSES and b"Location" in response.headers:
            location = response.headers[b"Location"] or b""
            if location.startswith(b"//"):
                location = urlsplit(request.url).scheme.encode() + b":" + location
            return urljoin(request.url, safe_url_string(location))
        if self.meta_refresh_max_delay is not None and isinstance(response, HtmlResponse):
            interval, url = get_meta_refresh(response, ignore_tags=self.ignore_tags)
            if url and interval is not None and interval < self.meta_refresh_max_delay:
                return url
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("parknews_kind") or request.meta.get("dont_redirect", False):
            return response
        target = self._target(request, response)
        if target is None:
            return response
        chain = {
            url.split("#", 1)[0] for url in [*request.meta.get("redirect_urls", []), request.url]
        }
        if target.split("#", 1)[0] in chain:
            self.crawler.stats.inc_value("parkcrawl/redirect/loop")
            raise PageRejected(Drop.REDIRECT_LOOP)
        spider = self.crawler.spider
        if self.offsite is not None and not self.offsite.should_follow(Request(target), spider):
            self.crawler.stats.inc_value("parkcrawl/redirect/offsite")
            raise PageRejected(f"redirected off site to {urlsplit(target).hostname}")
        return response

    def request_dropped(self, request: Request) -> None:
        if request.meta.get("parknews_kind") != "article" or not request.meta.get("redirect_urls"):
            return
        self.crawler.stats.inc_value("parkcrawl/redirect/already_fetched")
        self.crawler.signals.send_catch_log(
            parkcrawl_signals.article_dropped,
            url=request.meta["redirect_urls"][0],
            reason=REDIRECTED_TO_FETCHED,
        )


class HtmlOnlyMiddleware:
    """Refuse a 2xx answer to a parknews page that is empty or not HTML, judged by its bytes."""

    @classmethod
    def offline_check(cls, settings: Any) -> Callable[[bytes], str | None]:
        """The same verdict on an archived page's bytes, for ``parkcrawl reextract``."""
        return sniff_html

    @classmethod
    def from_crawler(cls, crawler: Any) -> HtmlOnlyMiddleware:
        mw = cls()
        mw.crawler = crawler
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("parknews_kind") or not 200 <= response.status < 300:
            return response
        verdict = sniff_html(response.body)
        if verdict is None:
            return response
        self.crawler.stats.inc_value(f"parkcrawl/html/{verdict.replace(' ', '_').lower()}")
        raise PageRejected(verdict)


TOO_COMPLEX = Drop.TOO_COMPLEX
# Tags as bytes: every page encoding the crawler meets (UTF-8, GBK, Big5 …) writes markup in ASCII.
# ``[^>]*`` may run past a ``>`` inside a quoted value; a count off by one tag does not matter
# against limits a hundred times above real pages.
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(rb"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
# Elements that never hold others, and elements whose end tag HTML lets a page leave out (an
# unclosed <p> or <li> is everyday markup, not nesting).
_VOID_TAGS = frozenset(
    b"area base br col embed hr img input link meta param source track wbr basefont bgsound "
    b"frame keygen".split()
)
_OPTIONAL_END_TAGS = frozenset(
    b"p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rp rt html head "
    b"body".split()
)


def _within_limits(body: bytes, max_attributes: int, max_elements: int, max_depth: int) -> bool:
    """True when no limit can be exceeded, told by two C-speed passes instead of the tag scan.

    Every tag starts with ``<``, so neither the element count nor the nesting depth can pass the
    number of ``<`` bytes; a tag's attribute text holds no ``>``, so it is no longer than the
    longest run between two ``>`` bytes, and the scan counts attributes only in a text longer
    than twice the limit. Most pages (a few hundred tags) pass here and skip the scan (issue 16).
    """
    tags = body.count(b"<")
    if (max_elements and tags > max_elements) or (max_depth and tags > max_depth):
        return False
    return not max_attributes or max(map(len, body.split(b">"))) <= 2 * max_attributes


def too_complex(
    body: bytes, max_attributes: int, max_elements: int, max_depth: int
) -> str | None:
    """Which limit the markup of ``body`` exceeds ("1200 attributes in one <p>"), or None.

    A byte scan, linear in the body and stopped at the first limit exceeded, so it costs about a
    millisecond on a real page and never more than the limits allow. 0 turns a limit off.
    """
    if _within_limits(body, max_attributes, max_elements, max_depth):
        return None
    verdict = _scan(body, max_attributes, max_elements, max_depth)
    if verdict is None and b"\x00" in body[:4096]:
        # Markup in UTF-16 or UTF-32, which the page decoder reads (by its BOM or declaration),
        # has a NUL beside every ASCII byte, so the scan above saw no tag in it: a 100,000-
        # attribute tag in UTF-16 passed and stalled the parser. Each wide reading is scanned too.
        for codec in _WIDE_CODECS:
            wide = body.decode(codec, "replace").encode("utf-8", "replace")
            verdict = _scan(wide, max_attributes, max_elements, max_depth)
            if verdict is not None:
                break
    return verdict


_WIDE_CODECS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _scan(body: bytes, max_attributes: int, max_elements: int, max_depth: int) -> str | None:
    """The tag scan of too_complex over ASCII-compatible bytes."""
    elements = depth = 0
    for match in _TAG.finditer(body):
        closing, name, rest = match.groups()
        name = name.lower()
        if closing:
            if depth and name not in _VOID_TAGS and name not in _OPTIONAL_END_TAGS:
                depth -= 1
            continue
        elements += 1
        if max_elements and elements > max_elements:
            return f"more than {max_elements} elements"
        # Each attribute takes at least two bytes: a shorter tag cannot exceed the limit.
        if max_attributes and len(rest) > 2 * max_attributes:
            count = sum(1 for _ in _ATTRIBUTE.finditer(rest))
            if count > max_attributes:
                return f"{count} attributes in one <{name.decode('ascii')}>"
        if name in _VOID_TAGS or name in _OPTIONAL_END_TAGS or rest.endswith(b"/"):
            continue
        depth += 1
        if max_depth and depth > max_depth:
            return f"elements nested more than {max_depth} deep"
    return None


class ComplexityGuardMiddleware:
    """Refuse a parknews page whose markup would stall the parser, before any parser sees it.

    Enabled by its DOWNLOADER_MIDDLEWARES entry; limits PARKCRAWL_MAX_ATTRIBUTES,
    PARKCRAWL_MAX_ELEMENTS, PARKCRAWL_MAX_NESTING_DEPTH (0 turns one off). libxml2 checks
    attributes for duplicates pairwise, so one tag with 100,000 attributes (1.4 MB, well under
    DOWNLOAD_MAXSIZE) held the reactor for minutes; every page is parsed on the reactor thread
    (list pages by the spider, articles by the pipelines), so the check sits here, in front of both.
    """

    def __init__(self, max_attributes: int, max_elements: int, max_depth: int):
        self.max_attributes = max_attributes
        self.max_elements = max_elements
        self.max_depth = max_depth

    @staticmethod
    def _limits(settings: Any) -> tuple[int, int, int]:
        return (
            settings.getint("PARKCRAWL_MAX_ATTRIBUTES", 1000),
            settings.getint("PARKCRAWL_MAX_ELEMENTS", 50_000),
            settings.getint("PARKCRAWL_MAX_NESTING_DEPTH", 500),
        )

    @classmethod
    def offline_check(cls, settings: Any) -> Callable[[bytes], str | None] | None:
        """The same verdict on an archived page's bytes, for ``parkcrawl reextract``: the WARC
        holds the pages this refused (it records what was fetched), and read again they would
        stall re-extraction as they would have stalled the crawl."""
        limits = cls._limits(settings)
        if not any(limits):
            return None
        return lambda body: TOO_COMPLEX if too_complex(body, *limits) else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ComplexityGuardMiddleware:
        mw = cls(*cls._limits(crawler.settings))
        if not (mw.max_attributes or mw.max_elements or mw.max_depth):
            raise NotConfigured("PARKCRAWL_MAX_ATTRIBUTES, _ELEMENTS and _NESTING_DEPTH are all 0")
        mw.crawler = crawler
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("parknews_kind") or not 200 <= response.status < 300:
            return response
        verdict = too_complex(response.body, self.max_attributes, self.max_elements, self.max_depth)
        if verdict is None:
            return response
        self.crawler.stats.inc_value("parkcrawl/complexity/too_complex")
        logger.warning("%s refused as too complex: %s", response.url, verdict)
        raise PageRejected(TOO_COMPLEX)
