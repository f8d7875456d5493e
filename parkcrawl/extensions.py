"""RunReport: count every outcome, name every dropped article, decide if the run failed.

Enabled by its entry in ``EXTENSIONS``. It writes the report as JSON to ``PARKCRAWL_RUNS_DIR``
and logs a short summary; the ``crawl`` command turns a failed run into a non-zero exit status.
"""

from __future__ import annotations

import heapq
import json
import logging
import signal
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import __version__ as scrapy_version
from scrapy import signals as scrapy_signals

from parkcrawl import __version__, signals
from parkcrawl.outcomes import DEDUP_OUTCOMES, EXTRACTION_FAILURES, Drop, reason_key
from parkcrawl.report_html import render_report

logger = logging.getLogger(__name__)

FAILURE_STAT = "parkcrawl/failure"
# The number of the signal (SIGINT, SIGTERM) that interrupted the run; the crawl command exits
# with 128 + it, as shells do for a process a signal stopped.
INTERRUPTED_STAT = "parkcrawl/interrupted_by"
INTERRUPT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How many of the slowest downloads and of the most named people the report lists.
SLOWEST_KEPT = 10
TOP_PEOPLE = 10
# The spider's attributes that say what was crawled (its validated arguments).
SPIDER_ARGUMENTS = ("start_url", "path", "full", "recheck_days")


def spider_arguments(spider: Any) -> dict[str, Any]:
    """What the run was asked to crawl: the spider's validated arguments and its sites."""
    arguments = {name: getattr(spider, name) for name in SPIDER_ARGUMENTS if hasattr(spider, name)}
    sites = getattr(spider, "sites", None)
    if sites and any(name for name in sites):
        arguments["sites"] = sorted(name for name in sites if name)
    return arguments
class RunReport:
    """Collect the run's outcome and write the run report; PARKCRAWL_RUNS_DIR."""

    def __init__(
        self, crawler: Any, runs_dir: str | None, max_failure_share: float, html: bool = True
    ):
        self.crawler = crawler
        self.runs_dir = Path(runs_dir) if runs_dir else None
        self.max_failure_share = max_failure_share
        self.html = html
        self.dropped: list[dict[str, str]] = []
        self.deduplicated: dict[str, int] = {}
        self.written = 0
        self.changed = 0
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        self.output_failed = False
        self.interrupted_by: int | None = None
        # What the HTML report charts: articles written per month, per site, the people named.
        self.months: Counter[str] = Counter()
        self.sites: Counter[str] = Counter()
        self.people: Counter[tuple[str, str]] = Counter()
        self.slowest: list[tuple[float, str]] = []  # (seconds, url), the SLOWEST_KEPT slowest

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReport:
        ext = cls(
            crawler,
            crawler.settings.get("PARKCRAWL_RUNS_DIR"),
            crawler.settings.getfloat("PARKCRAWL_MAX_EXTRACTION_FAILURE_SHARE", 0.2),
            crawler.settings.getbool("PARKCRAWL_HTML_REPORT_ENABLED", True),
        )
        crawler.signals.connect(ext.item_scraped, signal=scrapy_signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=scrapy_signals.item_dropped)
        crawler.signals.connect(ext.item_error, signal=scrapy_signals.item_error)
        crawler.signals.connect(ext.article_dropped, signal=signals.article_dropped)
        crawler.signals.connect(ext.spider_closed, signal=scrapy_signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=scrapy_signals.response_received)
        crawler.signals.connect(ext.output_failure, signal=signals.output_failed)
        crawler.signals.connect(ext.engine_started, signal=scrapy_signals.engine_started)
        return ext

    def engine_started(self) -> None:
        # Scrapy has installed its shutdown handlers by now: note which signal stopped the run
        # before passing it on, so the run can say it was interrupted (and exit 130 or 143).
        for signum in INTERRUPT_SIGNALS:
            previous = signal.getsignal(signum)
            if not callable(previous):
                continue
            try:
                signal.signal(signum, self._noting(previous))
            except ValueError:  # not the main thread (a crawler run inside a test's thread)
                return

    def _noting(self, handler: Any) -> Any:
        def note_and_pass_on(signum: int, frame: Any) -> Any:
            if self.interrupted_by is None:
                self.interrupted_by = signum
                self.crawler.stats.set_value(INTERRUPTED_STAT, int(signum))
            return handler(signum, frame)

        return note_and_pass_on

    def output_failure(self, path: Any, error: Any) -> None:
        # From here on, articles scraped are not in the file: not "written".
        self.output_failed = True

    def response_received(self, response: Any, request: Any) -> None:
        latency = request.meta.get("download_latency")
        if latency is not None:
            heapq.heappush(self.slowest, (round(float(latency), 3), response.url))
            if len(self.slowest) > SLOWEST_KEPT:
                heapq.heappop(self.slowest)
        self._count_kind(request)

    def _count_kind(self, request: Any) -> None:
        kind = request.meta.get("parknews_kind") or (
            "robots" if request.url.endswith("/robots.txt") else "other"
        )
        self.crawler.stats.inc_value(f"parkcrawl/fetched/{kind}")

    def item_scraped(self, item: Any) -> None:
        if self.output_failed:
            return
        self.written += 1
        published = getattr(item, "published_at", None)
        self.months[published[:7] if published else "no date"] += 1
        self.sites[getattr(item, "site", None) or "-"] += 1
        for person in getattr(item, "participants", None) or []:
            self.people[(person.get("name") or "", person.get("role") or "")] += 1
        if getattr(item, "revision", 1) > 1:
            self.changed += 1

    def item_dropped(self, item: Any, exception: Exception) -> None:
        reason = getattr(exception, "reason", None) or str(exception)
        if reason in DEDUP_OUTCOMES:
            self.deduplicated[reason] = self.deduplicated.get(reason, 0) + 1
            return
        self.article_dropped(getattr(item, "url", "?"), reason)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        # A bug in a stage loses the article as surely as a layout change: count it as such.
        self.article_dropped(getattr(item, "url", "?"), Drop.PIPELINE_ERROR)

    def article_dropped(self, url: str, reason: str) -> None:
        reason = str(reason)  # a Drop member or a fetch failure's words: plain text in the report
        self.dropped.append({"url": url, "reason": reason})
        self.crawler.stats.inc_value(f"parkcrawl/dropped/{reason_key(reason)}")

    def _failure(self, spider: Any, reason: str) -> str | None:
        if getattr(spider, "failure", None):
            return spider.failure
        if reason != "finished":
            return None  # an interrupted run is not a verdict on the site
        lost = getattr(spider, "lost_list_pages", None)
        if lost:
            # Losing a list page loses every article on it, and nobody can say how many.
            more = f" and {len(lost) - 1} more" if len(lost) > 1 else ""
            return (
                f"list page {lost[0]['url']} could not be read ({lost[0]['reason']}){more}: "
                "the articles it lists are missing"
            )
        cut = getattr(spider, "walk_cut", None)
        if cut:
            # A cap stopped the walk: the list pages past it may list articles nobody fetched.
            more = f" and {len(cut) - 1} more" if len(cut) > 1 else ""
            return f"walk cut: {cut[0]}{more}: articles beyond it may be missing"
        if getattr(spider, "list_pages", 1) and not getattr(spider, "articles_listed", 1):
            return "no articles found on the section's list pages (layout changed or section empty)"
        extraction_failed = sum(d["reason"] in EXTRACTION_FAILURES for d in self.dropped)
        extracted = self.written + sum(self.deduplicated.values())
        if extracted == 0 and extraction_failed:
            return "no articles extracted from the section (layout changed?)"
        known = self.crawler.stats.get_value("parkcrawl/state/known_not_fetched", 0)
        if extracted == 0 and not known and self.dropped:
            # Every article fetched failed and none is known from earlier runs: the site is down
            # for us (an incremental run whose one new link is dead is not).
            reasons = sorted({d["reason"] for d in self.dropped})
            return f"no article captured: all {len(self.dropped)} failed ({', '.join(reasons)})"
        attempted = extracted + extraction_failed
        if attempted and extraction_failed / attempted > self.max_failure_share:
            return (
                f"{extraction_failed} of {attempted} article pages failed extraction "
                f"(more than {self.max_failure_share:.0%}): the site's layout probably changed"
            )
        return None

    def report(self, spider: Any, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats
        by_reason: dict[str, int] = {}
        for d in self.dropped:
            by_reason[d["reason"]] = by_reason.get(d["reason"], 0) + 1
        return {
            "spider": spider.name,
            "started_at": self.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finish_reason": reason,
            "failure": self._failure(spider, reason),
            "interrupted": (
                signal.Signals(self.interrupted_by).name if self.interrupted_by else None
            ),
            "articles_written": self.written,
            "articles": {
                "listed": getattr(spider, "articles_listed", 0),
                "new": self.written - self.changed,
                "changed": self.changed,
                "unchanged": self.deduplicated.get(Drop.UNCHANGED, 0),
                "known_not_fetched": stats.get_value("parkcrawl/state/known_not_fetched", 0),
                "duplicates": sum(
                    v for k, v in self.deduplicated.items() if k != Drop.UNCHANGED
                ),
            },
            "pages_fetched": stats.get_value("downloader/response_count", 0),
            "fetched_by_kind": {
                key.rsplit("/", 1)[1]: value
                for key, value in stats.get_stats().items()
                if key.startswith("parkcrawl/fetched/")
            },
            "list_pages": getattr(spider, "list_pages", 0),
            "lost_list_pages": list(getattr(spider, "lost_list_pages", [])),
            # Every list page was read: what the state records to let the next run stop early.
            "walk_complete": reason == "finished"
            and not getattr(spider, "failure", None)
            and not getattr(spider, "lost_list_pages", None)
            and not getattr(spider, "walk_cut", None),
            "walk_cut": list(getattr(spider, "walk_cut", None) or []),
            "dropped_by_reason": by_reason,
            "dropped": self.dropped,
            "duration_s": round(time.monotonic() - self.started, 3),
            # A page worker that died (PARKCRAWL_PAGE_PROCESSES): its pages were read again here.
            "page_worker_restarts": stats.get_value("parkcrawl/page_workers/restarts", 0),
            "output_files": {
                "feeds": sorted(str(uri) for uri in self.crawler.settings.getdict("FEEDS")),
                "warc": list(stats.get_value("parkcrawl/warc/paths") or []),
                "wacz": [path] if (path := stats.get_value("parkcrawl/wacz/path")) else [],
            },
            "finished_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "spider_arguments": spider_arguments(spider),
            "versions": {"parkcrawl": __version__, "scrapy": scrapy_version},
            "articles_per_month": dict(sorted(self.months.items())),
            "articles_per_site": dict(sorted(self.sites.items())),
            "top_participants": [
                {"name": name, "role": role or None, "articles": n}
                for (name, role), n in self.people.most_common(TOP_PEOPLE)
            ],
            "slowest_pages": [
                {"url": url, "seconds": seconds}
                for seconds, url in sorted(self.slowest, reverse=True)
            ],
        }

    def spider_closed(self, spider: Any, reason: str) -> None:
        report = self.report(spider, reason)
        # The status the crawl command will exit with (commands/crawl.py decides it the same way).
        report["exit_status"] = (
            128 + self.interrupted_by if self.interrupted_by else 1 if report["failure"] else 0
        )
        if report["failure"]:
            self.crawler.stats.set_value(FAILURE_STAT, report["failure"])
        for line in summary_lines(report):
            logger.info(line)
        files = report["output_files"]
        logger.info("output files: %s", ", ".join([*files["feeds"], *files["warc"]]) or "none")
        if self.runs_dir:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            name = self.started_at.strftime("%Y%m%dT%H%M%SZ") + ".json"
            (self.runs_dir / name).write_text(
                json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.crawler.stats.set_value("parkcrawl/report_file", str(self.runs_dir / name))
            if self.html:
                (self.runs_dir / name).with_suffix(".html").write_text(
                    render_report(report), encoding="utf-8"
                )


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The human summary of a run report."""
    articles = report["articles"]
    lines = [
        f"articles written: {report['articles_written']} "
        f"({articles['new']} new, {articles['changed']} changed; {articles['unchanged']} unchanged, "
        f"{articles['known_not_fetched']} known and not fetched, {articles['duplicates']} duplicates)",
        f"pages fetched: {report['pages_fetched']} ({report['list_pages']} list pages)",
        f"time taken: {report['duration_s']:.1f} s",
    ]
    if report["dropped"]:
        lines.append(f"dropped: {len(report['dropped'])}")
        for d in report["dropped"]:
            lines.append(f"  {d['reason']}: {d['url']}")
    else:
        lines.append("dropped: 0")
    for lost in report.get("lost_list_pages", []):
        lines.append(f"list page lost: {lost['reason']}: {lost['url']}")
    for cut in report.get("walk_cut", []):
        lines.append(f"walk cut: {cut}")
    if "walk_complete" in report:
        lines.append(f"walk complete: {'yes' if report['walk_complete'] else 'no'}")
    if report.get("interrupted"):
        lines.append(
            f"INTERRUPTED by {report['interrupted']}: the walk is incomplete; "
            "the next run fetches what this one did not"
        )
    if report["failure"]:
        lines.append(f"FAILED: {report['failure']}")
    return lines
