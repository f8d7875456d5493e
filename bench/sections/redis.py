"""1 vs 2 distributed processes on one Redis, on a site that answers slowly."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.common import ROOT, Context, Mode, NotMeasured, _fmt, log, median, rnd
from bench.crawls import (
    Run,
    _count_lines,
    _read_stats,
    ensure_site,
    finish,
    parknews_cmd,
    redis_server,
    start,
)
from bench.sections import not_measured

NAME = "redis"
SUMMARY_KEYS = ()


def estimate_s(ctx: Context) -> float:
    mode = ctx.mode
    return (
        mode.redis_repeats
        * 1.3
        * (  # a plain process, one worker, two workers
            2 * ctx.crawl_s(mode.redis_articles, min(ctx.rate, 8 / mode.redis_delay_s))
            + ctx.crawl_s(mode.redis_articles, min(ctx.rate, 16 / mode.redis_delay_s))
            + 15 * mode.redis_delay_s
        )
    )


def measure(ctx: Context) -> dict[str, Any]:
    return bench_redis(ctx.mode, ctx.work)


def summary(result: dict[str, Any] | None) -> dict[str, Any]:
    """The figures summary.json carries (None when not measured)."""
    keys = (
        "plain_articles_per_s",
        "one_process_articles_per_s",
        "two_processes_articles_per_s",
        "two_vs_one",
        "two_vs_plain",
        "two_vs_one_ceiling",
    )
    return {"redis": {k: result.get(k) for k in keys} if result else None}


def _span_s(stats: list[dict[str, Any]]) -> float:
    """Seconds from the first worker's start to the last worker's finish (Scrapy's own clocks)."""
    starts = [datetime.fromisoformat(s["start_time"]) for s in stats if s.get("start_time")]
    ends = [datetime.fromisoformat(s["finish_time"]) for s in stats if s.get("finish_time")]
    return (max(ends) - min(starts)).total_seconds()


def _redis_ready() -> None:
    """Raise NotMeasured unless the distributed mode and a redis-server are there."""
    if importlib.util.find_spec("parkcrawl.distributed") is None:
        raise NotMeasured("the distributed mode (parkcrawl.distributed) is not there yet")
    from parkcrawl import settings as project_settings

    if not hasattr(project_settings, "PARKCRAWL_DISTRIBUTED"):
        raise NotMeasured("the PARKCRAWL_DISTRIBUTED setting is not there yet")
    if importlib.util.find_spec("scrapy_redis") is None:
        raise NotMeasured("scrapy-redis is not installed in .venv")
    if shutil.which("redis-server") is None:
        raise NotMeasured("no redis-server on PATH (Debian's redis-server package)")


def bench_redis(mode: Mode, work: Path) -> dict[str, Any]:
    """1 vs 2 distributed processes on one Redis, on a site that holds every answer a while.

    Uses tools.distributed_bench.measure_processes (the distributed mode's own measurement:
    a plain process, one worker and two workers, articles/s over Scrapy's crawl window) when it
    is there, repeated with the modes' order reversed every other time; else the same crawls
    run here.
    """
    _redis_ready()
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    owner = None
    if importlib.util.find_spec("tools.distributed_bench") is not None:
        # It moved out of the package (parkcrawl.distributed.bench) into tools/ with issue 16.
        from tools import distributed_bench

        owner = getattr(distributed_bench, "measure_processes", None)
    results = []
    for r in range(mode.redis_repeats):
        modes = ("single", "distributed_1", "distributed_2")
        modes = modes if r % 2 == 0 else modes[::-1]
        if owner is not None:
            result = owner(
                mode.redis_articles,
                mode.redis_delay_s,
                workdir=work / f"redis-{r}",
                settings={"AUTOTHROTTLE_ENABLED": "False"},
                modes=modes,
            )
        else:
            result = _redis_here(mode, work / f"redis-{r}", modes[1:] if r % 2 == 0 else modes[:2])
        shutil.rmtree(work / f"redis-{r}", ignore_errors=True)
        results.append(result)
        figures = result["modes"]
        log(
            "  "
            + ", ".join(
                f"{name}: {m['articles']} articles in {m['window_s']:.1f} s = {m['articles_per_s']}/s"
                for name, m in figures.items()
            )
        )

    def rate(name: str) -> float | None:
        return rnd(
            median([x["modes"][name]["articles_per_s"] for x in results if name in x["modes"]]), 2
        )

    def ratio(a: str, b: str) -> float | None:
        pairs = [
            x["modes"][a]["articles_per_s"] / x["modes"][b]["articles_per_s"]
            for x in results
            if a in x["modes"] and b in x["modes"] and x["modes"][b]["articles_per_s"]
        ]
        return rnd(median(pairs), 2)

    return {
        "measured_by": "tools.distributed_bench.measure_processes"
        if owner is not None
        else "bench/run.py (tools.distributed_bench is not there)",
        "articles": mode.redis_articles,
        "delay_s": mode.redis_delay_s,
        "repeats": mode.redis_repeats,
        "plain_articles_per_s": rate("single"),
        "one_process_articles_per_s": rate("distributed_1"),
        "two_processes_articles_per_s": rate("distributed_2"),
        "two_vs_one": ratio("distributed_2", "distributed_1"),
        "two_vs_plain": ratio("distributed_2", "single"),
        # What two workers could reach at best against one, the serial walk being unshared.
        "two_vs_one_ceiling": rnd(
            median([x["two_vs_one_ceiling"] for x in results if x.get("two_vs_one_ceiling")]), 2
        ),
        "serial_walk_s": rnd(
            median(
                [x["modes"][m]["serial_walk_s"] for x in results for m in ("single", "distributed_1")
                 if "serial_walk_s" in x["modes"].get(m, {})]
            ),
            1,
        ),  # fmt: skip
        "two_vs_plain_in_phase": rnd(
            median([x["ratio_in_phase"] for x in results if x.get("ratio_in_phase")]), 2
        ),
        "split": [x["modes"]["distributed_2"].get("articles_by_process") for x in results],
        "runs": results,
        "redis_server": redis_version,
    }


def _redis_here(mode: Mode, work: Path, modes: tuple[str, ...]) -> dict[str, Any]:
    """The distributed crawls without tools.distributed_bench: one and two workers."""
    from tools import fast_server

    site, _ = ensure_site(mode.redis_articles)
    figures: dict[str, Any] = {}
    with (
        redis_server(work / "redis") as redis_url,
        fast_server.serve(site, delay=mode.redis_delay_s) as base_url,
    ):
        for name in modes:
            workers = 2 if name == "distributed_2" else 1
            extra = [
                "-s", "PARKCRAWL_DISTRIBUTED=True",
                "-s", f"REDIS_URL={redis_url}",
                "-s", f"PARKCRAWL_REDIS_PREFIX=parkcrawl-bench:{name}",
            ]  # fmt: skip
            started = []
            for w in range(workers):
                wdir = work / f"{name}-{w}"
                wdir.mkdir(parents=True, exist_ok=True)
                cmd = parknews_cmd(base_url, wdir, extra)
                started.append((wdir, start(cmd, ROOT, wdir / "crawl.log")))
            runs = []
            for wdir, process in started:
                code, wall, rss = finish(process)
                stats = _read_stats(wdir / "stats.json")
                items = _count_lines(wdir / "out.jsonl")
                runs.append(
                    Run(wdir.name, code, wall, rss, stats, items, wdir / "crawl.log").check()
                )
            span = _span_s([run.stats for run in runs])
            articles = sum(run.items for run in runs)
            figures[name] = {
                "articles": articles,
                "pages": sum(run.responses for run in runs),
                "articles_by_process": [run.items for run in runs],
                "window_s": rnd(span),
                "articles_per_s": rnd(articles / span, 2),
            }
    return {"modes": figures}


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    rd = result
    lines: list[str] = ["", "## Scale-out: 1 vs 2 processes on one Redis", ""]
    if rd:
        lines += [
            (
                f"{rd['measured_by']}: a site of {rd['articles']} articles whose server holds every "
                f"answer {rd['delay_s']} s (I/O-bound), AutoThrottle off, {rd['repeats']} repeats "
                "(the modes' order reversed every other time); articles written per second of the "
                f"crawl window, first engine start to last close ({rd['redis_server']})."
            ),
            "",
            "| processes | articles/s (median) |",
            "|---|---|",
            f"| 1 plain process (SQLite state, no Redis) | {_fmt(rd['plain_articles_per_s'])} |",
            f"| 1 distributed worker on Redis | {_fmt(rd['one_process_articles_per_s'])} |",
            f"| 2 distributed workers on Redis | {_fmt(rd['two_processes_articles_per_s'])} |",
            "",
            (
                f"2 workers / 1 worker on Redis: **{_fmt(rd['two_vs_one'])}**; 2 workers / 1 plain process: "
                f"{_fmt(rd['two_vs_plain'])} (over the article phase alone: "
                f"{_fmt(rd['two_vs_plain_in_phase'])}); articles per worker: {rd['split']}."
            ),
            "",
            (
                "A distributed worker takes a request from the queue only when its site's download "
                "slot can start it, so it has at most CONCURRENT_REQUESTS_PER_DOMAIN (8) pages of "
                "the site in flight; a plain process can have more (Scrapy 2.19's slot starts "
                "every request it holds at once, up to CONCURRENT_REQUESTS, 16), which is how it "
                "can outrun one worker here."
            ),
        ]
        if rd.get("two_vs_one_ceiling"):
            lines += [
                "",
                (
                    f"The walk to the first list page (robots.txt, home, section, list page: one "
                    f"request after another) and the close take {_fmt(rd['serial_walk_s'])} s of "
                    "one worker's crawl and cannot be shared; with the rest divided between two "
                    "workers, "
                    f"2 / 1 could reach at best **{_fmt(rd['two_vs_one_ceiling'])}** on this site "
                    "(Amdahl), so a larger site shows more of the scale-out than a small one."
                ),
            ]
        lines += _timeline_lines(rd)
    lines += not_measured(why)
    return lines


def _timeline_lines(rd: dict[str, Any]) -> list[str]:
    """Where the last repeat's 2-worker crawl spent its time (tools.distributed_bench.timeline)."""
    runs = rd.get("runs") or []
    tl = runs[-1]["modes"]["distributed_2"].get("timeline") if runs else None
    if not tl:
        return []
    workers = "; ".join(
        f"worker {n}: start {w['start_s']}, first answer {w['first_answer_s']}, first article "
        f"{w['first_article_s']}, last article {w['last_article_s']}, close {w['close_s']} "
        f"({w['idle_waits']} idle waits; {w['left_queued']} times it left the queue to the other)"
        for n, w in enumerate(tl["workers"], 1)
    )
    return [
        "",
        (
            "Timeline of the last repeat's 2-worker crawl, seconds from the first engine start: "
            f"{workers}. Answers per second, both workers (with {rd['delay_s']} s per answer, "
            f"the requests in flight): {tl['answers_per_s']}."
        ),
    ]
