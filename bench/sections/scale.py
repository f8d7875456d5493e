"""Peak RSS of a first crawl at each N, then the cost of an incremental re-run."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import (
    NEW_ARTICLES,
    OUT,
    REEXTRACT_ARCHIVE,
    Budget,
    Context,
    Mode,
    NotMeasured,
    log,
    rnd,
)
from bench.crawls import _sitegen, ensure_site, run_parknews, site_cached
from bench.sections import not_measured

NAME = "scale"
# The scale section spends the budget size by size (what does not fit is skipped, the rest kept).
SELF_BUDGETED = True


def estimate_s(ctx: Context) -> float:
    return 0.0


def measure(ctx: Context) -> dict[str, Any]:
    return bench_scale(
        ctx.mode, ctx.work, ctx.sizes, ctx.budget, ctx.rate, ctx.command, ctx.overhead_s
    )


def summary(result: dict[str, Any] | None) -> dict[str, Any]:
    """The figures summary.json carries ({} for each when not measured)."""
    keys = (
        "peak_rss_mb",
        "incremental_requests",
        "incremental_s",
        "peak_rss_mb_earlier_runs",
        "incremental_requests_earlier_runs",
        "incremental_s_earlier_runs",
    )
    return {key: (result or {}).get(key, {}) for key in keys}


def bench_scale(
    mode: Mode,
    work: Path,
    sizes: tuple[int, ...],
    budget: Budget,
    rate: float | None,
    command: str = "",
    overhead_s: float = 6.0,
) -> dict[str, Any]:
    """Peak RSS of a first crawl at each N, then an incremental run after NEW_ARTICLES new ones.

    Each size's result is also kept in output/bench/scale-<N>.json; a size this run skips for
    its time budget is reported from there (marked as an earlier run) when it is present.
    """
    from tools import fast_server

    rate = rate or 10.0
    by_n: dict[str, Any] = {}
    earlier: dict[str, Any] = {}
    not_measured: dict[str, str] = {}
    for n in sizes:
        try:
            generate = 0.0 if site_cached(n) else n * 0.008  # seconds: about 4 ms a page, doubled
            needed = generate + n * 1.05 / rate + 2 * overhead_s + 10  # first + incremental run
            budget.require(needed, f"the {n:,}-article crawl")
            site, gen_s = ensure_site(n)
            overlay = work / f"overlay-{n}"
            shutil.rmtree(overlay, ignore_errors=True)
            overlay.mkdir(parents=True)
            state = work / f"scale-{n}" / "state"
            with fast_server.serve(overlay, site) as base_url:
                log(f"  first crawl of {n:,} articles (JOBDIR, fresh state)")
                first_dir = work / f"scale-{n}" / "first"
                first = run_parknews(
                    f"first-{n}",
                    base_url,
                    first_dir,
                    [
                        "-s",
                        f"JOBDIR={first_dir / 'job'}",
                        "-s",
                        f"PARKCRAWL_STATE_DIR={state}",
                    ],
                ).check()
                if n == mode.reextract_articles:
                    # The archive the reextract section reads (it would otherwise crawl again).
                    kept = work / REEXTRACT_ARCHIVE / str(n)
                    shutil.rmtree(kept, ignore_errors=True)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(first_dir / "warc", kept)
                shutil.rmtree(first_dir / "warc", ignore_errors=True)
                shutil.rmtree(first_dir / "job", ignore_errors=True)
                log(
                    f"  {first.responses} pages in {first.wall_s:.1f} s, peak RSS {first.peak_rss_mb:.0f} MB"
                )
                began = time.monotonic()
                _sitegen(
                    "--bench", str(n), "--new", str(NEW_ARTICLES), "--update", "--out", str(overlay)
                )
                update_s = time.monotonic() - began
                again_dir = work / f"scale-{n}" / "incremental"
                again = run_parknews(
                    f"incremental-{n}",
                    base_url,
                    again_dir,
                    [
                        "-s",
                        f"JOBDIR={again_dir / 'job'}",
                        "-s",
                        f"PARKCRAWL_STATE_DIR={state}",
                    ],
                ).check()
                shutil.rmtree(again_dir / "warc", ignore_errors=True)
                log(
                    f"  incremental: {again.requests} requests, {again.items} items, {again.wall_s:.1f} s"
                )
            by_n[str(n)] = {
                "peak_rss_mb": rnd(first.peak_rss_mb, 1),
                "first": first.brief(),
                "incremental": again.brief(),
                "incremental_requests": again.requests,
                "incremental_s": rnd(again.wall_s, 2),
                "incremental_crawl_s": rnd(again.elapsed_s, 2),
                "incremental_items": again.items,
                "site_generated_s": rnd(gen_s, 1),
                "site_update_s": rnd(update_s, 1),
            }
            (OUT / f"scale-{n}.json").write_text(
                json.dumps(
                    {
                        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "command": command,
                        "result": by_n[str(n)],
                    },
                    ensure_ascii=False,
                    indent=1,
                )
                + "\n",
                encoding="utf-8",
            )
            rate = first.pages_per_s or rate
        except NotMeasured as exc:
            not_measured[str(n)] = str(exc)
            log(f"  not measured: N={n:,}: {exc}")
            kept = OUT / f"scale-{n}.json"
            if kept.is_file():
                earlier[str(n)] = json.loads(kept.read_text(encoding="utf-8"))
    return {
        "peak_rss_mb": {n: v["peak_rss_mb"] for n, v in by_n.items()},
        "earlier": earlier,
        "peak_rss_mb_earlier_runs": {n: v["result"]["peak_rss_mb"] for n, v in earlier.items()},
        "incremental_requests_earlier_runs": {
            n: v["result"]["incremental_requests"] for n, v in earlier.items()
        },
        "incremental_s_earlier_runs": {n: v["result"]["incremental_s"] for n, v in earlier.items()},
        "incremental_requests": {n: v["incremental_requests"] for n, v in by_n.items()},
        "incremental_s": {n: v["incremental_s"] for n, v in by_n.items()},
        "incremental_items": {n: v["incremental_items"] for n, v in by_n.items()},
        "by_n": by_n,
        "new_articles": NEW_ARTICLES,
        "requests_wait_on_disk": "JOBDIR (Scrapy's pickle LIFO disk queue) for every crawl of this section",
        "not_measured": not_measured,
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    sc = result
    lines: list[str] = []
    lines += ["", "## Memory and incremental cost by site size", ""]
    if sc:
        lines += [
            (
                "A first crawl of `sitegen --bench N` (fresh state; requests wait on disk: `-s JOBDIR=…`), "
                f"then {sc['new_articles']} new articles (`sitegen --bench N --new {sc['new_articles']}`, "
                "served as an overlay on the same port) and an incremental re-run on the same state. "
                "Peak RSS is the crawl process's own (`wait4` rusage, through a small launcher "
                "process); wall seconds are the whole `scrapy crawl` process, start-up included; "
                "pages/s and crawl s are Scrapy's own clock."
            ),
            "",
            "| N articles | first crawl: pages | wall s | pages/s | **peak RSS MB** "
            "| incremental: **requests** | **wall s** | crawl s | items | peak RSS MB |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]

        def row(label: str, d: dict[str, Any], bold: bool) -> str:
            f, i = d["first"], d["incremental"]
            b = "**" if bold else ""
            return (
                f"| {label} | {f['responses']:,} | {f['wall_s']:.0f} | {f['pages_per_s']:.1f} | "
                f"**{d['peak_rss_mb']:.0f}** | {b}{d['incremental_requests']}{b} | "
                f"{b}{d['incremental_s']:.1f}{b} | {d['incremental_crawl_s']:.1f} | "
                f"{d['incremental_items']} | {i['peak_rss_mb']:.0f} |"
            )

        for n, d in sorted(sc["by_n"].items(), key=lambda kv: int(kv[0])):
            lines.append(row(f"{int(n):,}", d, bold=True))
        for n, why in sc["not_measured"].items():
            old = sc.get("earlier", {}).get(n)
            if old:
                lines.append(
                    row(f"{int(n):,} (earlier run, {old['measured_at']})", old["result"], False)
                )
                lines.append(
                    f"| | not measured in this run: {why}; the row above is from `{old['command']}` "
                    "(kept in output/bench/scale-N.json) | | | | | | | | |"
                )
            else:
                lines.append(f"| {int(n):,} | not measured: {why} | | | | | | | | |")
    else:
        lines += not_measured(why)
    return lines
