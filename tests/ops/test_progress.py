"""The progress line and bar: wording, counts, switches, and how they look in a real crawl —
the plain line when stderr is not a terminal, a bar when it is (a pseudo-terminal here)."""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from parkcrawl import settings as project_settings
from parkcrawl.progress import Progress, ProgressAddon, Snapshot, bar_wanted, snapshot
from tests.ops.conftest import DemoOutput
from tests.support import ROOT

# The demo site: 29 articles written, one listed article answers 404 (dtyw/yqxx/202409/…10180).
DEMO_ARTICLES, DEMO_DROPPED = 29, 1
# One frame of the bar: "parknews: ████ 44/44 pages [00:01, 28.91 pages/s, 29 articles written,
# 1 dropped]".
BAR = re.compile(
    r"parknews: [█▏▎▍▌▋▊▉ ]* ?(\d+)/(\d+) pages \[[^\]]*?"
    r"(?:, (\d+) articles written, (\d+) dropped)?\]"
)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] [A-Z]+: ")

PROGRESS_LINE = re.compile(
    r"progress: (\d+) pages fetched, (\d+) articles written, (\d+) dropped, "
    r"(\d+|\?) queued \((\d+) downloading\), (\d+) pages/min"
)


@pytest.mark.parametrize(
    ("stats", "queued", "downloading", "expected"),
    [
        # the start: nothing counted yet, Scrapy has not created the keys
        ({}, 0, 0, Snapshot(0, 0, 0, 0, 0)),
        # dropped articles are the sum of every parkcrawl/dropped/<reason> key
        (
            {
                "downloader/response_count": 36,
                "item_scraped_count": 29,
                "parkcrawl/dropped/status_404": 1,
                "parkcrawl/dropped/no_body_found": 2,
                "parkcrawl/clean/pinyin_annotations": 6,  # not a drop
            },
            3,
            2,
            Snapshot(36, 29, 3, 3, 2),
        ),
        # a scheduler without __len__ reports no queue size
        ({"downloader/response_count": 5}, None, 1, Snapshot(5, 0, 0, None, 1)),
    ],
)
def test_snapshot_counts(
    stats: dict, queued: int | None, downloading: int, expected: Snapshot
) -> None:
    assert snapshot(stats, queued, downloading) == expected


@pytest.mark.parametrize(
    ("snap", "rate", "expected"),
    [
        (
            Snapshot(36, 29, 1, 0, 2),
            720.0,
            (
                "progress: 36 pages fetched, 29 articles written, 1 dropped, "
                "0 queued (2 downloading), 720 pages/min"
            ),
        ),
        # an unknown queue size is a question mark, the rate is rounded to whole pages
        (
            Snapshot(5, 0, 0, None, 1),
            59.6,
            (
                "progress: 5 pages fetched, 0 articles written, 0 dropped, "
                "? queued (1 downloading), 60 pages/min"
            ),
        ),
    ],
)
def test_line_wording(snap: Snapshot, rate: float, expected: str) -> None:
    assert snap.line(rate) == expected
    assert PROGRESS_LINE.fullmatch(expected)


@pytest.mark.parametrize(
    "settings",
    [
        {"PARKCRAWL_PROGRESS_ENABLED": False},
        {"PARKCRAWL_PROGRESS_INTERVAL": 0},
    ],
)
def test_switched_off_is_not_configured(settings: dict) -> None:
    crawler = get_crawler(settings_dict=settings)
    with pytest.raises(NotConfigured):
        Progress.from_crawler(crawler)


def test_on_by_default_every_ten_seconds() -> None:
    assert project_settings.EXTENSIONS["parkcrawl.progress.Progress"]
    crawler = get_crawler(
        settings_dict={
            "PARKCRAWL_PROGRESS_INTERVAL": project_settings.PARKCRAWL_PROGRESS_INTERVAL,
        }
    )
    progress = Progress.from_crawler(crawler)
    assert progress.interval == 10.0
    assert progress.stream is None


def test_a_crawl_logs_progress_lines(demo_output: DemoOutput) -> None:
    # The shared demo crawl runs with PARKCRAWL_PROGRESS_INTERVAL=0.05; the test asserts on the
    # counts the lines carry, never on times.
    run = demo_output.run
    lines = [PROGRESS_LINE.search(line) for line in run.stderr.splitlines() if "progress: " in line]
    lines = [m for m in lines if m]
    assert lines, "no progress line in the crawl's log"
    pages = [int(m.group(1)) for m in lines]
    articles = [int(m.group(2)) for m in lines]
    assert pages == sorted(pages) and articles == sorted(articles), "totals went backwards"
    assert pages[-1] <= run.report["pages_fetched"]
    assert articles[-1] <= len(run.items)
    assert "[parkcrawl.progress] INFO: progress:" in run.stderr


def test_a_crawl_without_a_terminal_has_no_logstats_line(demo_output: DemoOutput) -> None:
    # stderr is a pipe here: the plain line (test above), no bar, and not Scrapy's LogStats line
    # beside ours.
    run = demo_output.run
    assert not re.search(r"Crawled \d+ pages", run.stderr)
    assert "[scrapy.extensions.logstats]" not in run.stderr
    assert "parknews: " not in run.stderr and "█" not in run.stderr
    # LogStats' closing stats are still in the dump (Progress sets them while LogStats is off)
    assert "'responses_per_minute':" in run.stderr


@pytest.mark.parametrize(
    ("value", "terminal", "expected"),
    [
        ("auto", True, True),
        ("auto", False, False),  # a pipe or a file: the plain line
        (True, False, True),  # forced on, e.g. for a terminal that does not say it is one
        ("on", False, True),
        (False, True, False),
        ("false", True, False),
    ],
)
def test_bar_wanted(value: object, terminal: bool, expected: bool) -> None:
    if terminal:
        master, slave = os.openpty()
        with os.fdopen(slave, "w") as stream:
            assert bar_wanted(value, stream) is expected
        os.close(master)
    else:
        assert bar_wanted(value, io.StringIO()) is expected


def test_bar_setting_refuses_a_typo() -> None:
    with pytest.raises(ValueError, match="PARKCRAWL_PROGRESS_BAR must be auto, true or false"):
        bar_wanted("atuo", io.StringIO())


@pytest.mark.parametrize(
    ("settings", "logstats_interval"),
    [
        ({}, 0.0),  # ours on: Scrapy's line off
        ({"PARKCRAWL_PROGRESS_ENABLED": False}, 60.0),  # ours off: Scrapy's line back
        ({"PARKCRAWL_PROGRESS_INTERVAL": 0}, 60.0),
        ({"LOGSTATS_INTERVAL": 30.0}, 30.0),  # asked for on the command line: both, as asked
    ],
)
def test_addon_turns_logstats_off_while_progress_is_on(
    settings: dict, logstats_interval: float
) -> None:
    values = Settings()  # Scrapy's defaults: LOGSTATS_INTERVAL = 60.0
    values.setdict(
        {k: v for k, v in vars(project_settings).items() if k.startswith("PARKCRAWL_PROGRESS")},
        priority="project",
    )
    values.setdict(settings, priority="cmdline")
    ProgressAddon().update_settings(values)
    assert values.getfloat("LOGSTATS_INTERVAL") == logstats_interval


@dataclass
class TerminalRun:
    returncode: int
    terminal: str  # what the crawl wrote to its terminal (stderr), \r and all
    report: dict


def _read_terminal(master: int, proc: subprocess.Popen, limit: float) -> bytes:
    """Everything written to the pseudo-terminal until the process ends and closes it."""
    out = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        out += chunk
    return bytes(out)


def crawl_on_a_terminal(tmp_path: Path, base_url: str, *args: str) -> TerminalRun:
    """`scrapy crawl parknews` with stderr on a pseudo-terminal of 120 columns."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "parknews", "-O", str(tmp_path / "out.jsonl"),
        "-a", f"start_url={base_url}/index.html",
        "-s", f"PARKCRAWL_RUNS_DIR={tmp_path / 'runs'}",
        "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
        "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}", *args,
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env=env
    )
    os.close(slave)
    try:
        raw = _read_terminal(master, proc, limit=240)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    [report] = (tmp_path / "runs").glob("*.json")
    return TerminalRun(proc.returncode, raw.decode("utf-8"), json.loads(report.read_text("utf-8")))


def fragments(terminal: str) -> Iterator[str]:
    """The terminal's output cut at every carriage return and line feed."""
    return (part for part in re.split(r"[\r\n]", terminal) if part.strip())


def test_a_crawl_on_a_terminal_draws_a_bar(demo_site_url: str, tmp_path: Path) -> None:
    run = crawl_on_a_terminal(tmp_path, demo_site_url)
    assert run.returncode == 0, run.terminal[-3000:]
    frames = [m for m in map(BAR.search, fragments(run.terminal)) if m]
    assert len(frames) >= 2, run.terminal[-3000:]
    last = frames[-1]
    pages, total = int(last.group(1)), int(last.group(2))
    # the final frame: every page known has been fetched, the run's articles and drops
    assert pages == total == run.report["pages_fetched"]
    assert (int(last.group(3)), int(last.group(4))) == (DEMO_ARTICLES, DEMO_DROPPED)
    assert "█" * 20 in last.group(0)
    # the bar took the place of both lines
    assert "[parkcrawl.progress] INFO: progress:" not in run.terminal
    assert not re.search(r"Crawled \d+ pages", run.terminal)
    # log lines are written above the bar, each from the start of a line, never after a frame
    cut = [part for part in fragments(run.terminal) if "[scrapy.core.engine] INFO:" in part]
    assert cut and all(LOG_LINE.match(part) for part in cut), cut
    # the bar is closed before the run summary is logged below it
    summary = run.terminal.index(f"articles written: {DEMO_ARTICLES}")
    assert run.terminal.rindex(last.group(0)) < summary


def test_a_log_file_still_gets_the_line_beside_the_bar(
    demo_site_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "crawl.log"
    run = crawl_on_a_terminal(
        tmp_path, demo_site_url, "-s", f"LOG_FILE={log}", "-s", "PARKCRAWL_PROGRESS_INTERVAL=0.05",
        # what `parkcrawl demo` sets: on a terminal the bar stands for the copy on stderr
        "-s", "PARKCRAWL_PROGRESS_TO_STDERR=True",
    )
    assert run.returncode == 0, run.terminal[-3000:]
    assert BAR.search(run.terminal)
    assert "progress: " not in run.terminal  # the bar, not the line, on the terminal
    text = log.read_text(encoding="utf-8")
    assert PROGRESS_LINE.search(text), text[-3000:]
    assert not re.search(r"Crawled \d+ pages", text)
