"""Fixtures for the operating tests: one demo crawl's output, Scrapyd's venv, free ports."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, CrawlRun, run_crawl

SCRAPYD_VENV = ROOT / ".venv-scrapyd"
# Far below the crawl's length (AutoThrottle alone spaces its first requests by 0.5 s), so the demo
# crawl logs progress lines whatever the machine's speed.
PROGRESS_INTERVAL = 0.05
# pip's words for "this package cannot be had here" (no index, no network): the only case in
# which the Scrapyd tests skip rather than fail.
UNAVAILABLE = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoOutput:
    run: CrawlRun
    feed: Path  # the crawl's JSONL


@pytest.fixture(scope="session")
def demo_output(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> DemoOutput:
    """One crawl of the demo site, shared by the ops tests; it logs a progress line every 0.05 s."""
    tmp = tmp_path_factory.mktemp("ops-demo")
    run = run_crawl(
        tmp,
        "-a",
        f"start_url={demo_site_url}/index.html",
        "-s",
        f"PARKCRAWL_PROGRESS_INTERVAL={PROGRESS_INTERVAL}",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return DemoOutput(run, tmp / "out.jsonl")


@pytest.fixture(scope="session")
def scrapyd_venv() -> Path:
    """.venv-scrapyd from `make scrapyd-venv` (created once, kept between runs)."""
    proc = subprocess.run(
        ["make", "-s", "scrapyd-venv"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        output = proc.stdout + proc.stderr
        if any(marker in output for marker in UNAVAILABLE):
            pytest.skip(
                "Scrapyd cannot be installed here (make scrapyd-venv: "
                + next(m for m in UNAVAILABLE if m in output)
                + ")"
            )
        pytest.fail(f"make scrapyd-venv failed:\n{output[-3000:]}")
    return SCRAPYD_VENV
