"""Table-driven tests of the pure parts: HTML sniffing, Retry-After, backoff, failure reasons."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from parkcrawl.failures import RETRIES_EXHAUSTED, PageRejected, failed_url, failure_reason
from parkcrawl.middlewares import backoff_delay, retry_after_seconds, sniff_html
from tools.sitegen import PDF_BYTES, tiny_png

HTML = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>园区信息</title></head><body><p>正文</p></body></html>'


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        (HTML.encode("utf-8"), None),
        (HTML.encode("gbk"), None),
        (codecs.BOM_UTF8 + HTML.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + HTML.encode("utf-16-le"), None),  # NUL bytes, but a BOM says UTF-16
        (b"\r\n\r\n  <html><body>x</body></html>", None),  # leading blank lines, as PHP pages send
        (b"<!-- generated 2024-11-22 -->\n<div class=content><p>x</p></div>", None),  # fragment
        ("<P>园区信息</P>".encode("gbk"), None),  # upper-case tags
        # a Hanweb dataproxy reply to a list page's POST: XML, even with no record in it
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<recordset>\n\n</recordset>\n</datastore>\n',
            None,
        ),
        (b"<datastore><totalrecord>0</totalrecord></datastore>", None),
        (b"", "empty page"),
        (b" \r\n\t ", "empty page"),
        (tiny_png(), "not HTML"),  # an image served at an .html URL
        (PDF_BYTES, "not HTML"),  # an attachment served at an .html URL
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not HTML"),
        (b"PK\x03\x04" + b"<html>" * 10, "not HTML"),  # a zip, whatever it contains
        (b"\x1f\x8b\x08\x00" + b"<html>", "not HTML"),  # gzip the server forgot to declare
        (b"\x00\x00\x00\x18ftypmp42", "not HTML"),  # MP4 (signature at offset 4)
        (b"<html>\x00<body>", "not HTML"),  # a NUL byte: binary
        (b"<html>" + b"\x01\x02\x03" * 40, "not HTML"),  # mostly control bytes
        ("园区信息 2024年工作总结，全文见附件。".encode(), "not HTML"),  # plain text
        (b"a < b and c > d", "not HTML"),  # angle brackets, no tag
        (codecs.BOM_UTF16_LE + "plain text".encode("utf-16-le"), "not HTML"),
    ],
)
def test_sniff_html(body: bytes, verdict: str | None) -> None:
    assert sniff_html(body) == verdict


NOW = datetime(2024, 11, 22, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (b"5", 5.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("Fri, 22 Nov 2024 08:00:30 GMT", 30.0),  # HTTP-date 30 s ahead
        ("Fri, 22 Nov 2024 07:59:00 GMT", 0.0),  # already past: no wait
        ("-1", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value: str | bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("retry", "base", "cap", "delay"),
    [
        (1, 1.0, 30.0, 1.0),
        (2, 1.0, 30.0, 2.0),
        (3, 1.0, 30.0, 4.0),
        (6, 1.0, 30.0, 30.0),  # 32 s capped
        (1, 0.1, 30.0, 0.1),
        (3, 0.0, 30.0, 0.0),  # backoff switched off
    ],
)
def test_backoff_delay(retry: int, base: float, cap: float, delay: float) -> None:
    assert backoff_delay(retry, base, cap) == delay


URL = "http://park.example/dtyw/yqxx/a1.html"


def failure(exc: Exception, **meta: object) -> Failure:
    f = Failure(exc)
    f.request = Request(URL, meta=meta)  # type: ignore[attr-defined]
    return f


@pytest.mark.parametrize(
    ("exc", "meta", "reason"),
    [
        (HttpError(Response(URL, status=404), "Ignoring non-200 response"), {}, "status 404"),
        # 503 on every attempt: the retry middleware gave up after RETRY_TIMES retries
        (
            HttpError(Response(URL, status=503), "x"),
            {RETRIES_EXHAUSTED: True, "retry_times": 3},
            "status 503 after 3 retries",
        ),
        # a 404 after one retried 503 was not given up on: the 404 is the reason
        (HttpError(Response(URL, status=404), "x"), {"retry_times": 1}, "status 404"),
        (
            DownloadTimeoutError("took longer than 2.0 seconds"),
            {RETRIES_EXHAUSTED: True, "retry_times": 1},
            "timeout after 1 retry",
        ),
        (DownloadTimeoutError("x"), {}, "timeout"),
        (DownloadCancelledError("Expected to receive 20971520 bytes"), {}, "too large"),
        (
            ResponseDataLossError(),
            {RETRIES_EXHAUSTED: True, "retry_times": 3},
            "truncated response after 3 retries",
        ),
        (DownloadConnectionRefusedError("refused"), {}, "connection refused"),
        (CannotResolveHostError("no such host"), {}, "DNS lookup failed"),
        (DownloadFailedError("Connection lost"), {}, "connection lost"),
        (IgnoreRequest("Forbidden by robots.txt"), {}, "forbidden by robots.txt"),
        (IgnoreRequest("max redirections reached"), {}, "too many redirects"),
        (IgnoreRequest("Filtered offsite request to 'other.example'"), {}, "off site"),
        (IgnoreRequest(), {}, "ignored"),
        (PageRejected("not HTML"), {}, "not HTML"),
        (
            PageRejected("empty page"),
            {RETRIES_EXHAUSTED: True, "retry_times": 3},
            "empty page after 3 retries",
        ),
        (ValueError("boom"), {}, "ValueError"),
    ],
)
def test_failure_reason(exc: Exception, meta: dict, reason: str) -> None:
    assert failure_reason(failure(exc, **meta)) == reason


def test_failed_url_is_the_url_the_list_linked() -> None:
    # a → b → a: the errback sees the request for b; the report names a, as the list does.
    f = failure(PageRejected("redirect loop"), redirect_urls=[URL])
    f.request = f.request.replace(url="http://park.example/loop/b.html")  # type: ignore[attr-defined]
    assert failed_url(f) == URL
    assert failed_url(failure(DownloadTimeoutError())) == URL
