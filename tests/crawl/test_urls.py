"""Canonical URL rules, one case per rule."""

from __future__ import annotations

import pytest

from parkcrawl.urls import canonical_url, without_session_ids


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


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # a Java server's path parameter, any case, before a query or at the end
        ("http://park.test/list.jsp;jsessionid=A1B2C3?page=2", "http://park.test/list.jsp?page=2"),
        ("http://park.test/a/1.html;JSESSIONID=A1B2C3", "http://park.test/a/1.html"),
        # other path parameters stay
        ("http://park.test/a;v=2;jsessionid=X9", "http://park.test/a;v=2"),
        # session query parameters; the others keep their order and spelling
        ("http://park.test/art?PHPSESSID=ab12&id=7&col=2", "http://park.test/art?id=7&col=2"),
        ("http://park.test/art?id=7&ASPSESSIONIDQQSDTBCA=ABCD", "http://park.test/art?id=7"),
        ("http://park.test/art?sessionid=1&session_id=2", "http://park.test/art"),
        # sid is a session id only with a token-like value; sid=12 is a site or column id
        ("http://park.test/art?sid=0f3a9c77d2e14b6b8a51&id=7", "http://park.test/art?id=7"),
        ("http://park.test/list.jsp?sid=12&page=2", "http://park.test/list.jsp?sid=12&page=2"),
        # nothing to drop: the very same string
        ("http://park.test/art?b=2&a=1&flag", "http://park.test/art?b=2&a=1&flag"),
    ],
)
def test_without_session_ids(url: str, expected: str) -> None:
    assert without_session_ids(url) == expected


def test_canonical_url_ignores_session_ids() -> None:
    assert canonical_url("http://park.test/a/1.html;jsessionid=X?PHPSESSID=Y") == "park.test/a/1.html"
