"""Canonical article URLs: one key per article however a site links to it (pure, w3lib)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that track the visitor or pick a rendering, never the article.
TRACKING_PARAMS = ("spm", "from", "source", "share", "isappinstalled", "scene", "clicktime", "wxfrom")
TRACKING_PREFIXES = ("utm_",)
PRINT_PARAMS = ("print", "printable", "view")
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGE = re.compile(r"/(?:index|default)\.s?html?$", re.I)
PRINT_SEGMENT = re.compile(r"/print(?=/)", re.I)


def _is_noise_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name in PRINT_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The dedup key of a URL: scheme-less, default port, fragment, tracking and print parameters,
    query order, ``index.html`` vs ``/`` and a ``/print/`` segment all made not to matter."""
    parts = urlsplit(url.strip())
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
