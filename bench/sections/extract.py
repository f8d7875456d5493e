"""Extraction: ms per article page and accuracy of parkcrawl, trafilatura and gne."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import DEMO_SITE, GOLDEN, ROOT, Context, Mode, _decode, _fmt, median, rnd
from bench.crawls import _env
from bench.sections import not_measured

NAME = "extract"
SUMMARY_KEYS = ("extract_ms_per_page", "accuracy")


def estimate_s(ctx: Context) -> float:
    return 60 if ctx.mode.name == "full" else 20


def measure(ctx: Context) -> dict[str, Any]:
    return bench_extract(ctx.mode, ctx.work, ctx.throughput_site(), ctx.peer_python)


def _article_files(site: Path) -> list[Path]:
    return sorted(site.glob("dtyw/yqxx/*/t*.html"))


def labelled_pages() -> tuple[list[dict[str, str]], dict[str, dict[str, Any]]]:
    """The demo site's hand-labelled articles: pages (decoded) and truths, by URL path."""
    pages, truths = [], {}
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        path = record["url"]
        raw = (DEMO_SITE / path.lstrip("/")).read_bytes()
        pages.append({"name": path, "url": "http://127.0.0.1:8000" + path, "html": _decode(raw)})
        truths[path] = record
    return pages, truths


@contextlib.contextmanager
def worker(
    python: str, extractor: str, pages_file: Path, log_path: Path
) -> Iterator[Callable[[str], Any]]:
    """An extract_worker process; yields ask(command) -> its JSON answer."""
    err = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [python, str(ROOT / "bench" / "extract_worker.py"), extractor, str(pages_file)],
        cwd=ROOT,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def ask(command: str) -> Any:
        proc.stdin.write(command + "\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError(f"{extractor} worker died; see {log_path}")
        return json.loads(line)

    try:
        ready = proc.stdout.readline()
        if not ready:
            raise RuntimeError(f"{extractor} worker did not start; see {log_path}")
        yield ask
    finally:
        with contextlib.suppress(OSError, ValueError):
            proc.stdin.write("quit\n")
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()


def bench_extract(mode: Mode, work: Path, site: Path, peer_python: str | None) -> dict[str, Any]:
    from parkcrawl.text import clean_html
    from tools.evalscore import Prediction, score_page, summarize

    files = _article_files(site)
    step = max(len(files) // mode.extract_pages, 1)
    chosen = files[::step][: mode.extract_pages]
    timing = [
        {
            "name": p.name,
            "url": "http://127.0.0.1:8000/" + p.relative_to(site).as_posix(),
            "html": _decode(p.read_bytes()),
        }
        for p in chosen
    ]
    labelled, truths = labelled_pages()
    labelled_clean = [dict(p, html=clean_html(p["html"]).html) for p in labelled]
    pages_file = work / "extract-pages.json"
    pages_file.write_text(
        json.dumps(
            {"timing": timing, "labelled": labelled, "labelled_clean": labelled_clean},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    extractors: list[tuple[str, str]] = [
        ("parkcrawl", sys.executable),
        ("parkcrawl-extract", sys.executable),
    ]
    not_measured = {}
    if peer_python and Path(peer_python).exists():
        extractors += [("trafilatura", peer_python), ("gne", peer_python)]
    else:
        for peer in ("trafilatura", "gne"):
            not_measured[peer] = (
                f"no peer interpreter at {peer_python} (make bench creates .venv-bench)"
            )
    times: dict[str, list[float]] = {name: [] for name, _ in extractors}
    predictions: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        asks = {
            name: stack.enter_context(worker(python, name, pages_file, work / f"worker-{name}.log"))
            for name, python in extractors
        }
        names = list(asks)
        for r in range(mode.extract_rounds):
            order = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
            for name in order:
                answer = asks[name]("time timing")
                times[name].append(answer["seconds"] / answer["pages"] * 1000)
        for name in names:
            if name != "parkcrawl-extract":
                predictions[name] = asks[name]("predict labelled")
            if name in ("trafilatura", "gne"):
                predictions[f"{name} (cleaned HTML)"] = asks[name]("predict labelled_clean")

    accuracy = {}
    per_page = {}
    for name, preds in predictions.items():
        scores = [
            score_page(path, Prediction(**preds.get(path, {})), truth)
            for path, truth in truths.items()
        ]
        summary = summarize(scores)
        accuracy[name] = {
            "title_exact": rnd(summary["title_exact"]),
            "body_f1": rnd(summary["body_f1"]),
            "date_exact": rnd(summary["date_exact"]),
            "pages": len(scores),
            "titles_right": sum(bool(s.title_exact) for s in scores),
            "dates_right": sum(bool(s.date_exact) for s in scores),
        }
        per_page[name] = {
            s.name: {"title": s.title_exact, "body_f1": rnd(s.body_f1), "date": s.date_exact}
            for s in scores
        }
    ms = {name: rnd(median(values), 2) for name, values in times.items()}
    ratios = {}
    for peer in ("trafilatura", "gne"):
        pairs = [a / b for a, b in zip(times["parkcrawl"], times.get(peer, []), strict=False) if b]
        if pairs:
            ratios[f"parkcrawl_vs_{peer}"] = rnd(median(pairs))
    return {
        "extract_ms_per_page": ms,
        "extract_ms_per_page_rounds": {k: [rnd(v, 2) for v in vs] for k, vs in times.items()},
        "extract_time_ratio": ratios,
        "timing_pages": len(timing),
        "rounds": mode.extract_rounds,
        "accuracy": accuracy,
        "accuracy_per_page": per_page,
        "labelled_pages": len(labelled),
        "not_measured": not_measured,
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    ex = result
    lines: list[str] = []
    lines += ["", "## Extraction: parkcrawl against trafilatura and gne", ""]
    if ex:
        ms = ex["extract_ms_per_page"]
        lines += [
            (
                f"Speed on {ex['timing_pages']} article pages of the generated site (decoded by "
                f"`decode_html`, the same text for everyone), {ex['rounds']} rounds alternating the "
                "extractors, each in its own process; accuracy on the demo site's "
                f"{ex['labelled_pages']} hand-labelled articles (`tests/golden/demo_parknews.jsonl`), "
                "scored by `tools.evalscore` (title exact, body bigram F1, date)."
            ),
            "",
            "| extractor | ms/page (median) | title exact | body F1 | date exact |",
            "|---|---|---|---|---|",
        ]
        acc = ex["accuracy"]
        rows = [
            ("parkcrawl", "parkcrawl (clean_html + extract_article)"),
            ("parkcrawl-extract", "parkcrawl extract_article alone (no cleaning)"),
            ("trafilatura", "trafilatura"),
            ("gne", "gne"),
            ("trafilatura (cleaned HTML)", "trafilatura on parkcrawl-cleaned HTML"),
            ("gne (cleaned HTML)", "gne on parkcrawl-cleaned HTML"),
        ]
        for key, label in rows:
            a = acc.get(key)
            if key not in ms and a is None:
                continue
            lines.append(
                f"| {label} | {_fmt(ms.get(key))} | "
                + (
                    f"{a['titles_right']}/{a['pages']} | {a['body_f1']:.3f} | {a['dates_right']}/{a['pages']} |"
                    if a
                    else "– | – | – |"
                )
            )
        if ex["extract_time_ratio"]:
            lines += [
                "",
                "Time ratios (parkcrawl / peer, median of the rounds): "
                + ", ".join(
                    f"{k.removeprefix('parkcrawl_vs_')} {v:.2f}"
                    for k, v in ex["extract_time_ratio"].items()
                )
                + ".",
            ]
        for peer, why in ex["not_measured"].items():
            lines.append(f"\n{peer}: not measured: {why}")
        lines += [
            "",
            "The labelled pages are the project's own demo site, which parkcrawl's extractor was "
            "built against; the peers meet them cold. The peers' rows on parkcrawl-cleaned HTML "
            "show how much of their gap is the mirror pages' Traditional+pinyin text rather than "
            "extraction. `make eval` compares the three on held-out real pages.",
        ]
    lines += not_measured(why)
    return lines
