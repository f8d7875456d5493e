"""The WARC writer's overhead: crawl a generated site with and without it, in the same run.

``warc_overhead()`` renders ``sitegen --bench N`` into a temporary folder, serves it on
127.0.0.1 and runs ``scrapy crawl parknews`` on it ``repeats`` times with the WARC extension on
and as many times with it off, alternating (off, on, off, on, …) so that a drifting machine
load hits both sides alike. Each run is a full first crawl (no state, AutoThrottle off so the
politeness delay does not hide the cost). Two clocks are compared: the whole ``scrapy crawl``
process (what a scheduler waits for, including the CDXJ index written at the end) and the
crawl itself (Scrapy's ``elapsed_time_seconds``). Medians; ratio = with / without. On a shared
machine run-to-run noise can exceed the overhead, so the extension's own clock is reported too:
the seconds it spent on the reactor thread (``parkcrawl/warc/seconds``, indexing included) as a
share of the crawl it ran in.

    python -m tools.warc_bench --articles 1000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

from parkcrawl.devtools.demo_server import serve

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Overhead:
    """Median times with and without the WARC writer, and what it wrote."""

    articles: int
    repeats: int
    wall_without_s: list[float] = field(default_factory=list)
    wall_with_s: list[float] = field(default_factory=list)
    crawl_without_s: list[float] = field(default_factory=list)
    crawl_with_s: list[float] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    archiving_s: list[float] = field(default_factory=list)
    indexing_s: list[float] = field(default_factory=list)
    warc_bytes: int = 0
    cdxj_lines: int = 0

    @property
    def wall_ratio(self) -> float:
        return statistics.median(self.wall_with_s) / statistics.median(self.wall_without_s)

    @property
    def crawl_ratio(self) -> float:
        return statistics.median(self.crawl_with_s) / statistics.median(self.crawl_without_s)

    def summary(self) -> dict:
        return {
            **asdict(self),
            "median_wall_without_s": round(statistics.median(self.wall_without_s), 3),
            "median_wall_with_s": round(statistics.median(self.wall_with_s), 3),
            "wall_ratio": round(self.wall_ratio, 3),
            "median_crawl_without_s": round(statistics.median(self.crawl_without_s), 3),
            "median_crawl_with_s": round(statistics.median(self.crawl_with_s), 3),
            "crawl_ratio": round(self.crawl_ratio, 3),
            "median_archiving_s": round(statistics.median(self.archiving_s), 3),
            "archiving_share": round(self.archiving_share, 4),
        }

    @property
    def archiving_share(self) -> float:
        """The extension's own time as a share of the crawls it ran in (median of runs)."""
        return statistics.median(
            a / c for a, c in zip(self.archiving_s, self.crawl_with_s, strict=True)
        )


class JsonStatsCollector(MemoryStatsCollector):
    """Scrapy's stats, also written as JSON to PARKCRAWL_BENCH_STATS_FILE (benchmarks only)."""

    def _persist_stats(self, stats: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super()._persist_stats(stats, *args, **kwargs)
        path = self._crawler.settings.get("PARKCRAWL_BENCH_STATS_FILE")
        if path:
            Path(path).write_text(json.dumps(stats, default=str), encoding="utf-8")


def _crawl(base_url: str, work: Path, *, warc: bool, python: str) -> tuple[float, dict, int]:
    """One full crawl; (process seconds, the crawl's stats, items written)."""
    work.mkdir(parents=True, exist_ok=True)
    stats_file = work / "stats.json"
    out = work / "out.jsonl"
    cmd = [
        python, "-m", "scrapy", "crawl", "parknews",
        "-a", f"start_url={base_url}/index.html", "-O", str(out),
        "-s", f"PARKCRAWL_WARC_ENABLED={warc}", "-s", f"PARKCRAWL_WARC_DIR={work / 'warc'}",
        "-s", "PARKCRAWL_STATE_ENABLED=False", "-s", f"PARKCRAWL_STATE_DIR={work / 'state'}",
        "-s", f"PARKCRAWL_RUNS_DIR={work / 'runs'}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "LOG_LEVEL=WARNING", "-s", "PARKCRAWL_PROGRESS_ENABLED=False",
        "-s", "STATS_CLASS=tools.warc_bench.JsonStatsCollector",
        "-s", f"PARKCRAWL_BENCH_STATS_FILE={stats_file}",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}): {proc.stderr[-2000:]}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    items = sum(1 for _ in out.open(encoding="utf-8"))
    return wall, stats, items


def warc_overhead(
    articles: int = 1000, repeats: int = 3, workdir: Path | None = None, python: str | None = None
) -> Overhead:
    """Crawl a generated site of ``articles`` articles with and without the WARC writer."""
    python = python or sys.executable
    with tempfile.TemporaryDirectory(prefix="warc-bench-", dir=workdir) as tmp:
        tmp_path = Path(tmp)
        site = tmp_path / "site"
        subprocess.run(
            [python, "-m", "tools.sitegen",
             "--bench", str(articles), "--out", str(site)],
            cwd=ROOT, check=True, capture_output=True,
        )
        result = Overhead(articles=articles, repeats=repeats)
        with serve(site) as base_url:
            for n in range(repeats):
                for warc in (False, True):
                    work = tmp_path / f"run-{n}-{'warc' if warc else 'plain'}"
                    wall, stats, items = _crawl(base_url, work, warc=warc, python=python)
                    crawl = float(stats["elapsed_time_seconds"])
                    walls = result.wall_with_s if warc else result.wall_without_s
                    crawls = result.crawl_with_s if warc else result.crawl_without_s
                    walls.append(round(wall, 3))
                    crawls.append(round(crawl, 3))
                    result.items.append(items)
                    if warc:
                        result.archiving_s.append(float(stats["parkcrawl/warc/seconds"]))
                        result.indexing_s.append(float(stats["parkcrawl/warc/index_seconds"]))
                        result.warc_bytes = sum(
                            p.stat().st_size for p in (work / "warc").glob("*.warc.gz")
                        )
                        result.cdxj_lines = sum(
                            len(p.read_text(encoding="utf-8").splitlines())
                            for p in (work / "warc").glob("*.cdxj")
                        )
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    summary = warc_overhead(args.articles, args.repeats).summary()
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"WARC writer overhead, {args.articles} articles, median of {args.repeats}:")
    print(f"  scrapy crawl process: {summary['median_wall_without_s']:.2f} s without, "
          f"{summary['median_wall_with_s']:.2f} s with  (ratio {summary['wall_ratio']:.3f})")
    print(f"  crawl (Scrapy clock): {summary['median_crawl_without_s']:.2f} s without, "
          f"{summary['median_crawl_with_s']:.2f} s with  (ratio {summary['crawl_ratio']:.3f})")
    print(f"  the writer's own time: {summary['median_archiving_s']:.2f} s, "
          f"{summary['archiving_share']:.1%} of the crawl it ran in")
    print(f"  archive: {summary['warc_bytes'] / 1e6:.1f} MB WARC, "
          f"{summary['cdxj_lines']} CDXJ lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
