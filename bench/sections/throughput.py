"""Crawl throughput: `scrapy crawl parknews` against bench/bare_spider.py, alternating."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bench.common import Context, Mode, _fmt, log, median, rnd
from bench.crawls import Run, run_bare, run_parknews
from bench.sections import not_measured

NAME = "throughput"
SUMMARY_KEYS = ("crawl_pages_per_s", "bare_pages_per_s", "crawl_vs_bare")


def estimate_s(ctx: Context) -> float:
    return 60 if ctx.mode.name == "full" else 15


def measure(ctx: Context) -> dict[str, Any]:
    return bench_throughput(ctx.mode, ctx.work, ctx.throughput_site())


def bench_throughput(mode: Mode, work: Path, site: Path) -> dict[str, Any]:
    from tools import fast_server

    runs: list[tuple[Run, Run]] = []
    with fast_server.serve(site) as base_url:
        for r in range(mode.throughput_repeats):
            order = ("bare", "parknews") if r % 2 == 0 else ("parknews", "bare")
            done: dict[str, Run] = {}
            for kind in order:
                label = f"{kind}-{r}"
                if kind == "bare":
                    done[kind] = run_bare(label, base_url, work / label).check()
                else:
                    done[kind] = run_parknews(label, base_url, work / label).check()
                    shutil.rmtree(work / label / "warc", ignore_errors=True)
                log(
                    f"  {label}: {done[kind].responses} pages in {done[kind].elapsed_s:.1f} s "
                    f"= {done[kind].pages_per_s:.1f} pages/s"
                )
            runs.append((done["parknews"], done["bare"]))
    park = [p.pages_per_s for p, _ in runs]
    bare = [b.pages_per_s for _, b in runs]
    pairs = [p / b for p, b in zip(park, bare, strict=True) if b]
    same_links = all(p.requests == b.requests for p, b in runs)
    return {
        "crawl_pages_per_s": rnd(median(park), 2),
        "bare_pages_per_s": rnd(median(bare), 2),
        "crawl_vs_bare": rnd(median(pairs)),
        "crawl_vs_bare_repeats": [rnd(x) for x in pairs],
        "articles": mode.throughput_articles,
        "repeats": mode.throughput_repeats,
        "same_requests": same_links,
        "items_written": [p.items for p, _ in runs],
        "crawl_peak_rss_mb": rnd(median([p.peak_rss_mb for p, _ in runs]), 1),
        "bare_peak_rss_mb": rnd(median([b.peak_rss_mb for _, b in runs]), 1),
        "runs": [x.brief() for pair in runs for x in pair],
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    tp = result
    lines: list[str] = []
    lines += ["", "## Crawl throughput: parknews against a bare spider", ""]
    if tp:
        lines += [
            f"A site of {tp['articles']:,} articles (`sitegen --bench {tp['articles']}`), served by "
            "`tools.fast_server`; {} alternating repeats of each. ".format(tp["repeats"])
            + "pages/s = responses / Scrapy's `elapsed_time_seconds`.",
            "",
            "| spider | pages/s (median) | peak RSS MB | requests per run |",
            "|---|---|---|---|",
            (
                f"| `scrapy crawl parknews` (all pipelines, WARC on) | {tp['crawl_pages_per_s']} | "
                f"{tp['crawl_peak_rss_mb']} | {tp['runs'][0]['requests'] if tp['runs'] else '–'} |"
            ),
            (
                f"| `bench/bare_spider.py` (same links, no work) | {tp['bare_pages_per_s']} | "
                f"{tp['bare_peak_rss_mb']} | {next((r['requests'] for r in tp['runs'] if r['label'].startswith('bare')), '–')} |"
            ),
            "",
            (
                f"parknews / bare: **{tp['crawl_vs_bare']:.2f}** (per repeat: "
                f"{', '.join(f'{x:.2f}' for x in tp['crawl_vs_bare_repeats'])}); same requests in every pair: "
                f"{_fmt(tp['same_requests'])}; articles written per parknews run: {tp['items_written']}."
            ),
        ]
    lines += not_measured(why)
    return lines
