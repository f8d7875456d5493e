"""Canonical article URLs: one key per article however a site links to it (pure, w3lib).

Also session-id-free URLs for the requests the spider builds (:func:`without_session_ids`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string, url_query_cleaner

# Query parameters that track the visitor or pick a rendering, never the article.
TRACKING_PARAMS = ("spm", "from", "source", "share", "isappinstalled", "scene", "clicktime", "wxfrom")
TRACKING_PREFIXES = ("utm_",)
PRINT_PARAMS = ("print", "printable", "view")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Session ids a server puts in links for visitors without cookies: every visit gets other URLs
# for the same pages, so a crawler that keeps them walks the site again and again. Names are
# matched without regard to case; an ASP session cookie name carries a suffix (ASPSESSIONIDQQSD).
SESSION_PARAMS = ("jsessionid", "phpsessid", "sessionid", "session_id", "sessid", "cfid", "cftoken")
SESSION_PREFIXES = ("aspsessionid",)
# Names that are a session id on some sites and a site or column id on others (``sid=12``): only
# a token-like value (16+ letters and digits) is taken for a session id.
AMBIGUOUS_SESSION_PARAMS = ("sid",)
SESSION_TOKEN = re.compile(r"^[0-9A-Za-z_-]{16,}$")
# ``;jsessionid=…`` (and the like) as a path parameter, up to the next ``;``, ``?`` or ``#``.
SESSION_PATH_PARAM = re.compile(
    r";(?:" + "|".join((*SESSION_PARAMS, *(f"{p}\\w*" for p in SESSION_PREFIXES))) + r")=[^;?#/]*",
    re.I,
)
INDEX_PAGE = re.compile(r"/(?:index|default)\.s?html?$", re.I)
PRINT_SEGMENT = re.compile(r"/print(?=/)", re.I)


def join_url(base: str, href: str) -> str | None:
    """``urljoin(base, href)``, or None where the result cannot be read as a URL.

    A page writes its own hrefs: urllib raises ValueError on one like ``http://[::1/`` (an
    unclosed IPv6 bracket) or a port out of range, and one such link in a sidebar took down the
    whole page it stood on (every link of a list page, or the article), not just itself.
    """
    try:
        url = urljoin(base, href)
        _ = urlsplit(url).port  # raises for a port that is no number from 0 to 65535
    except ValueError:
        return None
    return url


def safe_join_url(base: str, href: str) -> str | None:
    """:func:`join_url` made a request-safe URL (w3lib's ``safe_url_string``: percent-encoded,
    IDNA host), or None where the href makes no URL."""
    url = join_url(base, href)
    return safe_url_string(url) if url is not None else None


def _is_noise_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name in PRINT_PARAMS or name.startswith(TRACKING_PREFIXES)


def _is_session_param(pair: str) -> bool:
    name, _, value = pair.partition("=")
    name = name.lower()
    if name in SESSION_PARAMS or name.startswith(SESSION_PREFIXES):
        return True
    return name in AMBIGUOUS_SESSION_PARAMS and bool(SESSION_TOKEN.match(value))


def without_session_ids(url: str) -> str:
    """``url`` without session ids (``;jsessionid=…``, ``?PHPSESSID=…``): still fetchable, the rest
    of it byte for byte as it was, so the dupefilter sees one URL per page however it was linked."""
    parts = urlsplit(url)
    path = SESSION_PATH_PARAM.sub("", parts.path)
    query = parts.query
    if query:
        query = "&".join(pair for pair in query.split("&") if not _is_session_param(pair))
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


# An article's URL is made its key five times on its way (the spider's known check, the state's,
# dedup, the record, the item's canonical_url), each a w3lib canonicalisation (issue 16). The key
# is a pure function of the string; a few thousand recent URLs cover the pages in flight.
@lru_cache(maxsize=2048)
def canonical_url(url: str) -> str:
    """The dedup key of a URL: scheme-less, default port, fragment, tracking and print parameters,
    query order, ``index.html`` vs ``/`` and a ``/print/`` segment all made not to matter."""
    url = without_session_ids(url.strip())
    parts = urlsplit(url)
    if parts.query:
        names = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
        noisy = [name for name in names if _is_noise_param(name)]
        if noisy:
            url = url_query_cleaner(url, noisy, remove=True, keep_fragments=True)
    url = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
    path = PRINT_SEGMENT.sub("", parts.path) or "/"
    path = INDEX_PAGE.sub("/", path)
    # http and https serve the same article on these sites; the key is scheme-less.
    return urlunsplit(("", netloc, path, parts.query, "")).removeprefix("//")


def absolute_canonical_url(url: str) -> str:
    """:func:`canonical_url` as a URL one can open: the key with the scheme ``url`` was fetched
    over (the key itself is scheme-less, as http and https serve the same article)."""
    scheme = urlsplit(url.strip()).scheme or "http"
    return f"{scheme.lower()}://{canonical_url(url)}"
