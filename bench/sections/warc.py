"""The WARC writer's overhead (tools.warc_bench.warc_overhead)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from bench.common import Context, Mode, NotMeasured, rnd
from bench.sections import not_measured

NAME = "warc"
SUMMARY_KEYS = ()


def estimate_s(ctx: Context) -> float:
    # its own site and the stdlib server: a slower crawl than ours
    return 2 * ctx.mode.warc_repeats * ctx.crawl_s(ctx.mode.warc_articles, ctx.rate / 1.5) + 10


def measure(ctx: Context) -> dict[str, Any]:
    return bench_warc(ctx.mode, ctx.work / "warc")


def summary(result: dict[str, Any] | None) -> dict[str, Any]:
    """The figures summary.json carries (None when not measured)."""
    keys = ("crawl_ratio", "wall_ratio", "warc_overhead", "archiving_share")
    return {"warc": {k: result.get(k) for k in keys} if result else None}


def bench_warc(mode: Mode, work: Path) -> dict[str, Any]:
    if importlib.util.find_spec("tools.warc_bench") is None:
        raise NotMeasured("tools/warc_bench.py (the WARC overhead function) is not there yet")
    # It moved out of the package (parkcrawl.archive.bench) into tools/ with issue 16.
    from tools import warc_bench as archive_bench

    if not hasattr(archive_bench, "warc_overhead"):
        raise NotMeasured("tools.warc_bench has no warc_overhead() yet")
    work.mkdir(parents=True, exist_ok=True)
    result = archive_bench.warc_overhead(mode.warc_articles, mode.warc_repeats, workdir=work)
    summary = result.summary()
    summary["warc_overhead"] = rnd(summary["crawl_ratio"] - 1)
    summary["measured_by"] = "tools.warc_bench.warc_overhead (alternating off/on runs)"
    return summary


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    wa = result
    lines: list[str] = ["", "## WARC writer overhead", ""]
    if wa:
        lines += [
            f"{wa['measured_by']}: a site of {wa['articles']:,} articles, {wa['repeats']} repeats each way.",
            "",
            "| clock | without WARC s | with WARC s | with / without |",
            "|---|---|---|---|",
            f"| whole `scrapy crawl` process | {wa['median_wall_without_s']} | {wa['median_wall_with_s']} | {wa['wall_ratio']} |",
            f"| crawl (run report) | {wa['median_crawl_without_s']} | {wa['median_crawl_with_s']} | {wa['crawl_ratio']} |",
            "",
            f"Archive written: {wa['warc_bytes'] / 1e6:.1f} MB WARC, {wa['cdxj_lines']} CDXJ lines."
            + (
                f" The extension's own clock: {wa['median_archiving_s']} s per crawl, "
                f"**{wa['archiving_share']:.1%}** of the crawl's time (median; less noisy than the "
                "ratio of two crawls on a loaded machine)."
                if "archiving_share" in wa
                else ""
            ),
        ]
    lines += not_measured(why)
    return lines
