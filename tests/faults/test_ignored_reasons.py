"""Reasons for Scrapy's IgnoreRequest messages: a decompression bomb is "too large", and no
reason (a stats key) carries the URL an unknown message names."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest

from parkcrawl.extensions import reason_key
from parkcrawl.failures import exception_reason

BOMB = (
    "Ignored response <200 http://127.0.0.1:8000/dtyw/yqxx/a02.html> because its body (4098 B "
    "compressed, 1114112 B decompressed so far) exceeded DOWNLOAD_MAXSIZE (1048576 B) during "
    "decompression."
)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        # HttpCompressionMiddleware's refusal of a body inflating past DOWNLOAD_MAXSIZE
        (BOMB, "too large"),
        # an unknown message keeps its words, not the response it names
        ("Ignored response <200 http://127.0.0.1:8000/a.html> for a reason of its own",
         "ignored: Ignored response for a reason of its own"),
        # nor a request as Scrapy prints it, nor a bare URL
        ("Dropped <GET https://park.example/a?b=1> see http://127.0.0.1/x.html",
         "ignored: Dropped see"),
        # a message that was only a URL leaves the bare reason
        ("http://127.0.0.1:8000/a.html", "ignored"),
    ],
)
def test_ignore_request_reason(message: str, reason: str) -> None:
    assert exception_reason(IgnoreRequest(message)) == reason


def test_a_bomb_counts_under_one_stats_key() -> None:
    assert reason_key(exception_reason(IgnoreRequest(BOMB))) == "too_large"
