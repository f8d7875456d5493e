"""The fetch policy of article media, the guarding resolver and middleware — without any network.

Addresses outside 127.0.0.0/8 appear here only as values: the policy is a pure function, the
resolver is handed a cached answer, and the middleware refuses before any download.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from scrapy.pipelines.media import _MediaRequestFiltered
from scrapy.resolver import dnscache
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from parkcrawl.archive.pipelines import MediaDownloadPipeline
from parkcrawl.archive.warc import ARCHIVE_KIND_KEY, MEDIA_KIND
from parkcrawl.middlewares import RETRY_UNREACHABLE
from parkcrawl.netpolicy import (
    AddressGuardResolver,
    AddressRefused,
    FetchPolicy,
    FetchRefused,
    MediaGuardMiddleware,
    is_public_address,
    literal_address,
)

SITE = "http://www.park.example.gov.cn"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe"),
        ("fe80::1%eth0", "fe80::1"),  # a zone id is not part of the address
        ("127.1", "127.0.0.1"),  # inet_aton's short form: getaddrinfo reads it without DNS
        ("2852039166", "169.254.169.254"),  # one 32-bit number
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),  # hexadecimal parts
        ("0251.0376.0251.0376", "169.254.169.254"),  # octal parts
        ("127.0.0.1.", "127.0.0.1"),  # trailing dot of a fully qualified name
        ("www.park.example.gov.cn", None),
        ("1password.com", None),  # starts with a digit, still a name
        ("deadbeef", None),
    ],
)
def test_literal_address(host: str, expected: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found is not None else None) == expected


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("::ffff:8.8.8.8", True),  # IPv4-mapped: judged by the IPv4 address inside
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("127.0.0.2", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("0.0.0.0", False),
        ("224.0.1.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),  # unique local
        ("::ffff:169.254.169.254", False),
        ("::ffff:127.0.0.1", False),
        ("2002:a9fe:a9fe::1", False),  # 6to4 around 169.254.169.254
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("2001:db8::1", False),  # documentation
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


PUBLIC = FetchPolicy.for_hosts(["www.park.example.gov.cn"])
PUBLIC_DOMAIN = FetchPolicy.for_hosts(["www.park.example.gov.cn"], "domain")
PUBLIC_CDN = FetchPolicy.for_hosts(["www.park.example.gov.cn"], allowed_hosts=["example-cdn.cn"])
LOCAL = FetchPolicy.for_hosts(["127.0.0.1"])


@pytest.mark.parametrize(
    ("policy", "url", "refusal"),
    [
        (PUBLIC, f"{SITE}/uploads/a.png", None),
        (PUBLIC, "https://www.park.example.gov.cn:8443/a.png", None),  # host, not origin
        (PUBLIC, "http://WWW.Park.Example.Gov.Cn./a.png", None),  # case and trailing dot
        (PUBLIC, "http://img.park.example.gov.cn/a.png", "off_site"),  # "site": the host only
        (PUBLIC, "http://cdn.example.cn/news/img/g.png", "off_site"),
        (PUBLIC, "http://www.park.example.gov.cn.evil.cn/a.png", "off_site"),
        (PUBLIC, "http://169.254.169.254/latest/meta-data/", "private_address"),
        (PUBLIC, "http://[::ffff:169.254.169.254]/latest/", "private_address"),
        (PUBLIC, "http://2852039166/latest/", "private_address"),
        (PUBLIC, "http://10.0.0.5/a.png", "private_address"),
        (PUBLIC, "http://127.0.0.1:8000/a.png", "private_address"),
        (PUBLIC, "http://[fe80::1]/a.png", "private_address"),
        (PUBLIC, "http://localhost/a.png", "private_address"),
        (PUBLIC, "http://admin.localhost/a.png", "private_address"),
        # URL tricks, judged as Scrapy requests them: userinfo before the real host, a
        # backslash that ends the host, a fragment, full-width letters.
        (PUBLIC, "http://www.park.example.gov.cn@169.254.169.254/", "private_address"),
        (PUBLIC, "http://www.park.example.gov.cn:80@cdn.example.cn/a.png", "off_site"),
        (PUBLIC, "http://169.254.169.254\\@www.park.example.gov.cn/", "private_address"),
        (PUBLIC, "http://www.park.example.gov.cn#@169.254.169.254/", None),
        (PUBLIC, "http://ＷＷＷ.park.example.gov.cn/a.png", None),
        (PUBLIC, "ftp://www.park.example.gov.cn/a.pdf", "not_http"),
        (PUBLIC, "http:///a.png", "not_http"),
        # "domain": any host under the registrable domain (Public Suffix List), no further.
        (PUBLIC_DOMAIN, "http://img.park.example.gov.cn/a.png", None),
        (PUBLIC_DOMAIN, "http://example.gov.cn/a.png", None),
        (PUBLIC_DOMAIN, "http://other.gov.cn/a.png", "off_site"),  # gov.cn is a public suffix
        (PUBLIC_DOMAIN, "http://10.0.0.5/a.png", "private_address"),
        # The allow-list: the host and its subdomains; never a private address.
        (PUBLIC_CDN, "http://example-cdn.cn/a.png", None),
        (PUBLIC_CDN, "http://img.example-cdn.cn/a.png", None),
        (PUBLIC_CDN, "http://badexample-cdn.cn/a.png", "off_site"),
        (PUBLIC_CDN, "http://169.254.169.254/a.png", "private_address"),
        # A crawl started on a loopback address (the demo, the tests) may use such addresses,
        # but only of its own host.
        (LOCAL, "http://127.0.0.1:9999/a.png", None),
        (LOCAL, "http://127.0.0.2:8000/a.png", "off_site"),
        (LOCAL, f"{SITE}/a.png", "off_site"),
    ],
)
def test_fetch_policy(policy: FetchPolicy, url: str, refusal: str | None) -> None:
    assert policy.refusal(url) == refusal


def test_private_addresses_are_allowed_only_when_a_start_host_is_one() -> None:
    assert FetchPolicy.for_hosts(["www.park.example.gov.cn"]).private_allowed is False
    assert FetchPolicy.for_hosts(["8.8.8.8"]).private_allowed is False
    assert FetchPolicy.for_hosts(["127.0.0.1"]).private_allowed is True
    assert FetchPolicy.for_hosts(["localhost"]).private_allowed is True
    assert FetchPolicy.for_hosts(["10.20.0.7", "www.park.example.gov.cn"]).private_allowed is True
    # An address the operator listed explicitly is trusted only for a private crawl.
    listed = FetchPolicy.for_hosts(["127.0.0.1"], allowed_hosts=["127.0.0.2"])
    assert listed.refusal("http://127.0.0.2:8000/a.png") is None


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="PARKCRAWL_MEDIA_HOSTS must be 'site' or 'domain'"):
        FetchPolicy.for_hosts(["www.park.example.gov.cn"], "everywhere")


# --- the resolver: answers are taken from Scrapy's DNS cache, so nothing is looked up ----------

CACHED = {
    "metadata.evil.example.cn": "169.254.169.254",
    "intranet.evil.example.cn": "10.0.0.8",
    "www.park.example.gov.cn": "10.20.0.7",  # the site itself, hosted on a private address
    "img.example-cdn.cn": "203.0.113.9",  # TEST-NET-3: documentation, not public
    "pictures.example-cdn.cn": "8.8.4.4",
}


@pytest.fixture
def cached_answers() -> Iterator[None]:
    for name, address in CACHED.items():
        dnscache[name] = address
    yield
    for name in CACHED:
        dnscache.pop(name, None)


def resolve(resolver: AddressGuardResolver, name: str) -> str | BaseException:
    results: list = []
    resolver.getHostByName(name).addBoth(results.append)
    (result,) = results  # a cached answer fires at once
    return result.value if isinstance(result, Failure) else result


def guarded_resolver(policy: FetchPolicy | None) -> AddressGuardResolver:
    # No reactor is touched on a cache hit; a stand-in keeps the global one uninstalled.
    resolver = AddressGuardResolver(SimpleNamespace(), cache_size=100, timeout=1.0)  # type: ignore[arg-type]
    if policy is not None:
        resolver.configure(policy, get_crawler().stats)
    return resolver


def test_the_resolver_refuses_private_answers_of_a_public_crawl(cached_answers: None) -> None:
    resolver = guarded_resolver(FetchPolicy.for_hosts(["www.park.example.gov.cn"]))
    refused = resolve(resolver, "metadata.evil.example.cn")
    assert isinstance(refused, AddressRefused)
    assert str(refused).endswith(
        "metadata.evil.example.cn resolves to 169.254.169.254, a private or reserved address."
    )
    assert isinstance(resolve(resolver, "intranet.evil.example.cn"), AddressRefused)
    assert isinstance(resolve(resolver, "img.example-cdn.cn"), AddressRefused)
    assert resolve(resolver, "pictures.example-cdn.cn") == "8.8.4.4"
    # The start host keeps its address, wherever the operator's site lives.
    assert resolve(resolver, "www.park.example.gov.cn") == "10.20.0.7"
    assert resolver.stats.get_value("parkcrawl/resolver/refused") == 3


def test_the_resolver_lets_a_private_crawl_and_an_unconfigured_one_be(cached_answers: None) -> None:
    assert resolve(guarded_resolver(FetchPolicy.for_hosts(["127.0.0.1"])),
                   "intranet.evil.example.cn") == "10.0.0.8"
    assert resolve(guarded_resolver(None), "metadata.evil.example.cn") == "169.254.169.254"


# --- the middleware and the pipeline, as components ------------------------------------------


def guard(start_url: str, **settings: object) -> MediaGuardMiddleware:
    crawler = get_crawler(settings_dict=settings)
    mw = MediaGuardMiddleware.from_crawler(crawler)
    mw.spider_opened(Spider("parknews", start_urls=[start_url]))
    return mw


def media(url: str, **meta: object) -> Request:
    return Request(url, meta={ARCHIVE_KIND_KEY: MEDIA_KIND, **meta})


def test_the_middleware_refuses_media_and_every_redirect_hop() -> None:
    mw = guard(f"{SITE}/index.html")
    assert mw.process_request(media(f"{SITE}/uploads/a.png")) is None
    with pytest.raises(FetchRefused, match=r"media refused \(private address\): http://169.254"):
        mw.process_request(media("http://169.254.169.254/latest/meta-data/"))
    # The second hop of a redirect from the site: refused too, and says where it came from.
    hop = media("http://cdn.example.cn/x.png", redirect_urls=[f"{SITE}/uploads/x.png"])
    with pytest.raises(FetchRefused, match=r"off site\): http://cdn.example.cn/x.png \(redirected from"):
        mw.process_request(hop)
    # Pages are the spider's business (OffsiteMiddleware, RedirectGuardMiddleware): untouched.
    assert mw.process_request(Request("http://cdn.example.cn/page.html")) is None
    stats = mw.crawler.stats
    assert stats.get_value("parkcrawl/media/refused/private_address") == 1
    assert stats.get_value("parkcrawl/media/refused/off_site") == 1


def test_the_allow_list_setting_widens_the_middleware() -> None:
    mw = guard(f"{SITE}/index.html", PARKCRAWL_MEDIA_ALLOWED_HOSTS="example-cdn.cn,img.other.cn")
    assert mw.process_request(media("http://pic.example-cdn.cn/a.png")) is None
    assert mw.process_request(media("http://img.other.cn/a.png")) is None
    with pytest.raises(FetchRefused):
        mw.process_request(media("http://www.other.cn/a.png"))


def test_robots_txt_of_a_media_host_is_read_and_not_retried_when_dead() -> None:
    mw = guard(f"{SITE}/index.html", PARKCRAWL_MEDIA_ALLOWED_HOSTS=["example-cdn.cn"])
    robots = Request("http://pic.example-cdn.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    assert mw.process_request(robots) is None
    assert robots.meta["allow_offsite"] is True  # else OffsiteMiddleware filters it: not obeyed
    assert robots.meta[RETRY_UNREACHABLE] is False
    # The site's own robots.txt (and a subdomain's, which serves pages) keeps the page rules.
    for url in (f"{SITE}/robots.txt", "http://news.www.park.example.gov.cn/robots.txt"):
        own = Request(url, meta={"dont_obey_robotstxt": True})
        mw.process_request(own)
        assert "allow_offsite" not in own.meta and RETRY_UNREACHABLE not in own.meta


def test_a_typo_in_the_scope_setting_stops_the_crawl() -> None:
    with pytest.raises(ValueError, match="got 'sites'"):
        MediaGuardMiddleware.from_crawler(get_crawler(settings_dict={"PARKCRAWL_MEDIA_HOSTS": "sites"}))


def test_a_refused_dns_answer_becomes_a_counted_refusal(cached_answers: None) -> None:
    mw = guard(f"{SITE}/index.html", PARKCRAWL_MEDIA_ALLOWED_HOSTS="evil.example.cn")
    mw.resolver = guarded_resolver(mw.policy)
    assert isinstance(resolve(mw.resolver, "metadata.evil.example.cn"), AddressRefused)
    # Twisted's connector reports it as a plain lookup failure; the resolver remembers the name.
    lookup_failed = CannotResolveHostError("no results for hostname lookup")
    request = media("http://metadata.evil.example.cn/latest/")
    assert mw.process_request(request) is None  # the host is allowed; its address is not
    with pytest.raises(FetchRefused, match=r"resolves to 169.254.169.254\)"):
        mw.process_exception(request, lookup_failed)
    # Pages, and names that simply do not resolve, are left to the usual failure handling.
    assert mw.process_exception(Request("http://metadata.evil.example.cn/"), lookup_failed) is None
    assert mw.process_exception(media("http://gone.example.cn/a.png"), lookup_failed) is None
    assert mw.crawler.stats.get_value("parkcrawl/media/refused/private_address") == 1


def test_the_pipeline_counts_refusals_and_failures_apart() -> None:
    pipeline = MediaDownloadPipeline.from_crawler(get_crawler())
    request = media("http://cdn.example.cn/a.png")
    with pytest.raises(_MediaRequestFiltered):  # logged in one line, not with a traceback
        pipeline.media_failed(Failure(FetchRefused("off_site", request.url)), request, None)  # type: ignore[arg-type]
    # a failed download too: one warning line with its reason, counted as failed
    with pytest.raises(_MediaRequestFiltered, match="^connection refused$"):
        pipeline.media_failed(Failure(DownloadConnectionRefusedError("111")), request, None)  # type: ignore[arg-type]
    assert pipeline.crawler.stats.get_value("parkcrawl/media/failed") == 1
