"""Test helpers shared by the suites: paths, and running `scrapy crawl parknews` in a subprocess."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "seed-article.txt"
DEMO_SITE = ROOT / "fixtures" / "site"
SCHEMA = ROOT / "parkcrawl" / "schema" / "article.schema.json"


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    items: list[dict]
    report: dict | None


def run_crawl(
    tmp_path: Path, *args: str, timeout: float = 300, output: str = "-O",
    out: Path | None = None, preexec_fn: Callable[[], None] | None = None,
) -> CrawlRun:
    """Run `scrapy crawl parknews` in a subprocess from the repo root, everything under tmp_path.

    The state lives in tmp_path/state, so calls with the same tmp_path are successive runs of one
    scheduled job; ``output="-o"`` appends to tmp_path/out.jsonl as a scheduled job's feed would.
    """
    out = out or tmp_path / "out.jsonl"
    runs = tmp_path / "runs"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "parknews", output, str(out),
        "-s", f"PARKCRAWL_RUNS_DIR={runs}", "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
        "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}", *args,
    ]
    env = {
        k: v for k, v in os.environ.items() if k not in ("PARKCRAWL_START_URL", "PARKNEWS_START_URL")
    }
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env,
        preexec_fn=preexec_fn,
    )
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        validate_lines(items, out)
    reports = sorted(runs.glob("*.json")) if runs.exists() else []
    report = json.loads(reports[-1].read_text(encoding="utf-8")) if reports else None
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr, items, report)


def wait_for_lines(path: Path, count: int, proc: subprocess.Popen, limit: float = 60) -> bool:
    """Wait until ``path`` holds ``count`` lines while ``proc`` runs; whether it got there."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return True
        time.sleep(0.02)
    return False


class SchemaViolation(AssertionError):
    """Output lines that break the published schema (parkcrawl/schema/article.schema.json)."""


@functools.cache
def _schema_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate_lines(items: list[dict], source: object = "output") -> None:
    """Raise SchemaViolation naming each line and field that breaks the schema; every crawl test
    gets this through run_crawl, so a new or changed field needs a schema (and version) change."""
    problems = []
    for number, item in enumerate(items, 1):
        for error in _schema_validator().iter_errors(item):
            where = "/".join(str(part) for part in error.absolute_path) or "(the line)"
            problems.append(f"{source}:{number}: {where}: {error.message[:300]}")
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise SchemaViolation(f"{len(problems)} schema violation(s):\n{shown}{more}")
