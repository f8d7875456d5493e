"""Which feed lines a crawl may adopt as its own after a crash (parkcrawl.state.belongs_to)."""

from __future__ import annotations

import pytest

from parkcrawl.state import belongs_to


@pytest.mark.parametrize(
    ("url", "sites", "expected"),
    [
        # the site's own pages, over http or https (a site that moved to https is the same site)
        ("https://www.park.gov.cn/a/1.html", [("www.park.gov.cn", None)], True),
        ("http://www.park.gov.cn/a/1.html", [("www.park.gov.cn", None)], True),
        # a subdomain of the start host: the crawl's offsite policy lets it through too
        ("http://news.www.park.gov.cn/1.html", [("www.park.gov.cn", None)], True),
        # another site entirely, or a sibling subdomain the crawl never walks
        ("http://www.other.gov.cn/1.html", [("www.park.gov.cn", None)], False),
        ("http://img.park.gov.cn/1.html", [("www.park.gov.cn", None)], False),
        # a suffix that is not a subdomain boundary
        ("http://evilwww.park.gov.cn/1.html", [("www.park.gov.cn", None)], False),
        # two servers on one address (the demo and a local site) are two sites
        ("http://127.0.0.1:40849/a.html", [("127.0.0.1", 35023)], False),
        ("http://127.0.0.1:35023/a.html", [("127.0.0.1", 35023)], True),
        # one of several sites of a sites-file crawl
        ("http://b.gov.cn/x", [("a.gov.cn", None), ("b.gov.cn", None)], True),
        # case and a trailing dot do not make another host
        ("http://WWW.Park.gov.cn./a", [("www.park.gov.cn", None)], True),
    ],
)
def test_belongs_to(url: str, sites: list, expected: bool) -> None:
    assert belongs_to(url, sites) is expected
