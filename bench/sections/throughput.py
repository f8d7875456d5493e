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


# The kinds of crawl compared, in the order of the first repeat (reversed every other repeat):
# parknews as shipped (the page stages in a worker process where there are two cores), parknews
# with the page stages in its own process (PARKCRAWL_PAGE_PROCESSES=0), and the bare spider.
KINDS = ("bare", "parknews", "inprocess")


def bench_throughput(mode: Mode, work: Path, site: Path) -> dict[str, Any]:
    from tools import fast_server

    runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
    with fast_server.serve(site) as base_url:
        for r in range(mode.throughput_repeats):
            for kind in KINDS if r % 2 == 0 else KINDS[::-1]:
                label = f"{kind}-{r}"
                if kind == "bare":
                    run = run_bare(label, base_url, work / label).check()
                else:
                    extra = ["-s", "PARKCRAWL_PAGE_PROCESSES=0"] if kind == "inprocess" else []
                    run = run_parknews(label, base_url, work / label, extra).check()
                    shutil.rmtree(work / label / "warc", ignore_errors=True)
                runs[kind].append(run)
                log(f"  {label}: {run.responses} pages in {run.elapsed_s:.1f} s = {run.pages_per_s:.1f} pages/s")
    park, bare, inproc = runs["parknews"], runs["bare"], runs["inprocess"]
    pairs = [p.pages_per_s / b.pages_per_s for p, b in zip(park, bare, strict=True) if b.pages_per_s]
    pairs_inproc = [
        p.pages_per_s / b.pages_per_s for p, b in zip(inproc, bare, strict=True) if b.pages_per_s
    ]

    def cpu_ms(kind_runs: list[Run], key: str) -> float | None:
        values = [1000 * float(x.stats[key]) / x.responses for x in kind_runs
                  if key in x.stats and x.responses]  # fmt: skip
        return rnd(median(values), 2) if values else None

    return {
        "crawl_pages_per_s": rnd(median([x.pages_per_s for x in park]), 2),
        "bare_pages_per_s": rnd(median([x.pages_per_s for x in bare]), 2),
        "crawl_vs_bare": rnd(median(pairs)),
        "crawl_vs_bare_repeats": [rnd(x) for x in pairs],
        "inprocess_pages_per_s": rnd(median([x.pages_per_s for x in inproc]), 2),
        "inprocess_vs_bare": rnd(median(pairs_inproc)),
        "inprocess_vs_bare_repeats": [rnd(x) for x in pairs_inproc],
        # CPU ms per page fetched, spider open to close: the crawl's own process, and its page
        # workers (start-up included), from bench.statsdump.
        "cpu_ms_per_page": {
            "parknews_main": cpu_ms(park, "bench/cpu_main_s"),
            "parknews_workers": cpu_ms(park, "bench/cpu_children_s"),
            "inprocess_main": cpu_ms(inproc, "bench/cpu_main_s"),
            "bare_main": cpu_ms(bare, "bench/cpu_main_s"),
        },
        "articles": mode.throughput_articles,
        "repeats": mode.throughput_repeats,
        "same_requests": all(
            p.requests == b.requests == i.requests for p, b, i in zip(park, bare, inproc, strict=True)
        ),
        "items_written": [x.items for x in park],
        "inprocess_items_written": [x.items for x in inproc],
        "crawl_peak_rss_mb": rnd(median([x.peak_rss_mb for x in park]), 1),
        "inprocess_peak_rss_mb": rnd(median([x.peak_rss_mb for x in inproc]), 1),
        "bare_peak_rss_mb": rnd(median([x.peak_rss_mb for x in bare]), 1),
        "runs": [x.brief() for kind in KINDS for x in runs[kind]],
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    tp = result
    lines: list[str] = []
    lines += ["", "## Crawl throughput: parknews against a bare spider", ""]
    if tp:
        requests = tp["runs"][0]["requests"] if tp["runs"] else "–"
        cpu = tp.get("cpu_ms_per_page") or {}

        def ms(key: str) -> str:
            return "–" if cpu.get(key) is None else f"{cpu[key]:.2f}"

        lines += [
            f"A site of {tp['articles']:,} articles (`sitegen --bench {tp['articles']}`), served by "
            "`tools.fast_server`; {} alternating repeats of each. ".format(tp["repeats"])
            + "pages/s = responses / Scrapy's `elapsed_time_seconds`; CPU ms per page fetched, "
            "spider open to close (`bench.statsdump`): the crawl's own process, and its page "
            "workers (their start-up included).",
            "",
            "| spider | pages/s (median) | CPU ms/page, crawl process | CPU ms/page, page workers "
            "| peak RSS MB | requests per run |",
            "|---|---|---|---|---|---|",
            f"| `scrapy crawl parknews` (all pipelines, WARC on; page stages in a worker, "
            f"`PARKCRAWL_PAGE_PROCESSES=auto`) | {tp['crawl_pages_per_s']} | {ms('parknews_main')} "
            f"| {ms('parknews_workers')} | {tp['crawl_peak_rss_mb']} | {requests} |",
            f"| the same, page stages in the crawl's process (`PARKCRAWL_PAGE_PROCESSES=0`) "
            f"| {tp.get('inprocess_pages_per_s', '–')} | {ms('inprocess_main')} | – "
            f"| {tp.get('inprocess_peak_rss_mb', '–')} | {requests} |",
            f"| `bench/bare_spider.py` (same links, no work) | {tp['bare_pages_per_s']} "
            f"| {ms('bare_main')} | – | {tp['bare_peak_rss_mb']} | {requests} |",
            "",
            (
                f"parknews / bare: **{tp['crawl_vs_bare']:.2f}** (per repeat: "
                f"{', '.join(f'{x:.2f}' for x in tp['crawl_vs_bare_repeats'])}); in process / bare: "
                f"{tp.get('inprocess_vs_bare', '–')}; same requests in every run: "
                f"{_fmt(tp['same_requests'])}; articles written per parknews run: {tp['items_written']}. "
                "Peak RSS is the crawl process's own; a page worker adds a process of about the "
                "same size."
            ),
        ]
    lines += not_measured(why)
    return lines
