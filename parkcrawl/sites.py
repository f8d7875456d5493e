"""The sites file: park sites a crawl walks by name (``-a site=NAME``, ``-a sites=all``).

``sites.toml`` (``PARKCRAWL_SITES_FILE``, or ``-a sites_file=PATH``) holds one table per site::

    [defaults]                       # optional: values every site inherits
    path = "动态要闻/园区信息"

    [sites.demo]
    start_url = "http://127.0.0.1:8000/index.html"

    [sites.lakeside]
    start_url = "https://www.lakeside-park.example.gov.cn/"
    path = "新闻中心/园区动态"
    # Overrides, only for a site the generic walker cannot handle:
    list_item_selector = "ul.news-list > li > a"    # the article links of a list page
    breadcrumb_selector = "div.crumbs a, div.crumbs span"    # the article page's breadcrumb

The generic walker (section links by cleaned text, the list found by its shape, the breadcrumb
found by the extractor) is the default; an override replaces one of those steps for one site.
Loading is strict: an unknown key, a bad URL or selector, or a duplicate host is an error that
names the site and the key, so a typo fails before any request instead of crawling wrongly.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from parkcrawl.navigation import Link, normalize_link_text
from parkcrawl.page import select_breadcrumb as page_breadcrumb
from parkcrawl.page import select_breadcrumb_links as page_breadcrumb_links
from parkcrawl.text import clean_text
from parkcrawl.urls import safe_join_url

DEFAULT_PATH = "动态要闻/园区信息"
# Names go into request meta, output lines, Redis keys and command lines: keep them plain.
SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Keys a site table (and [defaults]) may hold, with what each means (for error messages).
SITE_KEYS = {
    "start_url": "the site's home page (http or https)",
    "path": "the section path from the home page, levels separated by /",
    "list_item_selector": "CSS selector of the article links (<a>) on a list page",
    "breadcrumb_selector": "CSS selector of the breadcrumb's elements on an article page",
}
ALL = "all"


class SitesError(ValueError):
    """The sites file or a site argument is unusable; the message is one line for the user."""


@dataclass(frozen=True)
class SiteConfig:
    """One site: where to start, which section to walk, and the rare overrides."""

    name: str | None
    """The site's name in the sites file; None for a crawl given by ``-a start_url``."""
    start_url: str
    path: tuple[str, ...]
    """Cleaned section levels walked from the home page, e.g. ("动态要闻", "园区信息")."""
    list_item_selector: str | None = None
    breadcrumb_selector: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.start_url).hostname or ""


def split_path(path: str) -> tuple[str, ...]:
    """ "动态要闻/园区信息" (or with >) as cleaned levels; empty when nothing is left."""
    levels = (clean_text(part).text.strip() for part in path.replace(">", "/").split("/"))
    return tuple(level for level in levels if level)


def check_start_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise SitesError(f"{where}: start_url is missing ({SITE_KEYS['start_url']})")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SitesError(f"{where}: start_url must be an http(s) URL with a host, got {url!r}")
    return url.strip()


def check_selector(value: Any, key: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SitesError(f"{where}: {key} must be a non-empty CSS selector string")
    try:
        HTMLTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise SitesError(f"{where}: {key} is not a valid CSS selector ({value!r}: {exc})") from None
    return value.strip()


def site_from_table(
    name: str, table: Mapping[str, Any], defaults: Mapping[str, Any], where: str
) -> SiteConfig:
    """A SiteConfig from one ``[sites.NAME]`` table over the ``[defaults]`` table."""
    if not SITE_NAME.match(name):
        raise SitesError(
            f"{where}: site name {name!r} must be ASCII letters, digits, '.', '_' or '-' "
            "(it is used in output lines, Redis keys and -a site=NAME)"
        )
    here = f"{where}: site {name!r}"
    if not isinstance(table, Mapping):
        raise SitesError(f"{here}: must be a table ([sites.{name}])")
    unknown = sorted(set(table) - set(SITE_KEYS))
    if unknown:
        raise SitesError(f"{here}: unknown key {unknown[0]!r}; known keys: {', '.join(SITE_KEYS)}")
    merged = {**defaults, **table}
    path_value = merged.get("path", DEFAULT_PATH)
    if not isinstance(path_value, str):
        raise SitesError(f"{here}: path must be a string such as {DEFAULT_PATH!r}")
    path = split_path(path_value)
    if not path:
        raise SitesError(f"{here}: path is empty ({SITE_KEYS['path']})")
    return SiteConfig(
        name=name,
        start_url=check_start_url(merged.get("start_url"), here),
        path=path,
        list_item_selector=check_selector(
            merged.get("list_item_selector"), "list_item_selector", here
        ),
        breadcrumb_selector=check_selector(
            merged.get("breadcrumb_selector"), "breadcrumb_selector", here
        ),
    )


def parse_sites(data: Mapping[str, Any], where: str = "sites file") -> dict[str, SiteConfig]:
    """Validate a parsed sites file; the sites in file order, by name."""
    unknown = sorted(set(data) - {"defaults", "sites"})
    if unknown:
        raise SitesError(
            f"{where}: unknown table {unknown[0]!r}; expected [defaults] and [sites.NAME]"
        )
    defaults = data.get("defaults", {})
    if not isinstance(defaults, Mapping):
        raise SitesError(f"{where}: [defaults] must be a table")
    bad = sorted(set(defaults) - (set(SITE_KEYS) - {"start_url"}))
    if bad:
        raise SitesError(f"{where}: [defaults]: unknown key {bad[0]!r}")
    tables = data.get("sites")
    if not isinstance(tables, Mapping) or not tables:
        raise SitesError(f"{where}: no sites: add a [sites.NAME] table with a start_url")
    sites = {name: site_from_table(name, table, defaults, where) for name, table in tables.items()}
    hosts: dict[tuple[str, tuple[str, ...]], str] = {}
    for site in sites.values():
        # Two entries for one section of one site would crawl it twice under two names.
        netloc = urlsplit(site.start_url).netloc.lower()
        key = (netloc, site.path)
        if key in hosts:
            raise SitesError(
                f"{where}: sites {hosts[key]!r} and {site.name!r} walk the same section of {netloc}"
            )
        hosts[key] = site.name or ""
    return sites


def load_sites(path: Path | str) -> dict[str, SiteConfig]:
    """Read and validate a sites file (TOML)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(
            f"sites file {path} not found (give -a sites_file=PATH or set PARKCRAWL_SITES_FILE)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"sites file {path} cannot be read: {exc}") from None
    return parse_sites(data, str(path))


def select_sites(
    available: Mapping[str, SiteConfig], site: str | None = None, sites: str | None = None
) -> list[SiteConfig]:
    """The sites named by ``-a site=NAME`` or ``-a sites=all`` / ``-a sites=a,b``, in file order."""
    if site is not None and sites is not None:
        raise SitesError("give either -a site=NAME or -a sites=..., not both")
    wanted = site if site is not None else sites
    if wanted is None:
        raise SitesError("no site chosen: give -a site=NAME or -a sites=all")
    names = [part.strip() for part in wanted.split(",") if part.strip()]
    if site is not None and len(names) != 1:
        raise SitesError(f"-a site takes one name, got {site!r} (use -a sites=a,b for several)")
    if not names:
        raise SitesError("no site chosen: give -a site=NAME or -a sites=all")
    if names == [ALL]:
        return list(available.values())
    missing = [name for name in names if name not in available]
    if missing:
        raise SitesError(
            f"no site named {missing[0]!r} in the sites file; sites: {', '.join(available)}"
        )
    chosen = set(names)
    return [config for name, config in available.items() if name in chosen]


def sites_for_arguments(
    site: str | None, sites: str | None, sites_file: str | None, default_file: str | None
) -> list[SiteConfig] | None:
    """The sites a crawl's arguments choose, or None when they name none (``-a start_url`` mode)."""
    if site is None and sites is None:
        if sites_file is not None:
            raise SitesError("-a sites_file needs -a site=NAME or -a sites=all")
        return None
    return select_sites(load_sites(sites_file or default_file or "sites.toml"), site, sites)


def select_links(html_selector: Selector, css: str) -> list[Selector]:
    """The ``<a href>`` elements a list_item_selector picks (it may name the <li> around each)."""
    anchors = []
    for node in html_selector.css(css):
        if getattr(node.root, "tag", None) == "a":
            anchors.append(node)
        else:
            anchors.extend(node.xpath(".//a[@href]")[:1])
    return [anchor for anchor in anchors if anchor.attrib.get("href")]


def select_breadcrumb(html_selector: Selector, css: str) -> list[str]:
    """The breadcrumb levels a breadcrumb_selector picks (:func:`parkcrawl.page.select_breadcrumb`)."""
    return page_breadcrumb(html_selector.root, css)


def select_breadcrumb_links(
    html_selector: Selector, css: str, levels: list[str], base_url: str
) -> list[str | None]:
    """Item for item with ``select_breadcrumb``'s levels (:func:`parkcrawl.page.select_breadcrumb_links`)."""
    return page_breadcrumb_links(html_selector.root, css, levels, base_url)


def site_links(html_selector: Selector, base_url: str, css: str) -> list[Link]:
    """A list page's article links picked by a site's list_item_selector, absolute and unique."""
    links: dict[str, Link] = {}
    for anchor in select_links(html_selector, css):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = (safe_join_url(base_url, href) or "").split("#", 1)[0]
        if url and urlsplit(url).scheme in ("http", "https") and url not in links:
            text = " ".join(anchor.xpath(".//text()").getall()).strip() or anchor.attrib.get(
                "title", ""
            )
            links[url] = Link(url, normalize_link_text(text))
    return list(links.values())


class SiteMiddleware(BaseSpiderMiddleware):
    """Carry request meta ``parknews_site`` from a response to the requests its callback yields.

    Every request then knows its site (path, overrides) without each callback passing it on,
    in one process or across the workers of a distributed crawl (meta travels with requests).
    """

    def get_processed_request(self, request: Request, response: Response | None) -> Request:
        if (
            response is not None
            and "parknews_site" not in request.meta
            and "parknews_site" in response.meta
        ):
            request.meta["parknews_site"] = response.meta["parknews_site"]
        return request
