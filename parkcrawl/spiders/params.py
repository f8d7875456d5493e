"""The parknews spider's arguments (``-a NAME=VALUE``): declared once, validated once.

:func:`spider_params` turns the raw arguments and the settings into a :class:`ParknewsParams`.
The crawl command calls it to refuse bad arguments with exit status 2 before the engine starts;
the spider calls it too, since Scrapyd's runner and ``scrapy parse`` build the spider without our
command. An argument that is not declared in :data:`PARAMS` — a typo such as ``-a fulll=1`` — is
refused with the known ones named, instead of being silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from parkcrawl.renamed import start_url_from_environment
from parkcrawl.sites import SiteConfig, SitesError, sites_for_arguments
from parkcrawl.text import clean_text


class ArgumentError(ValueError):
    """A spider argument or setting is unusable; the message is one line for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str


# Every argument the spider takes, with what it means (README "Crawling a real site").
PARAMS = (
    Param("start_url", "the site's home page (default: the PARKCRAWL_START_URL setting, then the "
          "environment variable of that name)"),
    Param("path", "the section path walked from the home page, levels separated by / "
          "(default: the PARKCRAWL_PATH setting, 动态要闻/园区信息)"),
    Param("full", "1: walk every list page and fetch every article, known or not"),
    Param("recheck_days", "N: re-request the known articles of the last N days conditionally"),
    Param("site", "crawl the site of this name from the sites file"),
    Param("sites", "crawl 'all' the sites of the sites file, or a comma-separated list of names"),
    Param("sites_file", "the sites file to read (default: the PARKCRAWL_SITES_FILE setting)"),
)
KNOWN = frozenset(param.name for param in PARAMS)
# Arguments Scrapy's runners pass to every spider, not the user: Scrapyd's job id.
FROM_RUNNERS = frozenset({"_job"})


@dataclass(frozen=True)
class ParknewsParams:
    """What one parknews crawl walks, and how."""

    sites: tuple[SiteConfig, ...]
    """The sites walked: one for ``-a start_url``, one or more from the sites file."""
    full: bool = False
    recheck_days: int = 0

    @property
    def start_url(self) -> str:
        return self.sites[0].start_url

    @property
    def path(self) -> list[str]:
        return list(self.sites[0].path)


def parse_path(path: str) -> list[str]:
    """Split "动态要闻/园区信息" (or with >) into cleaned level names."""
    levels = [clean_text(part).text.strip() for part in path.replace(">", "/").split("/")]
    levels = [level for level in levels if level]
    if not levels:
        raise ArgumentError("path is empty: give the section path, e.g. -a path=动态要闻/园区信息")
    return levels


def parse_flag(name: str, value: str | bool | None) -> bool:
    """A boolean spider argument: 1/0, true/false, yes/no."""
    if value is None or isinstance(value, bool):
        return bool(value)
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ArgumentError(f"{name} must be 1 or 0, got {value!r}")


def parse_days(name: str, value: str | int | None) -> int:
    """A non-negative whole number of days."""
    if value is None:
        return 0
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ArgumentError(f"{name} must be a whole number of days, got {value!r}") from None
    if days < 0:
        raise ArgumentError(f"{name} must not be negative, got {days}")
    return days


def resolve_start_url(start_url: str | None, setting: str | None) -> str:
    """The start URL from the argument, the setting or the environment, validated."""
    url = start_url or setting or start_url_from_environment()
    if not url:
        raise ArgumentError(
            "no start URL: pass -a start_url=URL or set PARKCRAWL_START_URL (setting or environment)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArgumentError(f"start_url must be an http(s) URL with a host, got {url!r}")
    return url


def spider_params(spargs: dict[str, Any], settings: Any) -> ParknewsParams:
    """Validate the spider arguments against the settings; ArgumentError says what is wrong."""
    unknown = sorted(set(spargs) - KNOWN - FROM_RUNNERS)
    if unknown:
        known = ", ".join(param.name for param in PARAMS)
        raise ArgumentError(
            f"unknown argument{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
            f"parknews takes {known}"
        )
    try:
        chosen = sites_for_arguments(
            spargs.get("site"), spargs.get("sites"), spargs.get("sites_file"),
            settings.get("PARKCRAWL_SITES_FILE"),
        )
    except SitesError as exc:
        raise ArgumentError(str(exc)) from None
    if chosen is None:
        start_url = resolve_start_url(spargs.get("start_url"), settings.get("PARKCRAWL_START_URL"))
        path = spargs["path"] if "path" in spargs else settings.get("PARKCRAWL_PATH")
        chosen = [SiteConfig(None, start_url, tuple(parse_path(path or "")))]
    return ParknewsParams(
        sites=tuple(chosen),
        full=parse_flag("full", spargs.get("full")),
        recheck_days=parse_days("recheck_days", spargs.get("recheck_days")),
    )
