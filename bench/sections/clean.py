"""Cleaning: MB/s of parkcrawl.text.clean_html against OpenCC t2s alone, alternating."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.common import DEMO_SITE, ROOT, Context, Mode, _decode, _interleaved, median, rnd
from bench.sections import not_measured

NAME = "clean"
SUMMARY_KEYS = ("clean_mb_per_s", "t2s_mb_per_s", "clean_vs_t2s_cost")


def estimate_s(ctx: Context) -> float:
    return 40 if ctx.mode.name == "full" else 10


def measure(ctx: Context) -> dict[str, Any]:
    return bench_clean(ctx.mode, ctx.throughput_site())


def bench_clean(mode: Mode, site: Path) -> dict[str, Any]:
    import opencc

    from parkcrawl.text import clean_html, clean_page
    from parkcrawl.text.script import to_simplified

    raws = [p.read_bytes() for p in sorted(site.rglob("*.html"))]
    raws += [p.read_bytes() for p in sorted(DEMO_SITE.rglob("*.html"))]
    texts = [_decode(raw) for raw in raws]
    kinds: dict[str, int] = {}
    for raw in raws:
        page = clean_page(raw, "text/html")
        kind = f"{page.encoding or '?'} {page.script or '?'}"
        kinds[kind] = kinds.get(kind, 0) + 1
    corpus_texts, corpus_raws, size = [], [], 0
    while size < mode.clean_mb * 1e6:
        for raw, text in zip(raws, texts, strict=True):
            corpus_texts.append(text)
            corpus_raws.append(raw)
            size += len(text.encode("utf-8"))
            if size >= mode.clean_mb * 1e6:
                break
    t2s = opencc.OpenCC("t2s").convert
    for text in corpus_texts[:50]:  # warm caches (OpenCC dictionaries, pinyin readings)
        clean_html(text)
    times = _interleaved(
        {
            "t2s": lambda: [t2s(t) for t in corpus_texts],
            "tw2s": lambda: [to_simplified(t) for t in corpus_texts],
            "clean_html": lambda: [clean_html(t) for t in corpus_texts],
            "clean_page": lambda: [clean_page(r, "text/html") for r in corpus_raws],
        },
        mode.clean_rounds,
    )
    mb = size / 1e6
    rates = {name: rnd(mb / median(values), 2) for name, values in times.items()}
    cost = [c / t for c, t in zip(times["clean_html"], times["t2s"], strict=True)]
    return {
        "clean_html_profile": _profile_clean(texts),
        "clean_mb_per_s": rates["clean_html"],
        "t2s_mb_per_s": rates["t2s"],
        "tw2s_mb_per_s": rates["tw2s"],
        "clean_page_mb_per_s": rates["clean_page"],
        "clean_vs_t2s_cost": rnd(median(cost)),
        "corpus_mb": rnd(mb, 2),
        "corpus_pages": len(corpus_texts),
        "distinct_pages": len(raws),
        "distinct_pages_by_encoding_and_script": kinds,
        "rounds": mode.clean_rounds,
        "seconds": {k: [rnd(v) for v in vs] for k, vs in times.items()},
    }


def _profile_clean(texts: list[str]) -> list[dict[str, Any]]:
    """Where clean_html's time goes over the distinct pages (cProfile, cumulative shares)."""
    import cProfile
    import pstats

    from parkcrawl.text import clean_html

    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        clean_html(text)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = (
        max(
            (
                cum
                for (file, _l, name), (_cc, _nc, _own, cum, _c) in stats.items()
                if name == "clean_html"
            ),
            default=0.0,
        )
        or 1.0
    )
    rows = [
        {"function": name, "where": f"{os.path.relpath(file, ROOT)}:{line}",
         "share": rnd(cum / total, 3)}
        for (file, line, name), (_cc, _nc, _own, cum, _callers) in stats.items()
        if f"{os.sep}parkcrawl{os.sep}text{os.sep}" in file
        and name not in ("clean_html", "_clean_markup")
        or "opencc" in file and name == "convert"
    ]  # fmt: skip
    rows.sort(key=lambda r: r["share"] or 0, reverse=True)
    return rows[:8]


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    cl = result
    lines: list[str] = ["", "## Cleaning and participants", ""]
    if cl:
        lines += [
            f"{cl['corpus_mb']} MB of pages ({cl['corpus_pages']:,} pages, cycling over "
            f"{cl['distinct_pages']:,} distinct pages of the generated and demo sites: "
            + ", ".join(f"{k}: {v}" for k, v in cl["distinct_pages_by_encoding_and_script"].items())
            + f"), {cl['rounds']} alternating rounds; MB of UTF-8 text per second.",
            "",
            "| step | MB/s (median) |",
            "|---|---|",
            f"| OpenCC t2s alone (`OpenCC('t2s').convert`) | {cl['t2s_mb_per_s']} |",
            f"| OpenCC tw2s alone (`parkcrawl.text.script.to_simplified`) | {cl['tw2s_mb_per_s']} |",
            f"| `parkcrawl.text.clean_html` (mojibake, annotations, tw2s, whitespace) | {cl['clean_mb_per_s']} |",
            f"| `parkcrawl.text.clean_page` (the same from bytes, decoding included) | {cl['clean_page_mb_per_s']} |",
            "",
            f"Cleaning costs **{cl['clean_vs_t2s_cost']:.2f}×** the time of t2s alone (median of the per-round ratios).",
        ]
    lines += not_measured(why)
    if cl and cl.get("clean_html_profile"):
        lines += [
            "",
            "Where `clean_html`'s time goes (cProfile over the distinct pages, callees included):",
            "",
            "| function | where | share |",
            "|---|---|---|",
        ]
        for row in cl["clean_html_profile"]:
            lines.append(f"| `{row['function']}` | `{row['where']}` | {row['share']:.0%} |")
    return lines
