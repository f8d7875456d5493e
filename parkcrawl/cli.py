"""`parkcrawl`: the common jobs for people — crawl, demo, serve-demo, clean, people, stats, state, report, reextract, wacz.

Exit statuses: 0 success; 1 the crawl failed (reason on the last stderr line); 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from parkcrawl.extensions import summary_lines

DEMO_SITE = Path("fixtures/site")
# The demo's own folder: never the real crawl's output/parknews.jsonl or output/state.
DEMO_OUTPUT = Path("output/demo")


def crawl_command(scrapy_args: list[str]) -> list[str]:
    """The `scrapy crawl parknews` command line, run with this interpreter."""
    return [sys.executable, "-m", "scrapy", "crawl", "parknews", *scrapy_args]


def run_crawl(scrapy_args: list[str]) -> int:
    return subprocess.call(crawl_command(scrapy_args))


def newest_report(runs_dir: Path, since: float) -> dict | None:
    reports = [p for p in runs_dir.glob("*.json") if p.stat().st_mtime >= since]
    if not reports:
        return None
    return json.loads(max(reports, key=lambda p: p.stat().st_mtime).read_text(encoding="utf-8"))


def demo(site: Path, output: Path) -> int:
    """Serve the bundled demo site on 127.0.0.1, crawl it, and print the run summary."""
    from parkcrawl.devtools.demo_server import serve

    if not site.is_dir():
        print(f"parkcrawl demo: error: demo site not found at {site} (run from the repo root)",
              file=sys.stderr)
        return 2
    # Everything the demo writes stays under its own folder (output/demo): feed, state, WARC
    # files, run reports, log. A real crawl's feed and state in output/ are never touched.
    output.mkdir(parents=True, exist_ok=True)
    runs_dir, log_file, feed = output / "runs", output / "logs" / "demo.log", output / "parknews.jsonl"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # The demo shows a whole crawl each time, so it starts its state afresh.
    state_dir = output / "state"
    shutil.rmtree(state_dir, ignore_errors=True)
    started = time.time() - 1
    with serve(site) as base_url:
        print(f"demo site: {base_url}/index.html")
        status = run_crawl([
            "-a", f"start_url={base_url}/index.html",
            "-O", str(feed),
            "-s", f"PARKCRAWL_RUNS_DIR={runs_dir}",
            "-s", f"PARKCRAWL_STATE_DIR={state_dir}",
            "-s", f"PARKCRAWL_WARC_DIR={output / 'warc'}",
            "-s", f"PARKCRAWL_MIRROR_DIR={output / 'mirror'}",
            "-s", f"LOG_FILE={log_file}",
            # the log goes to a file: show the progress line on the terminal too
            "-s", "PARKCRAWL_PROGRESS_INTERVAL=1", "-s", "PARKCRAWL_PROGRESS_TO_STDERR=True",
        ])
    report = newest_report(runs_dir, started)
    if report:
        for line in summary_lines(report):
            print(line)
    print(f"output: {feed}  (log: {log_file})")
    return status


def serve_demo(site: Path, port: int) -> int:
    from parkcrawl.devtools.demo_server import main as serve_main

    return serve_main([str(site), "--port", str(port)])


def version_text() -> str:
    from importlib.metadata import version

    from parkcrawl import __version__

    return f"parkcrawl {__version__} (Scrapy {version('scrapy')})"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `parkcrawl stats … | head` closes the pipe early: end quietly, as Unix tools do, instead of
    # a BrokenPipeError traceback.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(prog="parkcrawl", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", required=True)
    p_crawl = sub.add_parser("crawl", help="scrapy crawl parknews with the same arguments",
                             prefix_chars="\0")
    p_crawl.add_argument("args", nargs="*", help="passed to scrapy crawl parknews (-a, -s, -O)")
    p_demo = sub.add_parser("demo", help="crawl the bundled demo site into output/demo/")
    p_demo.add_argument("--site", type=Path, default=DEMO_SITE)
    p_demo.add_argument("--output", type=Path, default=DEMO_OUTPUT)
    p_serve = sub.add_parser("serve-demo", help="serve only the demo site on 127.0.0.1")
    p_serve.add_argument("--site", type=Path, default=DEMO_SITE)
    p_serve.add_argument("--port", type=int, default=0)
    sub.add_parser("clean", help="strip pinyin annotations and convert text to Simplified",
                   add_help=False)
    sub.add_parser("people", help="list the officials named in article texts", add_help=False)
    sub.add_parser("reextract", help="re-run extraction over archived WARC files (no network)",
                   add_help=False)
    sub.add_parser("stats", help="articles per month, top participants, pages with no date",
                   add_help=False)
    sub.add_parser("wacz", help="package WARC files and their articles into a WACZ file "
                   "(opens in ReplayWeb.page)", add_help=False)
    sub.add_parser("state", help="check the incremental state (parkcrawl state check [DIR])",
                   add_help=False)
    sub.add_parser("report", help="a run report as one HTML page (parkcrawl report [RUN.json])",
                   add_help=False)

    # clean and people parse their own arguments.
    if argv[:1] == ["clean"]:
        from parkcrawl.text.cli import main_clean

        return main_clean(argv[1:])
    if argv[:1] == ["people"]:
        from parkcrawl.extract.people_cli import main_people

        return main_people(argv[1:])
    if argv[:1] == ["reextract"]:
        from parkcrawl.archive.reextract import main_reextract

        return main_reextract(argv[1:])
    if argv[:1] == ["wacz"]:
        from parkcrawl.archive.wacz import main_wacz

        return main_wacz(argv[1:])
    if argv[:1] == ["stats"]:
        from parkcrawl.stats_cli import main_stats

        return main_stats(argv[1:])
    if argv[:1] == ["report"]:
        from parkcrawl.report_html import main_report

        return main_report(argv[1:])
    if argv[:1] == ["state"]:
        from parkcrawl.state_cli import main_state

        return main_state(argv[1:])
    if argv[:1] == ["crawl"]:
        # `parkcrawl crawl parknews …` reads like `scrapy crawl parknews …`: both are accepted.
        return run_crawl(argv[2:] if argv[1:2] == ["parknews"] else argv[1:])
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo(args.site, args.output)
    if args.command == "serve-demo":
        return serve_demo(args.site, args.port)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
