"""What every benchmark section shares: paths, the two modes, the budget, small helpers, Context."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "output" / "bench"
# Where the scale section leaves the WARC of its first crawl of mode.reextract_articles for the
# reextract section (inside the run's scratch folder): <work>/REEXTRACT_ARCHIVE/<N>/.
REEXTRACT_ARCHIVE = "reextract-archive"
SITES = OUT / "sites"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
GOLDEN = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
DEMO_SITE = ROOT / "fixtures" / "site"
BARE_SPIDER = ROOT / "bench" / "bare_spider.py"
STATS_CLASS = "bench.statsdump.JsonFileStatsCollector"
NEW_ARTICLES = 10  # the incremental run's new articles
KEY_SITE_ARTICLES = 240  # the small site whose bytes key the cached sites (12 list pages)
CRAWL_TIMEOUT = 3 * 3600

# Targets of issue 11 (and of the issues whose figures it reports).
MIN_CRAWL_VS_BARE = 0.70
MAX_CLEAN_VS_T2S = 2.0
MAX_RSS_GROWTH = 1.5  # peak RSS at the largest N / at the smallest N
MAX_INCREMENTAL_SECONDS_GROWTH = 1.5  # incremental seconds at the largest N / at the smallest N
MAX_INCREMENTAL_EXTRA_REQUESTS = 2


@dataclass(frozen=True)
class Mode:
    """How much of everything one mode measures."""

    name: str
    budget_s: float
    throughput_articles: int
    throughput_repeats: int
    extract_pages: int
    extract_rounds: int
    clean_mb: float
    clean_rounds: int
    people_rounds: int
    sizes: tuple[int, ...]
    warc_articles: int
    warc_repeats: int
    redis_articles: int
    redis_repeats: int
    redis_delay_s: float
    profile_articles: int
    reextract_articles: int
    reextract_repeats: int


FULL = Mode(
    "full",
    15 * 60,
    throughput_articles=500,
    throughput_repeats=3,
    extract_pages=150,
    extract_rounds=5,
    clean_mb=10.0,
    clean_rounds=3,
    people_rounds=5,
    sizes=(1000, 10000, 50000),
    warc_articles=300,
    warc_repeats=3,
    # 480, not 160 (issue 16): the walk to the first list page (~5 s at 1 s per answer) is a
    # fifth of one worker's 160-article crawl, which caps 2 workers / 1 at ~1.6 whatever the
    # distributed mode does; at 480 the cap is ~1.85. One repeat: three crawls of ~1 min.
    redis_articles=480,
    redis_repeats=1,
    redis_delay_s=1.0,
    profile_articles=500,
    reextract_articles=10000,
    reextract_repeats=1,
)
QUICK = Mode(
    "quick",
    # 2.5 min, not 2: the reextract row (issue 16) adds ~20 s; make bench-quick stays under 3.
    150,
    throughput_articles=100,
    throughput_repeats=2,
    extract_pages=30,
    extract_rounds=3,
    clean_mb=2.0,
    clean_rounds=2,
    people_rounds=3,
    sizes=(100, 300),
    warc_articles=60,
    warc_repeats=1,
    redis_articles=40,
    redis_repeats=1,
    redis_delay_s=1.0,
    profile_articles=100,
    reextract_articles=300,
    reextract_repeats=1,
)
# ------------------------------------------------------------------------------ small helpers


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rnd(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class NotMeasured(Exception):
    """A section (or part) that is not measured; the message says why."""


@dataclass
class Budget:
    """Wall-clock budget of the whole run; a step that would not fit is skipped."""

    total_s: float
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.total_s - self.elapsed()

    def require(self, estimate_s: float, what: str) -> None:
        if estimate_s > self.remaining():
            raise NotMeasured(
                f"{what} would take about {estimate_s / 60:.1f} min and {max(self.remaining(), 0) / 60:.1f}"
                f" min of the {self.total_s / 60:.0f}-min budget are left (raise it with --budget-min)"
            )


def versions(python: str, packages: list[str]) -> dict[str, str | None]:
    """Installed versions of ``packages`` in the interpreter ``python``."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for p in sys.argv[1:]:\n"
        "    try: out[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: out[p] = None\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [python, "-c", code, *packages], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        return dict.fromkeys(packages)
    return json.loads(proc.stdout)


def machine() -> dict[str, Any]:
    """Date, cores, memory, CPU model, load and the project's own versions."""
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cores": os.cpu_count(),
        "memory_mb": round(mem_kb / 1024),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": list(os.getloadavg()),
        "versions": versions(
            sys.executable,
            [
                "parkcrawl",
                "scrapy",
                "twisted",
                "lxml",
                "parsel",
                "opencc",
                "pypinyin",
                "warcio",
                "charset-normalizer",
                "scrapy-redis",
                "redis",
            ],
        ),
    }


def _decode(raw: bytes) -> str:
    from parkcrawl.text import decode_html

    return decode_html(raw, "text/html").text


def _interleaved(fns: dict[str, Callable[[], None]], rounds: int) -> dict[str, list[float]]:
    """Seconds per call of each function, the functions alternating within every round."""
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            began = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - began)
    return times


def _fmt(value: Any, spec: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format(value, spec) if spec else str(value)


@dataclass
class Context:
    """One bench run as the sections see it: the mode, the scratch folder, the budget, and the
    results of the sections measured before (the crawl rate later estimates are made from)."""

    mode: Mode
    work: Path
    budget: Budget
    peer_python: str | None
    sizes: tuple[int, ...]
    command: str
    results: dict[str, Any] = field(default_factory=dict)
    _throughput_site: Path | None = None

    def throughput_site(self) -> Path:
        """The throughput section's site, which extract and clean read too (made once)."""
        from bench.crawls import ensure_site

        if self._throughput_site is None:
            self._throughput_site, _ = ensure_site(self.mode.throughput_articles)
        return self._throughput_site

    @property
    def rate(self) -> float:
        """parknews pages/s measured by the throughput section (10 when it did not run)."""
        return (self.results.get("throughput") or {}).get("crawl_pages_per_s") or 10.0

    @property
    def overhead_s(self) -> float:
        """Start-up and close of a parknews process (wall clock minus Scrapy's elapsed time)."""
        runs = (self.results.get("throughput") or {}).get("runs", [])
        return (
            median(
                [r["wall_s"] - r["elapsed_s"] for r in runs if r["label"].startswith("parknews")]
            )
            or 6.0
        )

    def crawl_s(self, n: int, pages_per_s: float | None = None) -> float:
        """Estimated wall seconds of one parknews process crawling n articles."""
        return n * 1.07 / (pages_per_s or self.rate) + self.overhead_s
