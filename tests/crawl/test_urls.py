"""Canonical URL rules, one case per rule."""

from __future__ import annotations

import pytest

from parkcrawl.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://park.test/a/1.html", "park.test/a/1.html"),
        # fragment
        ("http://park.test/a/1.html#top", "park.test/a/1.html"),
        # default ports, http vs https, host case
        ("http://PARK.test:80/a/1.html", "park.test/a/1.html"),
        ("https://park.test:443/a/1.html", "park.test/a/1.html"),
        ("https://park.test/a/1.html", "park.test/a/1.html"),
        # a non-default port is part of the site
        ("http://park.test:8080/a/1.html", "park.test:8080/a/1.html"),
        # query order
        ("http://park.test/art?id=7&col=2", "park.test/art?col=2&id=7"),
        ("http://park.test/art?col=2&id=7", "park.test/art?col=2&id=7"),
        # tracking parameters
        ("http://park.test/a/1.html?spm=a2c4.1&from=timeline", "park.test/a/1.html"),
        ("http://park.test/art?id=7&utm_source=wx&utm_medium=share", "park.test/art?id=7"),
        # print versions
        ("http://park.test/a/1.html?print=1", "park.test/a/1.html"),
        ("http://park.test/print/a/1.html", "park.test/a/1.html"),
        # index.html vs the folder
        ("http://park.test/dtyw/yqxx/index.html", "park.test/dtyw/yqxx/"),
        ("http://park.test/dtyw/yqxx/", "park.test/dtyw/yqxx/"),
        ("http://park.test", "park.test/"),
        # a page merely named like index is not the folder
        ("http://park.test/dtyw/index_2.html", "park.test/dtyw/index_2.html"),
        # percent-encoding of Chinese paths is normalized
        ("http://park.test/新闻/1.html", "park.test/%E6%96%B0%E9%97%BB/1.html"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
