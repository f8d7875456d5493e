"""`parkcrawl reextract` pages per second over an archive, against trafilatura on the same records.

The archive is the WARC of the scale section's first crawl of ``mode.reextract_articles``
articles (10,000; quick mode 300) when that section ran, else one crawled here from the same
generated site. Each side is one process over the same WARC folder, alternating: parkcrawl's
command (bench/reextract_timed.py: `parkcrawl reextract DIR -O OUT` with its own clock) in .venv,
trafilatura (bench/reextract_peer.py, reading the records with warcio) in the peer venv.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.common import REEXTRACT_ARCHIVE, ROOT, Context, NotMeasured, log, median, rnd
from bench.crawls import _count_lines, ensure_site, finish, run_parknews, start
from bench.sections import not_measured

NAME = "reextract"
SUMMARY_KEYS = ("reextract_pages_per_s", "trafilatura_warc_pages_per_s", "reextract_vs_trafilatura")
# ms per archived article page when the extract section gave no figure (a loaded 2-core machine).
DEFAULT_MS = {"parkcrawl": 8.0, "trafilatura": 25.0}
# ms per archived page / the extract section's ms per page, measured on 2026-12-06 (10,000
# pages: parkcrawl 3.5 vs 2.97, trafilatura 11 vs 16), with a margin: reextract runs every
# pipeline stage, not extraction alone, and trafilatura decodes the bytes itself.
EXTRACT_FACTOR = {"parkcrawl": 1.5, "trafilatura": 1.0}


def _ms(ctx: Context, name: str) -> float:
    measured = ((ctx.results.get("extract") or {}).get("extract_ms_per_page") or {}).get(name)
    return EXTRACT_FACTOR[name] * measured if measured else DEFAULT_MS[name]


def archive_dir(ctx: Context) -> Path:
    return ctx.work / REEXTRACT_ARCHIVE / str(ctx.mode.reextract_articles)


def estimate_s(ctx: Context) -> float:
    n = ctx.mode.reextract_articles
    per_round = n * (_ms(ctx, "parkcrawl") + _ms(ctx, "trafilatura")) / 1000 + 6
    crawl = 0.0 if _warcs(archive_dir(ctx)) else ctx.crawl_s(n) + 30
    return ctx.mode.reextract_repeats * per_round + crawl


def _warcs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.warc.gz")) if folder.is_dir() else []


def _archive(ctx: Context) -> tuple[Path, str]:
    """The WARC folder to read and where it came from (crawled now when the scale section's is
    not there)."""
    from tools import fast_server

    n = ctx.mode.reextract_articles
    folder = archive_dir(ctx)
    if _warcs(folder):
        return folder, f"the scale section's first crawl of {n:,} articles"
    site, _ = ensure_site(n)
    crawl_dir = ctx.work / "reextract-crawl"
    log(f"  crawling {n:,} articles for the archive")
    with fast_server.serve(site) as base_url:
        run_parknews("reextract-archive", base_url, crawl_dir).check()
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.move(crawl_dir / "warc", folder)
    shutil.rmtree(crawl_dir, ignore_errors=True)
    return folder, f"a crawl of `sitegen --bench {n}` made for this section"


def _last_json(log_path: Path) -> dict[str, Any]:
    """The JSON line a timed process prints last (its log also holds the command's stderr)."""
    for line in reversed(log_path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no figures in {log_path}")


def _one(name: str, cmd: list[str], out: Path, run_dir: Path) -> dict[str, Any]:
    """One timed process: wall seconds, its own clock, peak RSS, pages read and items written."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = run_dir / f"{name}.log"
    code, wall, rss = finish(start(cmd, ROOT, log_path))
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
        raise RuntimeError(f"{name} exited {code}; log {log_path}:\n{tail}")
    figures = _last_json(log_path)
    pages = figures.get("pages")
    if pages is None:  # parkcrawl reextract says it on stderr: "article pages: N in K WARC files"
        found = re.search(r"article pages: (\d+)", log_path.read_text(encoding="utf-8"))
        pages = int(found.group(1)) if found else 0
    return {
        "pages": pages,
        "written": _count_lines(out),
        "wall_s": rnd(wall),
        "seconds": figures["seconds"],
        "import_s": figures["import_s"],
        "peak_rss_mb": rnd(rss, 1),
        "pages_per_s": rnd(pages / wall, 1) if wall else None,
        "pages_per_s_in_process": rnd(pages / figures["seconds"], 1)
        if figures["seconds"]
        else None,
    }


def measure(ctx: Context) -> dict[str, Any]:
    if not ctx.peer_python:
        raise NotMeasured("no peer interpreter for trafilatura (make bench creates .venv-bench)")
    folder, origin = _archive(ctx)
    warcs = _warcs(folder)
    run_dir = ctx.work / "reextract-runs"
    commands = {
        "parkcrawl": lambda out: [
            sys.executable,
            str(ROOT / "bench" / "reextract_timed.py"),
            str(folder),
            "-O",
            str(out),
        ],
        "trafilatura": lambda out: [
            ctx.peer_python,
            str(ROOT / "bench" / "reextract_peer.py"),
            str(out),
            str(folder),
        ],
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    for r in range(ctx.mode.reextract_repeats):
        order = list(commands) if r % 2 == 0 else list(commands)[::-1]
        for name in order:
            out = run_dir / f"{name}-{r}.jsonl"
            result = _one(f"{name}-{r}", commands[name](out), out, run_dir)
            runs[name].append(result)
            out.unlink(missing_ok=True)
            log(
                f"  {name}: {result['pages']} pages in {result['wall_s']} s = "
                f"{result['pages_per_s']} pages/s ({result['written']} written)"
            )
    pages = {name: {r["pages"] for r in rs} for name, rs in runs.items()}
    if pages["parkcrawl"] != pages["trafilatura"]:
        raise RuntimeError(f"the two sides read different numbers of pages: {pages}")

    def rate(name: str, key: str = "pages_per_s") -> float | None:
        return rnd(median([r[key] for r in runs[name] if r[key]]), 1)

    pairs = [
        p["pages_per_s"] / t["pages_per_s"]
        for p, t in zip(runs["parkcrawl"], runs["trafilatura"], strict=True)
        if t["pages_per_s"]
    ]
    return {
        "articles": ctx.mode.reextract_articles,
        "archive": origin,
        "warc_files": len(warcs),
        "warc_mb": rnd(sum(p.stat().st_size for p in warcs) / 1e6, 1),
        "article_records": runs["parkcrawl"][0]["pages"],
        "repeats": ctx.mode.reextract_repeats,
        "reextract_pages_per_s": rate("parkcrawl"),
        "trafilatura_warc_pages_per_s": rate("trafilatura"),
        "reextract_pages_per_s_in_process": rate("parkcrawl", "pages_per_s_in_process"),
        "trafilatura_warc_pages_per_s_in_process": rate("trafilatura", "pages_per_s_in_process"),
        "reextract_vs_trafilatura": rnd(median(pairs), 2),
        "runs": runs,
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    lines = ["", "## Re-extraction from the archive: `parkcrawl reextract` against trafilatura", ""]
    rx = result
    if rx:
        p, t = rx["runs"]["parkcrawl"][0], rx["runs"]["trafilatura"][0]
        lines += [
            (
                f"The archive: {rx['warc_files']} WARC file(s), {rx['warc_mb']} MB, from "
                f"{rx['archive']}; {rx['article_records']:,} article response records, read by "
                f"both sides, {rx['repeats']} alternating repeat(s). Each side is one process "
                "over the WARC folder: `parkcrawl reextract DIR -O OUT` (every reextract "
                "pipeline stage, JSON lines out) in `.venv`, and trafilatura "
                "(`bench/reextract_peer.py`: warcio, `trafilatura.extract(…, output_format='json', "
                "with_metadata=True)`) in `.venv-bench`. pages/s = records / the process's wall "
                "seconds (start-up included); in-process excludes interpreter start-up and imports."
            ),
            "",
            "| side | pages/s (median) | in-process pages/s | start-up imports s | items written "
            "| peak RSS MB |",
            "|---|---|---|---|---|---|",
            (
                f"| `parkcrawl reextract` | **{rx['reextract_pages_per_s']}** | "
                f"{rx['reextract_pages_per_s_in_process']} | {p['import_s']} | {p['written']:,} | "
                f"{p['peak_rss_mb']} |"
            ),
            (
                f"| trafilatura over the same records | {rx['trafilatura_warc_pages_per_s']} | "
                f"{rx['trafilatura_warc_pages_per_s_in_process']} | {t['import_s']} | "
                f"{t['written']:,} | {t['peak_rss_mb']} |"
            ),
            "",
            f"parkcrawl / trafilatura (pages/s): **{rx['reextract_vs_trafilatura']}**.",
        ]
    lines += not_measured(why)
    return lines
