"""Short human reasons for failed requests, as the run summary prints them."""

from __future__ import annotations

from typing import Any

from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError


def failure_reason(failure: Any) -> str:
    """A short human reason for a failed request, as the run summary prints it."""
    if failure.check(HttpError):
        return f"status {failure.value.response.status}"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "DNS lookup failed"
    return failure.type.__name__ if failure.type else "fetch failed"
