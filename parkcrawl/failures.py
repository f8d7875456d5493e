"""Short human reasons for failed requests, as the run summary prints them.

A reason names what went wrong in words an operator can act on (``status 404``, ``timeout``,
``too large``, ``not HTML``) and, when the retry middleware gave up on it, how often it was
retried (``timeout after 3 retries``). Stats keys are derived from it by
:func:`parkcrawl.outcomes.reason_key`; the fixed reasons are :class:`parkcrawl.outcomes.Drop`.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web.client import ResponseFailed

from parkcrawl.outcomes import Drop

# request.meta key the retry middleware sets on a request it gave up retrying.
RETRIES_EXHAUSTED = "parkcrawl_retries_exhausted"

# Checked in order: the first matching exception type names the reason.
_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
    # Scrapy cancels a download only when it exceeds DOWNLOAD_MAXSIZE (declared or received).
    ((DownloadCancelledError,), Drop.TOO_LARGE),
    ((ResponseDataLossError,), "truncated response"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection refused"),
    ((CannotResolveHostError, DNSLookupError), "DNS lookup failed"),
    (
        (DownloadFailedError, ResponseFailed, ConnectionLost, ConnectionDone, ConnectError),
        "connection lost",
    ),
)
# Messages of Scrapy's own IgnoreRequest exceptions, as a reason.
_IGNORED = (
    ("Forbidden by robots.txt", "forbidden by robots.txt"),
    ("max redirections reached", "too many redirects"),
    ("Filtered offsite request", "off site"),
)
# Scrapy refuses a body that inflates past DOWNLOAD_MAXSIZE (HttpCompressionMiddleware, a
# decompression bomb) with an IgnoreRequest naming the setting: too large, like one that was too
# large on the wire (DownloadCancelledError).
_TOO_LARGE = "DOWNLOAD_MAXSIZE"
# What an unknown IgnoreRequest message may carry that must not become part of a reason (the
# reason is a stats key): a URL, a request or response as Scrapy prints it (<200 http://…>).
_MESSAGE_URLS = re.compile(r"<(?:\d{3}|[A-Z]+) [^>]*>|\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


class PageRejected(IgnoreRequest):
    """A response parkcrawl's middlewares refuse to hand to the spider; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def exception_reason(exc: BaseException | None) -> str:
    """The short reason for one exception (no retry count)."""
    if exc is None:
        return "fetch failed"
    if isinstance(exc, HttpError):
        return f"status {exc.response.status}"
    if isinstance(exc, PageRejected):
        return exc.reason
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        for prefix, reason in _IGNORED:
            if message.startswith(prefix):
                return reason
        if _TOO_LARGE in message:
            return Drop.TOO_LARGE
        message = " ".join(_MESSAGE_URLS.sub("", message).split())
        return f"ignored: {message}" if message else "ignored"
    for types, reason in _BY_TYPE:
        if isinstance(exc, types):
            return reason
    return type(exc).__name__


def retry_suffix(request: Any) -> str:
    """ " after N retries" when the retry middleware gave up on ``request``, else ""."""
    meta = getattr(request, "meta", None) or {}
    if not meta.get(RETRIES_EXHAUSTED):
        return ""
    retries = int(meta.get("retry_times", 0))
    if retries <= 0:
        return ""
    return f" after {retries} {'retry' if retries == 1 else 'retries'}"


def failure_reason(failure: Any) -> str:
    """A short human reason for a failed request, as the run summary prints it."""
    reason = exception_reason(getattr(failure, "value", None))
    return reason + retry_suffix(getattr(failure, "request", None))


def failed_url(failure: Any) -> str:
    """The URL a failed request was made for: the first of its redirect chain, as listed."""
    request = getattr(failure, "request", None)
    if request is None:
        return "?"
    return (request.meta.get("redirect_urls") or [request.url])[0]
