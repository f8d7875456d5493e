"""``parkcrawl reextract``: run the crawl's article stages over archived article pages.

No network and no reactor: article response records (page kind ``article``, status 2xx) are read
from the WARC files; those the crawl refused by their bytes are refused again
(:func:`reextract_refusals`); the others are turned into the items the spider would have yielded
and passed through the ``ITEM_PIPELINES`` stages that declare ``offline = True`` (in
ITEM_PIPELINES order: the crawl's own list, see :mod:`parkcrawl.pipelines`), then written with
Scrapy's JSON-lines exporter and ``FEED_EXPORT_FIELDS``. Stages that fetch (MediaDownloadPipeline) are not offline;
DeduplicatePipeline runs without the cross-run state, so the output holds each archived article
once — its first capture, files taken in name (= time) order. ``--site NAME`` / ``--sites all``
(with ``--sites-file``) name the sites the crawl walked, as its ``-a`` arguments did: each page
gets its site's name and overrides (a ``breadcrumb_selector``) as in the crawl.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem
from scrapy.exporters import JsonLinesItemExporter
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object
from warcio.exceptions import ArchiveLoadFailed

from parkcrawl.archive.records import ArchivedResponse, iter_responses
from parkcrawl.archive.warc import OPEN_SUFFIX, WARC_SUFFIX
from parkcrawl.exporters import JsonFieldsCsvItemExporter
from parkcrawl.items import Article
from parkcrawl.sites import SiteConfig, SitesError, sites_for_arguments
from parkcrawl.spiders.params import ArgumentError, parse_path
from parkcrawl.spiders.parknews import KEPT_HEADERS

ARTICLE_KIND = "article"


class Counts(dict[str, Any]):
    """The stats calls the offline stages make (inc_value), kept in a dict."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] = self.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value


def project_settings(overrides: dict[str, str] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("parkcrawl.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def reextract_pipelines(settings: Settings) -> list[type]:
    """The ITEM_PIPELINES stages that run offline (``offline = True``), in their crawl order."""
    ordered = build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    classes = [load_object(name) if isinstance(name, str) else name for name in ordered]
    return [cls for cls in classes if getattr(cls, "offline", False)]


def reextract_refusals(settings: Settings) -> list[Callable[[bytes], str | None]]:
    """The checks of the project's DOWNLOADER_MIDDLEWARES that refuse a page by its bytes
    (``offline_check``: not HTML, empty, too complex), in the order the crawl applies them
    (process_response runs from the highest number down). The WARC holds every page fetched,
    the refused ones too: re-extraction refuses them again, with the crawl's reasons, instead
    of writing articles the crawl did not (or stalling on a page built to stall a parser)."""
    enabled = [
        (priority, name) for name, priority in settings.getdict("DOWNLOADER_MIDDLEWARES").items()
        if priority is not None
    ]
    checks = []
    for _, name in sorted(enabled, key=lambda entry: entry[0], reverse=True):
        cls = load_object(name) if isinstance(name, str) else name
        check = cls.offline_check(settings) if hasattr(cls, "offline_check") else None
        if check is not None:
            checks.append(check)
    return checks


def build_stages(
    settings: Settings, stats: Any, sites: dict[str, SiteConfig] | None = None
) -> list[Any]:
    """The offline stages built with plain values (no crawler): ``offline_stage`` or no args."""
    return [
        cls.offline_stage(settings, stats, sites or {}) if hasattr(cls, "offline_stage") else cls()
        for cls in reextract_pipelines(settings)
    ]


def site_of(url: str, walked: list[str] | None, sites: dict[str, SiteConfig]) -> str | None:
    """The site (of those the crawl walked) an archived page belongs to: the one of its host and
    walked path, else the only one of its host, else the only site; None if that is ambiguous."""
    if not sites:
        return None
    netloc = urlsplit(url).netloc.lower()
    same_host = [s for s in sites.values() if urlsplit(s.start_url).netloc.lower() == netloc]
    if walked:
        same_path = [s for s in same_host if list(s.path) == list(walked[1:])]
        if len(same_path) == 1:
            return same_path[0].name
    if len(same_host) == 1:
        return same_host[0].name
    return next(iter(sites.values())).name if len(sites) == 1 else None


def warc_files(inputs: Iterable[Path]) -> list[Path]:
    """WARC files named on the command line or inside named folders, in name (= time) order.

    A folder's ``.warc.gz.open`` files (left by a killed run, read up to their last whole
    record) count too."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{WARC_SUFFIX}")))
            found.extend(sorted(path.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such WARC file or folder: {path}")
    return sorted(dict.fromkeys(found), key=lambda p: p.name)


def fetched_at(warc_date: str) -> str:
    """WARC-Date → the item's ``YYYY-MM-DDTHH:MM:SSZ``."""
    return warc_date[:19] + "Z"


def article_from(
    response: ArchivedResponse, walked_default: list[str], sites: dict[str, SiteConfig] | None = None
) -> Article:
    """The item the spider's parse_article yields for this page."""
    when = fetched_at(response.date)
    kept = {name.decode("latin-1").lower() for name in KEPT_HEADERS}
    return Article(
        url=response.url,
        fetched_at=when,
        first_seen_at=when,
        raw_body=response.body,
        content_type=response.header("Content-Type") or None,
        walked_path=list(response.walked or walked_default),
        site=site_of(response.url, response.walked, sites or {}),
        response_headers={k.lower(): v for k, v in response.headers if k.lower() in kept and v},
    )


def _run(result: Any) -> Any:
    if inspect.isawaitable(result):
        async def wait() -> Any:
            return await result

        return asyncio.run(wait())
    return result


@dataclass
class Outcome:
    pages: int = 0
    written: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    stats: Counts = field(default_factory=Counts)


def article_responses(paths: list[Path]) -> Iterator[ArchivedResponse]:
    for response in iter_responses(paths, kinds=[ARTICLE_KIND]):
        if 200 <= response.status < 300:
            yield response


# Output formats by file name, as `scrapy crawl -O` picks them (the same exporters).
FORMATS = {".jsonl": "jsonlines", ".jl": "jsonlines", ".csv": "csv", "": "jsonlines"}


def exporter_class(format: str) -> type:
    if format == "csv":
        return JsonFieldsCsvItemExporter
    return JsonLinesItemExporter


def format_of(target: Path | None) -> str:
    """The output format a file name asks for; ArgumentError for one reextract cannot write."""
    suffix = target.suffix.lower() if target is not None else ""
    if suffix not in FORMATS:
        raise ArgumentError(
            f"cannot write {target}: reextract writes JSON lines (.jsonl, .jl) or CSV (.csv)"
        )
    return FORMATS[suffix]


def reextract(
    paths: list[Path], out: IO[bytes], *, settings: Settings | None = None, path: str | None = None,
    format: str = "jsonlines", sites: list[SiteConfig] | None = None,
) -> Outcome:
    """Re-extract every archived article page of ``paths`` into ``out`` (JSON lines or CSV);
    ``sites``: the sites file's sites the crawl walked (None: a ``-a start_url`` crawl)."""
    settings = settings or project_settings()
    by_name = {site.name: site for site in sites or [] if site.name}
    outcome = Outcome()
    pipelines = build_stages(settings, outcome.stats, by_name)
    refusals = reextract_refusals(settings)
    walked_default = ["首页", *parse_path(path or settings.get("PARKCRAWL_PATH") or "")]
    exporter = exporter_class(format)(
        out,
        fields_to_export=settings.getlist("FEED_EXPORT_FIELDS") or None,
        encoding=settings.get("FEED_EXPORT_ENCODING") or "utf-8",
    )
    exporter.start_exporting()
    for response in article_responses(paths):
        outcome.pages += 1
        refused = next((reason for check in refusals if (reason := check(response.body))), None)
        if refused is not None:
            outcome.dropped[str(refused)] = outcome.dropped.get(str(refused), 0) + 1
            continue
        item: Any = article_from(response, walked_default, by_name)
        try:
            for pipeline in pipelines:
                item = _run(pipeline.process_item(item))
        except DropItem as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            outcome.dropped[reason] = outcome.dropped.get(reason, 0) + 1
            continue
        exporter.export_item(item)
        outcome.written += 1
    exporter.finish_exporting()
    return outcome


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parkcrawl reextract",
        description="Run the cleaning and extraction pipelines over archived article pages "
        "(no network) and write JSON lines.",
    )
    parser.add_argument("warcs", nargs="+", type=Path, help="WARC files or folders of them")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-O", dest="overwrite", type=Path, help="write to FILE, replacing it")
    target.add_argument("-o", dest="append", type=Path, help="append to FILE")
    parser.add_argument("--path", help="section path for pages archived without one "
                        "(default: the PARKCRAWL_PATH setting)")
    parser.add_argument("--site", help="the site the crawl walked (-a site=NAME): its name and "
                        "overrides, such as a breadcrumb_selector, apply to its pages")
    parser.add_argument("--sites", help="the sites the crawl walked (-a sites=all or a,b)")
    parser.add_argument("--sites-file", help="the sites file (default: the PARKCRAWL_SITES_FILE "
                        "setting)")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting, as for scrapy crawl")
    return parser


def main_reextract(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    overrides = {}
    for pair in args.settings:
        name, sep, value = pair.partition("=")
        if not sep:
            parser.error(f"-s takes NAME=VALUE, got {pair!r}")
        overrides[name] = value
    try:
        paths = warc_files(args.warcs)
        settings = project_settings(overrides)
        sites = sites_for_arguments(
            args.site, args.sites, args.sites_file, settings.get("PARKCRAWL_SITES_FILE")
        )
        target = args.overwrite or args.append
        format = format_of(target)
        if target is None:
            outcome = reextract(
                paths, sys.stdout.buffer, settings=settings, path=args.path, format=format,
                sites=sites,
            )
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "ab" if args.append else "wb") as out:
                outcome = reextract(
                    paths, out, settings=settings, path=args.path, format=format, sites=sites
                )
    except (FileNotFoundError, ArgumentError, SitesError) as exc:
        print(f"parkcrawl reextract: error: {exc}", file=sys.stderr)
        return 2
    except ArchiveLoadFailed as exc:
        first = str(exc).splitlines()[0][:120]
        print(f"parkcrawl reextract: error: not a WARC file ({first})", file=sys.stderr)
        return 2
    print(f"article pages: {outcome.pages} in {len(paths)} WARC files", file=sys.stderr)
    print(f"articles written: {outcome.written}", file=sys.stderr)
    for reason, count in sorted(outcome.dropped.items()):
        print(f"  dropped, {reason}: {count}", file=sys.stderr)
    if outcome.pages == 0:
        print("parkcrawl reextract: no archived article pages found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main_reextract(sys.argv[1:]))
