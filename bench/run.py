"""parkcrawl's benchmark suite: `make bench` (full, writes BENCHMARKS.md) and `make bench-quick`.

    .venv/bin/python -m bench.run [--quick] [--peer-python .venv-bench/bin/python]
                                  [--sizes 1000,10000,50000] [--budget-min 15] [--only SECTION,…]

Sections (each writes ``output/bench/<section>.json``; all of them ``output/bench/summary.json``):

* ``extract``    ms per article page of parkcrawl (clean_html + extract_article), trafilatura and
                 gne on the same decoded pages, in rounds that alternate the extractors; their
                 accuracy on the demo site's hand-labelled articles (tests/golden/demo_parknews.jsonl),
                 scored by tools.evalscore.
* ``clean``      MB/s of parkcrawl.text.clean_html against OpenCC t2s alone on the same ≥10 MB of
                 mixed pages (UTF-8, GBK, mirror), alternating.
* ``people``     sentences per second of extract_participants.
* ``throughput`` pages/s of `scrapy crawl parknews` (every pipeline and extension on) against
                 bench/bare_spider.py (same links, no work), alternating, on a generated site.
* ``warc``       the WARC writer's overhead (tools.warc_bench.warc_overhead), if present.
* ``redis``      1 vs 2 distributed processes on one Redis, on a site that answers slowly, if the
                 distributed mode and a redis-server are there.
* ``scale``      peak RSS of a first crawl at each N (requests wait on disk: JOBDIR), then the
                 requests and seconds of an incremental re-run after 10 new articles.
* ``profile``    one parknews crawl under cProfile: the share of the crawl's time per component.
* ``reextract``  pages/s of `parkcrawl reextract` over the archive of a 10,000-article crawl (quick:
                 300; the scale section's WARC, else one crawled for it) against trafilatura over
                 the same WARC records (warcio, in the peer venv), alternating.

Order: the sections above the crawls, then throughput, scale, profile, warc, redis, reextract; the budget
check before each crawl decides what still fits.

Every crawl runs with AutoThrottle off, LOG_LEVEL=WARNING, a fresh PARKCRAWL_STATE_DIR, ``-O`` to
a temporary file, against sites written by tools.sitegen (cached in
output/bench/sites) and served by tools.fast_server. A time budget (15 min, quick
2.5 min) skips what would not fit, and says so: "not measured: <why>".

The code: bench/common.py (modes, budget, helpers), bench/crawls.py (sites, crawl processes),
bench/sections/<name>.py (one per section: measure() and its block of the report),
bench/report.py (verdicts, BENCHMARKS.md, summary.json); this module is the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.common import (
    BENCHMARKS_MD,
    FULL,
    OUT,
    QUICK,
    ROOT,
    Budget,
    Context,
    NotMeasured,
    log,
    machine,
    rnd,
    versions,
)
from bench.sections import RUN_ORDER, SECTIONS, load


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="parkcrawl's benchmark suite")
    parser.add_argument("--quick", action="store_true", help="the under-3-minute mode")
    parser.add_argument(
        "--peer-python",
        default=str(ROOT / ".venv-bench" / "bin" / "python"),
        help="interpreter with trafilatura and gne (default .venv-bench)",
    )
    parser.add_argument(
        "--sizes", help="article counts of the memory/incremental crawls, e.g. 1000,10000"
    )
    parser.add_argument(
        "--budget-min", type=float, help="time budget in minutes (default 15, quick 2.5)"
    )
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument(
        "--markdown",
        type=Path,
        help="where to write the report (default: BENCHMARKS.md "
        "in full mode, output/bench/BENCHMARKS-quick.md in quick mode)",
    )
    parser.add_argument("--keep-work", action="store_true", help="keep the temporary crawl folders")
    parser.add_argument(
        "--label", help="the command named in the report (the Makefile passes its own)"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    args.only_set = only
    return args


def _save(name: str, result: dict[str, Any]) -> None:
    (OUT / f"{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def run_section(name: str, ctx: Context, summary: dict[str, Any]) -> None:
    """Measure one section within the budget; a section that fails or does not fit is said so."""
    module = load(name)
    if getattr(module, "SELF_BUDGETED", False):
        log(f"{name} …")
        result = module.measure(ctx)
        for n, why in result["not_measured"].items():
            if "budget" in why:
                summary["skipped_for_budget"].append(f"N={int(n):,}")
        ctx.results[name] = result
        _save(name, result)
        return
    try:
        ctx.budget.require(module.estimate_s(ctx), f"the {name} section")
        log(f"{name} …")
        began = time.monotonic()
        result = module.measure(ctx)
        result["section_s"] = rnd(time.monotonic() - began, 1)
        ctx.results[name] = result
        _save(name, result)
        log(f"{name} done in {result['section_s']} s")
    except NotMeasured as exc:
        summary["not_measured"][name] = str(exc)
        if "budget" in str(exc):
            summary["skipped_for_budget"].append(name)
        log(f"not measured: {name}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken section must not lose the others
        summary["not_measured"][name] = f"failed: {type(exc).__name__}: {exc}"
        log(f"{name} FAILED: {exc}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    mode = QUICK if args.quick else FULL
    sizes = tuple(int(x) for x in args.sizes.split(",")) if args.sizes else mode.sizes
    budget = Budget((args.budget_min * 60) if args.budget_min else mode.budget_s)
    given = [a for a in (argv if argv is not None else sys.argv[1:])]
    command = args.label or " ".join([".venv/bin/python -m bench.run", *given])
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="parkcrawl-bench-"))
    log(f"{mode.name} mode, budget {budget.total_s / 60:.0f} min, work in {work}")

    summary: dict[str, Any] = {
        "mode": mode.name,
        "command": command,
        "machine": machine(),
        "budget_s": budget.total_s,
        "not_measured": {},
        "skipped_for_budget": [],
    }
    for key in ("date", "cores", "memory_mb"):  # also at the top, for dashboards
        summary[key] = summary["machine"][key]
    peer_python = args.peer_python if Path(args.peer_python).exists() else None
    if peer_python:
        summary["peer_versions"] = versions(
            peer_python, ["trafilatura", "gne", "lxml", "lxml_html_clean"]
        )
    ctx = Context(mode, work, budget, peer_python, sizes, command)
    try:
        for name in RUN_ORDER:
            if name in args.only_set:
                run_section(name, ctx, summary)
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)

    sections = ctx.results
    for name in RUN_ORDER:
        module = load(name)
        if hasattr(module, "summary"):
            summary.update(module.summary(sections.get(name)))
        else:
            summary.update(
                {k: v for k, v in (sections.get(name) or {}).items() if k in module.SUMMARY_KEYS}
            )
    sc = sections.get("scale") or {}
    if sc.get("not_measured"):
        summary["not_measured"]["scale"] = "; ".join(
            f"N={int(n):,}: {why}" for n, why in sc["not_measured"].items()
        )
    summary["total_s"] = round(budget.elapsed(), 1)
    summary["load_average_at_end"] = list(os.getloadavg())
    summary["targets"] = report.verdicts(summary)
    target = args.markdown or (
        BENCHMARKS_MD if mode is FULL and not args.only else OUT / "BENCHMARKS-quick.md"
    )
    report.write(summary, sections, OUT / "summary.json", target)
    log(f"wrote {OUT / 'summary.json'} and {target} in {summary['total_s'] / 60:.1f} min")
    for t in summary["targets"]:
        status = "–" if t["met"] is None else ("ok" if t["met"] else "NOT MET")
        print(f"[{status}] {t['target']}: {t['detail']}")
    for name, why in summary["not_measured"].items():
        print(f"not measured: {name}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
