"""Where a crawl may connect: article media only from the crawl's own sites, never a private address.

An article on a third-party site decides which URLs its images and attachments point at, so a
crawl that fetched them all would be a server-side request forgery tool: ``<img
src="http://169.254.169.254/...">``, a ``<base href>`` pointing elsewhere, or a same-site URL
redirecting to the intranet. Three parts, one policy:

- :class:`FetchPolicy` (pure, no Scrapy): may this media URL be fetched? Its host must be a
  start host of the crawl (``PARKCRAWL_MEDIA_HOSTS = "site"``, the default) or share its
  registrable domain (``"domain"``), or be listed in ``PARKCRAWL_MEDIA_ALLOWED_HOSTS`` (with its
  subdomains); and a literal address must be public unless a start host is itself a private,
  loopback … address (the demo and the tests run on 127.0.0.1).
- :class:`MediaGuardMiddleware` (downloader middleware, before offsite and robots.txt) applies it
  to every media request, and so to every redirect hop: a redirected request passes through
  ``process_request`` again. Refusals count ``parkcrawl/media/refused/<reason>``.
- :class:`AddressGuardResolver` (``TWISTED_DNS_RESOLVER``) refuses a DNS answer in a private,
  loopback, link-local or reserved range for any request, so a public-looking name cannot lead
  to 10.x or 169.254.169.254 either; the crawl's start host names keep whatever address they have.

Residual risks, not covered here: an HTTP(S) proxy (``HTTP_PROXY``, ``meta["proxy"]``) resolves
names itself, and the opt-in httpx/aiohttp download handlers do their own lookups; neither passes
through the resolver check (the host check still applies). DNS rebinding between the check and
the connection cannot happen with the default (Twisted) handler, which connects to the very
address the resolver checked.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.url import url_is_from_any_domain
from tldextract import TLDExtract
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from w3lib.url import safe_url_string

from parkcrawl.archive.warc import ARCHIVE_KIND_KEY, MEDIA_KIND
from parkcrawl.failures import PageRejected
from parkcrawl.middlewares import RETRY_UNREACHABLE, UNREACHABLE

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# PARKCRAWL_MEDIA_HOSTS values: the start URL's host exactly, or its registrable domain.
SITE = "site"
DOMAIN = "domain"
# Reasons a fetch is refused: the stats key's last part (parkcrawl/media/refused/<reason>).
OFF_SITE = "off_site"
PRIVATE_ADDRESS = "private_address"
NOT_HTTP = "not_http"

# The well-known NAT64 prefix (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# inet_aton's legacy forms (127.1, 0x7f.1, 2130706433) that getaddrinfo turns into an address
# without asking DNS: they are literals too.
_LEGACY_IPV4 = re.compile(r"^[0-9][0-9a-fA-FxX.]*$")


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` names literally (any form a resolver accepts as one), else None."""
    host = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # an IPv6 zone id is not part of it
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))  # parses only, never resolves
        except OSError:
            return None
    return None


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, 6to4, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address; False for private, loopback, link-local,
    reserved, multicast, unspecified, shared (100.64/10) … ranges, IPv4 inside IPv6 included."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return is_public_address(inner)
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def is_local_name(host: str) -> bool:
    """localhost and *.localhost: loopback by name (RFC 6761), whatever DNS would say."""
    host = host.rstrip(".").lower()
    return host == "localhost" or host.endswith(".localhost")


def normalize_host(host: str) -> str:
    """A host as compared: lower case, no trailing dot, IDN as punycode, no IPv6 brackets."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@cache
def _suffixes() -> TLDExtract:
    # The Public Suffix List snapshot that ships inside tldextract (a Scrapy dependency): no
    # download and no cache file at run time. Private suffixes (github.io, cloudfront.net …)
    # count as suffixes, so two customers of one hosting service never share a domain.
    return TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def registrable_domain(host: str) -> str:
    """The registrable domain (eTLD+1) of a host name; the host itself for an address."""
    host = normalize_host(host)
    if literal_address(host) is not None:
        return host
    return _suffixes()(host).top_domain_under_public_suffix or host


def _matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


@dataclass(frozen=True)
class FetchPolicy:
    """Which media URLs a crawl of these start hosts may fetch; see the module docstring."""

    start_hosts: frozenset[str]
    scope: str = SITE
    allowed_hosts: frozenset[str] = frozenset()
    private_allowed: bool = False
    """A start host is itself a private/loopback/… address (or localhost): so may media be."""

    @classmethod
    def for_hosts(
        cls, start_hosts: Iterable[str], scope: str = SITE, allowed_hosts: Iterable[str] = ()
    ) -> FetchPolicy:
        """The policy of a crawl of ``start_hosts`` (its start URLs' hosts)."""
        if scope not in (SITE, DOMAIN):
            raise ValueError(
                f"PARKCRAWL_MEDIA_HOSTS must be {SITE!r} or {DOMAIN!r}, got {scope!r}"
            )
        hosts = frozenset(normalize_host(h) for h in start_hosts if h)
        private = any(
            is_local_name(h) or ((ip := literal_address(h)) is not None and not is_public_address(ip))
            for h in hosts
        )
        return cls(
            start_hosts=hosts,
            scope=scope,
            allowed_hosts=frozenset(normalize_host(h) for h in allowed_hosts if h.strip()),
            private_allowed=private,
        )

    def host_allowed(self, host: str) -> bool:
        """Is ``host`` one media may come from (a start host, its domain, or an allowed host)?"""
        host = normalize_host(host)
        if host in self.start_hosts or any(_matches(host, h) for h in self.allowed_hosts):
            return True
        if self.scope == DOMAIN and literal_address(host) is None:
            domain = registrable_domain(host)
            return any(registrable_domain(h) == domain for h in self.start_hosts)
        return False

    def address_allowed(self, ip: IPAddress) -> bool:
        """May a connection go to ``ip``? Public ones always; others only for a private crawl."""
        return self.private_allowed or is_public_address(ip)

    def refusal(self, url: str) -> str | None:
        """None when media at ``url`` may be fetched, else the reason (OFF_SITE, PRIVATE_ADDRESS …)."""
        # Judged as Scrapy will request it: a Request's URL goes through safe_url_string, which
        # reads "http://10.0.0.1\\@site/" as host 10.0.0.1 (urlsplit alone would say "site").
        parts = urlsplit(safe_url_string(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return NOT_HTTP
        host = parts.hostname
        ip = literal_address(host)
        if is_local_name(host) and not self.private_allowed:
            return PRIVATE_ADDRESS
        if ip is not None and not self.address_allowed(ip):
            return PRIVATE_ADDRESS
        return None if self.host_allowed(host) else OFF_SITE

    def answer_allowed(self, name: str, address: str) -> bool:
        """May a connection to ``name`` go to ``address``, the answer DNS gave for it?"""
        if self.private_allowed or normalize_host(name) in self.start_hosts:
            return True  # the operator chose these hosts, wherever they are
        ip = literal_address(address)
        return ip is not None and is_public_address(ip)


def spider_start_urls(spider: Any) -> list[str]:
    """The URLs a spider's crawl starts from: its sites' start URLs, else its start_urls."""
    sites = getattr(spider, "sites", None) or {}
    return [site.start_url for site in sites.values()] or list(getattr(spider, "start_urls", []))


def spider_start_hosts(spider: Any) -> list[str]:
    """The hosts a spider's crawl starts from (its allowed_domains when it names no start URL)."""
    hosts = [urlsplit(url).hostname or "" for url in spider_start_urls(spider)]
    return [h for h in hosts if h] or list(getattr(spider, "allowed_domains", None) or [])


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, normalize_host(parts.hostname or ""), parts.port or default


class FetchRefused(PageRejected):
    """A fetch the policy refuses; ``key`` is the stats reason (``off_site``, ``private_address``)."""

    def __init__(self, key: str, detail: str):
        super().__init__(f"media refused ({key.replace('_', ' ')}): {detail}")
        self.key = key


class AddressRefused(DNSLookupError):
    """A DNS answer in a range the crawl may not connect to (raised by AddressGuardResolver).

    Twisted's connector replaces it by a plain DNSLookupError ("no results for hostname
    lookup"), so the resolver also remembers the names it refused (``refused``).
    """


class AddressGuardResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers the crawl's FetchPolicy forbids.

    Enabled by ``TWISTED_DNS_RESOLVER = "parkcrawl.netpolicy.AddressGuardResolver"``. It is built
    before the spider (from the process's settings), so MediaGuardMiddleware hands it the crawl's
    policy at spider_opened, before any request; until then it refuses nothing. One crawl per
    process, as ``scrapy crawl`` runs it: a second crawler's policy would replace the first's.
    """

    policy: FetchPolicy | None = None
    stats: Any = None

    def configure(self, policy: FetchPolicy, stats: Any = None) -> None:
        self.policy = policy
        self.stats = stats
        self.refused: dict[str, str] = {}  # name → the address refused for it

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        d = self.lookup(name, timeout)
        # Checked on every lookup, cached answers included (the cache holds raw answers).
        d.addCallback(self._check, name)
        return d

    def lookup(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        """The address DNS gives for ``name``: Scrapy's cached threaded lookup."""
        return super().getHostByName(name, timeout)

    def _check(self, address: str, name: str) -> str:
        if self.policy is None or self.policy.answer_allowed(name, address):
            return address
        self.refused[name] = address
        if self.stats is not None:
            self.stats.inc_value("parkcrawl/resolver/refused")
        raise AddressRefused(f"{name} resolves to {address}, a private or reserved address")


class MediaGuardMiddleware:
    """Refuse media requests (and each redirect hop of one) that the crawl's FetchPolicy forbids.

    Enabled by its ``DOWNLOADER_MIDDLEWARES`` entry (40), before OffsiteMiddleware (50) and
    RobotsTxtMiddleware (100), so not even robots.txt is asked of a refused host, and the
    robots.txt of an allowed media host is read. Settings: ``PARKCRAWL_MEDIA_HOSTS``,
    ``PARKCRAWL_MEDIA_ALLOWED_HOSTS``. Also configures AddressGuardResolver when it is installed.
    """

    def __init__(self, scope: str = SITE, allowed_hosts: Iterable[str] = ()):
        # Validated now, so a typo stops the crawl before any request.
        FetchPolicy.for_hosts([], scope, allowed_hosts)
        self.scope = scope
        self.allowed_hosts = list(allowed_hosts)
        self.policy: FetchPolicy | None = None
        self.start_origins: set[tuple[str, str, int | None]] = set()
        self.resolver: AddressGuardResolver | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> MediaGuardMiddleware:
        settings = crawler.settings
        mw = cls(
            settings.get("PARKCRAWL_MEDIA_HOSTS", SITE),
            settings.getlist("PARKCRAWL_MEDIA_ALLOWED_HOSTS"),
        )
        mw.crawler = crawler
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider: Any) -> None:
        self.policy = FetchPolicy.for_hosts(
            spider_start_hosts(spider), self.scope, self.allowed_hosts
        )
        self.start_origins = {origin(url) for url in spider_start_urls(spider)}
        # The installed reactor, never installing one (a component test runs without any).
        reactor = sys.modules.get("twisted.internet.reactor")
        resolver = getattr(reactor, "resolver", None)
        if not isinstance(resolver, AddressGuardResolver):
            dns = "not checked (TWISTED_DNS_RESOLVER is another resolver)"
        elif not self.policy.start_hosts:
            # `scrapy fetch URL` / `scrapy shell URL` with the project's settings: no start host
            # to exempt, and the URL the user typed is theirs to fetch.
            dns = "not checked (no start URL)"
        else:
            resolver.configure(self.policy, self.crawler.stats)
            self.resolver = resolver
            dns = "checked"
        logger.info(
            "Media fetch policy: hosts %s (%s)%s; private addresses %s; DNS answers %s",
            ", ".join(sorted(self.policy.start_hosts)) or "none",
            self.policy.scope,
            f" and {', '.join(sorted(self.policy.allowed_hosts))}" if self.allowed_hosts else "",
            "allowed (a start host is one)" if self.policy.private_allowed else "refused",
            dns,
        )

    def process_request(self, request: Request) -> None:
        if self.policy is None:
            return None
        if request.meta.get(ARCHIVE_KIND_KEY) != MEDIA_KIND:
            if request.meta.get("dont_obey_robotstxt") and self._media_host_robots(request):
                # RobotsTxtMiddleware asks a media-only host (one the policy let through) for its
                # robots.txt first. Scrapy's OffsiteMiddleware would filter that request (it
                # knows only the pages' domains) and robots.txt would then go unread; and a dead
                # host is as final there as for the media request itself (not 4 tries per host).
                request.meta["allow_offsite"] = True
                request.meta[RETRY_UNREACHABLE] = False
            return None
        reason = self.policy.refusal(request.url)
        if reason is None:
            return None
        self.crawler.stats.inc_value(f"parkcrawl/media/refused/{reason}")
        redirects = request.meta.get("redirect_urls") or []
        via = f" (redirected from {redirects[0]})" if redirects else ""
        logger.info("Media refused, %s: %s%s", reason.replace("_", " "), request.url, via)
        raise FetchRefused(reason, request.url + via)

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A media request (or its host's robots.txt) whose DNS answer the resolver refused."""
        if self.resolver is None or not isinstance(exception, UNREACHABLE):
            return None
        media = request.meta.get(ARCHIVE_KIND_KEY) == MEDIA_KIND
        if not media and request.meta.get(RETRY_UNREACHABLE, True):
            return None  # a page: the spider reports it ("DNS lookup failed"), as before
        name = urlsplit(request.url).hostname or ""
        address = self.resolver.refused.get(name)
        if address is None:
            return None
        detail = f"{request.url} ({name} resolves to {address})"
        if media:
            self.crawler.stats.inc_value(f"parkcrawl/media/refused/{PRIVATE_ADDRESS}")
            logger.info("Media refused, private address: %s", detail)
        # An IgnoreRequest: not an error to log with a traceback (MediaPipeline, robots.txt).
        raise FetchRefused(PRIVATE_ADDRESS, detail)

    def _media_host_robots(self, request: Request) -> bool:
        """robots.txt of a server the pages never use: asked only because of media."""
        if urlsplit(request.url).path != "/robots.txt" or origin(request.url) in self.start_origins:
            return False
        # A subdomain of a start host serves pages too (OffsiteMiddleware allows it): left alone.
        return self.policy is None or not url_is_from_any_domain(
            request.url, self.policy.start_hosts
        )
