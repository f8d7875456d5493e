"""Where the JSONL goes: `-O`/`-o` exactly as in any Scrapy project, PARKCRAWL_OUTPUT otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT, run_crawl


def test_overwrite_flag_writes_only_the_named_file(tmp_path: Path, demo_site_url: str) -> None:
    default = tmp_path / "default.jsonl"
    run = run_crawl(tmp_path, "-a", f"start_url={demo_site_url}/index.html",
                    "-s", f"PARKCRAWL_OUTPUT={default}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.items) == 29
    # Scrapy merges -O into a FEEDS dict the project sets; parkcrawl sets none, so no second copy.
    assert not default.exists()


def test_without_a_feed_flag_runs_append_to_parknews_output(tmp_path: Path, demo_site_url: str) -> None:
    default = tmp_path / "default.jsonl"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "parknews",
        "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_OUTPUT={default}", "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
        "-s", f"PARKCRAWL_RUNS_DIR={tmp_path / 'runs'}", "-s", "PARKCRAWL_WARC_ENABLED=False",
    ]
    default.write_text('{"url": "http://earlier.run/1.html"}\n', encoding="utf-8")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in default.read_text("utf-8").splitlines()]
    assert lines[0] == {"url": "http://earlier.run/1.html"}  # nothing already written is lost
    assert len(lines) == 1 + 29
