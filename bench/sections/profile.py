"""One parknews crawl under cProfile: the share of the crawl's time per component."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from bench.common import ROOT, Context, Mode, rnd
from bench.crawls import ensure_site, finish, parknews_cmd, start
from bench.sections import not_measured

NAME = "profile"
SUMMARY_KEYS = ()
# The components whose methods the profile names by class (module paths under parkcrawl/).
PROFILED_MODULES = (
    "parkcrawl.pipelines",
    "parkcrawl.page",
    "parkcrawl.state",
    "parkcrawl.extensions",
    "parkcrawl.progress",
    "parkcrawl.middlewares",
    "parkcrawl.feedstorage",
    "parkcrawl.spiders.parknews",
    "parkcrawl.archive.extension",
    "parkcrawl.archive.pipelines",
)


def estimate_s(ctx: Context) -> float:
    return 2.5 * ctx.crawl_s(ctx.mode.profile_articles)


def measure(ctx: Context) -> dict[str, Any]:
    return bench_profile(ctx.mode, ctx.work, ensure_site(ctx.mode.profile_articles)[0])


def _method_names() -> dict[tuple[str, int, str], str]:
    """(file, first line, name) of every method of the profiled components -> Class.method."""
    import importlib
    import inspect

    names = {}
    for module_name in PROFILED_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module_name:
                continue
            for attr, fn in vars(cls).items():
                code = getattr(getattr(fn, "__func__", fn), "__code__", None)
                if code is not None:
                    key = (code.co_filename, code.co_firstlineno, attr)
                    names[key] = f"{cls_name}.{attr}"
    return names


def bench_profile(mode: Mode, work: Path, site: Path, top: int = 16) -> dict[str, Any]:
    """One parknews crawl under cProfile: where the crawl's time goes (cumulative shares).

    Shares are of the event loop's time (start-up excluded); nested functions are counted in
    their callers too, so shares overlap. cProfile slows Python code more than C code, so the
    shares lean towards pure-Python functions.
    """
    import pstats

    from tools import fast_server

    run_dir = work / "profile"
    run_dir.mkdir(parents=True, exist_ok=True)
    prof = run_dir / "crawl.prof"
    with fast_server.serve(site) as base_url:
        cmd = parknews_cmd(base_url, run_dir)
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), *cmd[1:]]
        code, wall, _rss = finish(start(cmd, ROOT, run_dir / "crawl.log"))
    if code != 0 or not prof.exists():
        raise RuntimeError(f"the profiled crawl exited {code}; see {run_dir / 'crawl.log'}")
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    loop = max(
        (ct for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
         if name == "run_forever" and file.endswith("base_events.py")),
        default=0.0,
    )  # fmt: skip
    names = _method_names()
    rows = []
    for (file, line, name), (_cc, calls, own, cum, _callers) in stats.items():
        if f"{os.sep}parkcrawl{os.sep}" not in file or not loop:
            continue
        label = names.get((file, line, name)) or f"{name}"
        rel = os.path.relpath(file, ROOT)
        rows.append({"where": f"{rel}:{line}", "function": label, "calls": calls,
                     "cumulative_s": rnd(cum, 2), "own_s": rnd(own, 2),
                     "share": rnd(cum / loop, 3)})  # fmt: skip
    rows = [r for r in rows if r["share"] is not None and r["share"] < 0.95]
    components = sorted(
        (r for r in rows if "." in r["function"]), key=lambda r: r["cumulative_s"], reverse=True
    )
    own = sorted(rows, key=lambda r: r["own_s"], reverse=True)
    shutil.rmtree(run_dir / "warc", ignore_errors=True)
    return {
        "articles": mode.profile_articles,
        "event_loop_s": rnd(loop, 2),
        "wall_s": rnd(wall, 2),
        "components": components[:top],
        "own_time": [dict(r, own_share=rnd(r["own_s"] / loop, 3)) for r in own[:10]],
        "functions": sorted(rows, key=lambda r: r["cumulative_s"], reverse=True)[:40],
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    pr = result
    lines: list[str] = ["", "## Where parknews's time goes (cProfile)", ""]
    if pr:
        lines += [
            (
                f"One `scrapy crawl parknews` of {pr['articles']} articles under cProfile; the share "
                f"is of the event loop's {pr['event_loop_s']} s (start-up excluded). Callers include "
                "their callees, so shares overlap; cProfile weighs pure-Python code more than C."
            ),
            "",
            "By component (pipelines, extensions, spider callbacks; callees included):",
            "",
            "| component method | where | calls | cumulative s | share |",
            "|---|---|---|---|---|",
        ]
        for row in pr["components"]:
            lines.append(
                f"| `{row['function']}` | `{row['where']}` | {row['calls']} | "
                f"{row['cumulative_s']} | {row['share']:.1%} |"
            )
        lines += [
            "",
            "The functions that spend the most time themselves (callees excluded):",
            "",
            "| function | where | calls | own s | share |",
            "|---|---|---|---|---|",
        ]
        for row in pr["own_time"]:
            lines.append(
                f"| `{row['function']}` | `{row['where']}` | {row['calls']} | "
                f"{row['own_s']} | {row['own_share']:.1%} |"
            )
    lines += not_measured(why)
    return lines
