"""`make eval`: crawl the real-page wrapper site with `scrapy crawl parknews`, score it, run peers.

    python -m tools.evalrun [--eval-dir ../shared/eval/real] [--peer-python PY]

Starts the evaluation set's ``serve_site.py`` on a free port of 127.0.0.1, runs the real
``scrapy crawl parknews -a start_url=…`` in a subprocess, matches each output line to its page by
URL path (``article_routes()`` of the served site) and scores it with :mod:`evalscore`. With
``--peer-python`` (the interpreter of ``.venv-eval``, where trafilatura and GNE live; never in
``.venv``) it fetches the same pages over HTTP and feeds the peers ``response.text`` as Scrapy
decodes those bytes, which is what a user of those tools gets, then prints one table and checks
the targets: body F1 above both peers, every title and every date right, every page crawled.
Exit status 0 when every target is met, 1 otherwise, 2 when the evaluation set is missing.

This module is imported by the peer interpreter too (``--peers-in``), so it imports neither
Scrapy nor the project's cleaners at module level.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

from tools.evalscore import (
    DEFAULT_EVAL_DIR,
    EXTRACTORS,
    PageScore,
    Prediction,
    format_comparison,
    load_cases,
    load_parts,
    load_splits,
    score_page,
    summarize,
)
from tools.processes import stop

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "output" / "eval"
PEERS = ("trafilatura", "gne")
# The test suite's floor for our mean body F1: above trafilatura's 0.956 on this set.
MIN_BODY_F1 = 0.96
CRAWL_TIMEOUT = 600
# The saved pages link their publishers' images, which the archive's media pipeline fetches:
# through a proxy address where nothing listens, so the evaluation crawl sends nothing beyond
# 127.0.0.1 (Scrapy's HttpProxyMiddleware reads these variables; no_proxy keeps the served
# site direct).
LOCAL_ONLY_PROXY_ENV = {
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "no_proxy": "127.0.0.1,localhost",
}
# Key of the peers' output that holds their extraction time, not a peer.
TIMING_KEY = "__timing__"
# Extraction ms per page of each peer in the last run_peers (fed the decode_html text).
PEER_MS: dict[str, float] = {}


def our_ms_per_page(pages: list[dict]) -> float:
    """Our extraction (extract_article, as the spider calls it) in ms per page on ``pages``."""
    from parkcrawl.extract.article import extract_article

    started = time.perf_counter()
    for page in pages:
        extract_article(page["html"], page["url"])
    return 1000 * (time.perf_counter() - started) / max(len(pages), 1)


def split_lines(eval_dir: Path, columns: dict[str, list[PageScore]]) -> list[str]:
    """One overall line per extractor and split (tune / heldout) when the set has splits.

    A set with a ``part`` in its truth (eval/real2's government pages) also gets the part alone
    and the part's own tune and held-out lines, so it is never read only inside the whole.
    """
    splits = load_splits(eval_dir)
    parts = load_parts(eval_dir)
    groups: dict[str, set[str]] = {}
    for split in sorted(set(splits.values())):
        groups[f"split {split}"] = {n for n, v in splits.items() if v == split}
    for part in sorted(set(parts.values())):
        members = {n for n, v in parts.items() if v == part}
        groups[f"part {part}"] = members
        for split in sorted({splits[n] for n in members if n in splits}):
            groups[f"part {part}, split {split}"] = {n for n in members if splits.get(n) == split}
    lines = []
    for label_group, names in groups.items():
        lines.append(f"{label_group} ({len(names)} pages):")
        for label, scores in columns.items():
            part_summary = summarize([s for s in scores if s.name in names])
            lines.append(
                f"  {label:28} body F1 {part_summary['body_f1'] or 0.0:.3f}  title "
                f"{_share(part_summary, 'title')}  date {_share(part_summary, 'date')}"
            )
    return lines


SERVER_START_TIMEOUT = 30


def eval_set_present(eval_dir: Path) -> bool:
    """The evaluation set is there: its server, pages and truth."""
    return (eval_dir / "serve_site.py").is_file() and (eval_dir / "truth").is_dir()


def load_site_module(eval_dir: Path) -> ModuleType:
    """The set's serve_site.py as a module (for article_routes)."""
    path = eval_dir / "serve_site.py"
    spec = importlib.util.spec_from_file_location("realpages_serve_site", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article_routes(eval_dir: Path) -> dict[str, str]:
    """URL path of each article on the served site -> page name."""
    site = load_site_module(eval_dir)
    return site.article_routes(str(eval_dir / "pages"))


@contextlib.contextmanager
def serve_eval_site(eval_dir: Path) -> Iterator[str]:
    """Run the set's serve_site.py on a free port of 127.0.0.1; yields the home page URL."""
    proc = subprocess.Popen(
        [sys.executable, str(eval_dir / "serve_site.py"), "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "REALPAGES_LOG"},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()  # "PORT=NNNN", or "" if the server died
        if not first.startswith("PORT="):
            raise RuntimeError(f"serve_site.py did not start (said {first!r})")
        base_url = f"http://127.0.0.1:{int(first.removeprefix('PORT='))}/"
        _wait_until_up(base_url)
        yield base_url
    finally:
        stop(proc)


def _wait_until_up(base_url: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(base_url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@dataclass
class CrawlResult:
    """What `scrapy crawl parknews` did: exit status, output lines, and where its log is."""

    returncode: int
    items: list[dict]
    log: Path
    last_error: str = ""


def crawl(base_url: str, out_dir: Path, timeout: float = CRAWL_TIMEOUT) -> CrawlResult:
    """Run the real `scrapy crawl parknews -a start_url=…` in a subprocess from the repo root."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "parknews.jsonl"
    log = out_dir / "crawl.log"
    # A first run every time: a state left by an earlier run would skip known articles.
    state = out_dir / "state"
    shutil.rmtree(state, ignore_errors=True)
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "parknews",
        "-a", f"start_url={base_url}",
        # Only this run's file: with -O alone Scrapy also writes the project's FEEDS
        # (output/parknews.jsonl), and the state would take that file's lines as already emitted.
        "-s", "FEEDS={}",
        "-O", str(out),
        "-s", f"PARKCRAWL_RUNS_DIR={out_dir / 'runs'}",
        "-s", f"PARKCRAWL_STATE_DIR={state}",
        "-s", f"PARKCRAWL_WARC_DIR={out_dir / 'warc'}",
    ]
    env = {
        k: v for k, v in os.environ.items() if k not in ("PARKCRAWL_START_URL", "PARKNEWS_START_URL")
    }
    env.update(LOCAL_ONLY_PROXY_ENV)
    with log.open("w", encoding="utf-8") as log_file:
        proc = subprocess.run(
            cmd, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, env=env, timeout=timeout
        )
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return CrawlResult(proc.returncode, items, log, lines[-1] if lines and proc.returncode else "")


@dataclass
class Matched:
    """Crawl output lines matched to the set's pages by URL path."""

    by_name: dict[str, dict]
    missing: list[str]  # pages of the set with no output line
    extra: list[str]  # output URLs that are not a page of the set


def match_items(items: list[dict], routes: dict[str, str]) -> Matched:
    """Map each output line to its page by the path of its URL."""
    by_name: dict[str, dict] = {}
    extra = []
    for item in items:
        name = routes.get(urlsplit(item.get("url", "")).path)
        if name is None or name in by_name:
            extra.append(item.get("url", ""))
        else:
            by_name[name] = item
    missing = [name for name in routes.values() if name not in by_name]
    return Matched(by_name, missing, extra)


def item_prediction(item: dict | None) -> Prediction:
    """The fields of one output line that the scorer reads (no line: no values)."""
    if item is None:
        return Prediction()
    return Prediction(item.get("title"), item.get("body"), item.get("published_at"))


def score_all(eval_dir: Path, predictions: dict[str, Prediction]) -> list[PageScore]:
    """Score every page of the set; a page without a prediction scores as missing."""
    return [
        score_page(name, predictions.get(name, Prediction()), truth)
        for name, _raw, truth in load_cases(eval_dir)
    ]


@dataclass
class Evaluation:
    """One crawl of the wrapper site and our scores on it."""

    crawl: CrawlResult
    matched: Matched
    scores: list[PageScore]
    pages: int  # pages on the site
    base_url: str = ""
    routes: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, float | int | None]:
        return summarize(self.scores)


def crawl_and_score(eval_dir: Path, out_dir: Path, base_url: str | None = None) -> Evaluation:
    """Crawl the wrapper site (served here unless ``base_url`` is given) and score the output."""
    routes = article_routes(eval_dir)
    if base_url is None:
        with serve_eval_site(eval_dir) as url:
            return crawl_and_score(eval_dir, out_dir, url)
    result = crawl(base_url, out_dir)
    matched = match_items(result.items, routes)
    predictions = {name: item_prediction(item) for name, item in matched.by_name.items()}
    scores = score_all(eval_dir, predictions)
    return Evaluation(result, matched, scores, len(routes), base_url, routes)


# -- the peers ---------------------------------------------------------------------------------


def fetch(url: str) -> tuple[str, bytes]:
    """(Content-Type, body bytes) of one page over HTTP."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read()


def scrapy_text(url: str, content_type: str, body: bytes) -> str:
    """``response.text`` as Scrapy builds it for these bytes and headers (its default decoding)."""
    from scrapy.http import Headers
    from scrapy.responsetypes import responsetypes

    headers = Headers({"Content-Type": content_type} if content_type else {})
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, body=body, headers=headers).text


def our_decoding(content_type: str, body: bytes) -> str:
    """The same bytes decoded as parkcrawl decodes them (for the peers' second, fairer run)."""
    from parkcrawl.text import decode_html

    return decode_html(body, content_type).text


def peer_inputs(base_url: str, routes: dict[str, str]) -> dict[str, list[dict]]:
    """Fetch every article once; the HTML each peer gets, per decoding."""
    inputs: dict[str, list[dict]] = {"response.text": [], "decode_html": []}
    for path, name in routes.items():
        url = urljoin(base_url, path)
        content_type, body = fetch(url)
        inputs["response.text"].append(
            {"name": name, "url": url, "html": scrapy_text(url, content_type, body)}
        )
        inputs["decode_html"].append(
            {"name": name, "url": url, "html": our_decoding(content_type, body)}
        )
    return inputs


def run_peers_here(pages: list[dict]) -> dict[str, dict[str, dict]]:
    """In the peer interpreter: every peer on every page (a crash counts as no output)."""
    out: dict[str, dict[str, dict]] = {}
    timing: dict[str, dict] = {}
    for peer in PEERS:
        extract = EXTRACTORS[peer]
        out[peer] = {}
        started = time.perf_counter()
        for page in pages:
            try:
                pred = extract(page["html"], page["url"])
            except Exception as exc:  # noqa: BLE001 - one failing page must not stop the run
                print(f"{peer}: {page['name']}: {type(exc).__name__}: {exc}", file=sys.stderr)
                pred = Prediction()
            out[peer][page["name"]] = {
                "title": pred.title,
                "body": pred.body,
                "published_at": pred.published_at,
            }
        timing[peer] = {"ms_per_page": 1000 * (time.perf_counter() - started) / max(len(pages), 1)}
    out[TIMING_KEY] = timing
    return out


def run_peers(peer_python: str, pages: list[dict], work: Path) -> dict[str, dict[str, Prediction]]:
    """Run trafilatura and GNE in their own interpreter over ``pages``; predictions per peer."""
    work.mkdir(parents=True, exist_ok=True)
    pages_in, preds_out, log = work / "pages.json", work / "predictions.json", work / "peers.log"
    pages_in.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with log.open("w", encoding="utf-8") as log_file:
        proc = subprocess.run(
            [peer_python, "-m", "tools.evalrun",
             "--peers-in", str(pages_in), "--peers-out", str(preds_out)],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, timeout=CRAWL_TIMEOUT,
        )
    if proc.returncode:
        raise RuntimeError(f"the peers failed (exit {proc.returncode}); see {log}")
    raw = json.loads(preds_out.read_text(encoding="utf-8"))
    PEER_MS.update({peer: t["ms_per_page"] for peer, t in raw.pop(TIMING_KEY, {}).items()})
    return {
        peer: {name: Prediction(**fields) for name, fields in by_name.items()}
        for peer, by_name in raw.items()
    }


# -- the report ---------------------------------------------------------------------------------


@dataclass
class Verdict:
    """One target, whether it was met, and the figures that say so."""

    target: str
    met: bool
    detail: str


def verdicts(
    ours: list[PageScore], peers: dict[str, list[PageScore]], matched: Matched, pages: int,
    crawl_status: int, min_exact: float = 1.0,
) -> list[Verdict]:
    """The targets of `make eval`, each judged on this run's figures."""
    mine = summarize(ours)
    out = [
        Verdict(
            "the crawl finds every page and exits 0",
            crawl_status == 0 and not matched.missing and len(matched.by_name) == pages,
            f"{len(matched.by_name)}/{pages} pages, exit status {crawl_status}"
            + (f", missing {', '.join(matched.missing)}" if matched.missing else ""),
        )
    ]
    for label, scores in peers.items():
        theirs = summarize(scores)
        out.append(
            Verdict(
                f"body F1 above {label}",
                (mine["body_f1"] or 0.0) > (theirs["body_f1"] or 0.0),
                f"{mine['body_f1']:.3f} vs {theirs['body_f1'] or 0.0:.3f}",
            )
        )
    titles = [s.title_exact for s in ours if s.title_exact is not None]
    dates = [s.date_exact for s in ours if s.date_exact is not None]
    if min_exact >= 1.0:
        out.append(Verdict("every title right", all(titles), f"{sum(titles)}/{len(titles)}"))
        out.append(Verdict("every date right", all(dates), f"{sum(dates)}/{len(dates)}"))
        return out
    for label, values in (("titles", titles), ("dates", dates)):
        share = sum(values) / len(values) if values else 1.0
        out.append(
            Verdict(
                f"{min_exact:.0%} of {label} right", share >= min_exact,
                f"{sum(values)}/{len(values)} ({share:.1%})",
            )
        )
    return out


def _fed(peer: str, decoding: str) -> str:
    return f"{peer} ({decoding})"


def report(
    evaluation: Evaluation, peers: dict[str, dict[str, list[PageScore]]] | None,
    min_exact: float = 1.0,
) -> tuple[str, list[Verdict]]:
    """The printed report (table, peer notes, targets) and the verdicts."""
    lines = [
        f"crawl: scrapy crawl parknews -a start_url={evaluation.base_url} "
        f"-> exit {evaluation.crawl.returncode}, {len(evaluation.crawl.items)} lines, "
        f"{len(evaluation.matched.by_name)}/{evaluation.pages} pages matched"
        + (f", extra: {', '.join(evaluation.matched.extra)}" if evaluation.matched.extra else ""),
        f"crawl log: {evaluation.crawl.log}",
    ]
    if evaluation.crawl.last_error:
        lines.append(f"crawl error: {evaluation.crawl.last_error}")
    columns = {"parkcrawl (crawl)": evaluation.scores}
    judged: dict[str, list[PageScore]] = {}
    if peers:
        for peer in PEERS:
            columns[_fed(peer, "response.text")] = peers["response.text"][peer]
        for decoding, by_peer in peers.items():
            for peer, scores in by_peer.items():
                judged[_fed(peer, decoding)] = scores
    lines += ["", format_comparison(columns)]
    if peers:
        lines += ["", "Peers fed the same bytes decoded as parkcrawl decodes them (decode_html):"]
        for peer in PEERS:
            fair = summarize(peers["decode_html"][peer])
            scrapy = summarize(peers["response.text"][peer])
            fell = [
                f"{a.name} {a.body_f1:.2f}->{b.body_f1:.2f}"
                for a, b in zip(peers["decode_html"][peer], peers["response.text"][peer])
                if a.body_f1 is not None and b.body_f1 is not None and a.body_f1 - b.body_f1 > 0.1
            ]
            lines.append(
                f"  {peer:12} body F1 {fair['body_f1']:.3f} (response.text: "
                f"{scrapy['body_f1']:.3f}), title {_share(fair, 'title')}, "
                f"date {_share(fair, 'date')}"
            )
            if fell:
                lines.append(f"  {'':12} response.text costs it on: {'; '.join(fell)}")
    found = verdicts(
        evaluation.scores, judged, evaluation.matched, evaluation.pages,
        evaluation.crawl.returncode, min_exact,
    )
    lines += ["", "Targets:"]
    lines += [f"  [{'ok' if v.met else 'FAILED'}] {v.target}: {v.detail}" for v in found]
    return "\n".join(lines), found


def _share(summary: dict[str, float | int | None], key: str) -> str:
    pages = int(summary[f"{key}_pages"] or 0)
    share = summary[f"{key}_exact"] or 0.0
    return f"{round(share * pages)}/{pages}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT / DEFAULT_EVAL_DIR)
    parser.add_argument(
        "--peer-python", help="interpreter with trafilatura and gne (.venv-eval/bin/python)"
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="logs and output")
    parser.add_argument(
        "--min-exact", type=float, default=1.0,
        help="share of titles and of dates that must be right (1.0: every one)",
    )
    parser.add_argument("--peers-in", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peers-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.peers_in:  # we are the peer interpreter
        pages = json.loads(args.peers_in.read_text(encoding="utf-8"))
        args.peers_out.write_text(json.dumps(run_peers_here(pages), ensure_ascii=False), "utf-8")
        return 0

    eval_dir = args.eval_dir.resolve()
    if not eval_set_present(eval_dir):
        print(f"no evaluation set at {eval_dir}", file=sys.stderr)
        return 2
    with serve_eval_site(eval_dir) as base_url:
        evaluation = crawl_and_score(eval_dir, args.out_dir, base_url)
        peers = None
        if args.peer_python:
            inputs = peer_inputs(base_url, evaluation.routes)
            peers = {}
            for decoding, pages in inputs.items():
                preds = run_peers(args.peer_python, pages, args.out_dir / "peers" / decoding)
                peers[decoding] = {
                    peer: score_all(eval_dir, by_name) for peer, by_name in preds.items()
                }
    text, found = report(evaluation, peers, args.min_exact)
    print(text)
    columns = {"parkcrawl (crawl)": evaluation.scores}
    if peers:
        columns |= {_fed(p, "decode_html"): peers["decode_html"][p] for p in PEERS}
    extra = split_lines(eval_dir, columns)
    if peers:
        mine = our_ms_per_page(inputs["decode_html"])
        extra.append(
            "extraction ms per page (decode_html text): parkcrawl "
            f"{mine:.1f}, " + ", ".join(f"{p} {PEER_MS.get(p, 0.0):.1f}" for p in PEERS)
        )
    if extra:
        print("\n" + "\n".join(extra))
    return 0 if all(v.met for v in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
