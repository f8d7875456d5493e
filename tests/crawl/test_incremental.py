"""Scheduled runs against a copy of the demo site: only what is new or changed, once, cheaply."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.support import DEMO_SITE, ROOT, run_crawl, validate_lines, wait_for_lines

LIST_PAGE_1 = Path("dtyw/yqxx/index.html")
# A UTF-8 article of the demo site, used as the template of the added one and as the edited one.
EDITED = Path("dtyw/yqxx/202410/t20241016_10220.html")
EDITED_SENTENCE = "园区70余家企业参加"
ADDED = Path("dtyw/yqxx/202412/t20241230_10299.html")
ADDED_TITLE = "园区举办新年迎春企业家座谈会"
GOLDEN = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
ALL_PATHS = sorted(json.loads(line)["url"] for line in GOLDEN.read_text("utf-8").splitlines())
# robots.txt, the home page and the 动态要闻 landing page precede every list page.
FIXED_REQUESTS = 3


@pytest.fixture
def site(tmp_path: Path):
    root = tmp_path / "site"
    shutil.copytree(DEMO_SITE, root)
    with serve(root) as url:
        yield root, url


def crawl(job: Path, url: str, *args: str):
    return run_crawl(job, "-a", f"start_url={url}/index.html", *args, output="-o")


def paths(items: list[dict], url: str) -> list[str]:
    return sorted(item["url"].removeprefix(url) for item in items)


def walk_requests(report: dict) -> dict[str, int]:
    """Requests of the walk itself; media linked from articles are archived, not walked."""
    walk = ("robots", "section", "listing", "article")
    return {kind: n for kind, n in report["fetched_by_kind"].items() if kind in walk}


def add_article(root: Path) -> None:
    template = (root / EDITED).read_text("utf-8")
    old_title = "园区举办科技创新政策宣讲会"
    page = template.replace(old_title, ADDED_TITLE).replace(
        EDITED_SENTENCE, "园区40余位企业家代表围绕来年发展畅所欲言")
    (root / ADDED).write_text(page, "utf-8")
    listing = (root / LIST_PAGE_1).read_text("utf-8")
    first_item = listing.index("<li>", listing.index('<ul class="list">'))
    entry = f'<li><a href="./202412/t20241230_10299.html">{ADDED_TITLE}</a><span>2024-12-30</span></li>\n'
    (root / LIST_PAGE_1).write_text(listing[:first_item] + entry + listing[first_item:], "utf-8")


def edit_article(root: Path) -> None:
    page = (root / EDITED).read_text("utf-8")
    assert EDITED_SENTENCE in page
    (root / EDITED).write_text(page.replace(EDITED_SENTENCE, "园区90余家企业参加"), "utf-8")


def test_unchanged_site_emits_nothing_and_fetches_no_article(site, tmp_path: Path) -> None:
    root, url = site
    first = crawl(tmp_path, url)
    assert first.returncode == 0, first.stderr[-2000:]
    assert paths(first.items, url) == ALL_PATHS
    second = crawl(tmp_path, url)
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.items == first.items  # the appended file gained nothing
    assert second.report["articles_written"] == 0
    # robots.txt, home, 动态要闻, list page 1 — and no article page
    assert walk_requests(second.report) == {"robots": 1, "section": 2, "listing": 1}


def test_one_added_article_is_emitted_alone_at_small_cost(site, tmp_path: Path) -> None:
    root, url = site
    assert crawl(tmp_path, url).returncode == 0
    add_article(root)
    run = crawl(tmp_path, url)
    assert run.returncode == 0, run.stderr[-2000:]
    new = [item for item in run.items[len(ALL_PATHS):]]
    assert [(n["title"], n["revision"]) for n in new] == [(ADDED_TITLE, 1)]
    # list page 1 (new + known) and page 2 (only known: stop), then the one article (its
    # attachment is archived too, but it is media, not a page of the walk)
    assert walk_requests(run.report) == {"robots": 1, "section": 2, "listing": 2, "article": 1}


def test_edited_article_comes_again_as_revision_2(site, tmp_path: Path) -> None:
    root, url = site
    first = crawl(tmp_path, url)
    original = next(i for i in first.items if i["url"].endswith(str(EDITED)))
    edit_article(root)
    run = crawl(tmp_path, url, "-a", "full=1")
    assert run.returncode == 0, run.stderr[-2000:]
    new = run.items[len(ALL_PATHS):]
    assert len(new) == 1
    assert new[0]["url"] == original["url"]
    assert new[0]["revision"] == 2
    assert new[0]["first_seen_at"] == original["first_seen_at"]
    assert new[0]["content_hash"] != original["content_hash"]
    assert "园区90余家企业参加" in new[0]["body"]
    assert run.report["articles"]["changed"] == 1
    assert run.report["articles"]["unchanged"] == len(ALL_PATHS) - 1


def test_recheck_days_uses_conditional_requests(site, tmp_path: Path) -> None:
    root, url = site
    assert crawl(tmp_path, url).returncode == 0
    edit_article(root)
    # The demo articles are from 2024: a window of 10,000 days re-checks all of them.
    run = crawl(tmp_path, url, "-a", "recheck_days=10000")
    assert run.returncode == 0, run.stderr[-2000:]
    new = run.items[len(ALL_PATHS):]
    assert [(n["url"].removeprefix(url), n["revision"]) for n in new] == [("/" + str(EDITED), 2)]
    # every other article answered 304 Not Modified
    log = run.stderr
    assert "'parkcrawl/state/not_modified': 28" in log


def test_second_concurrent_run_is_refused(site, tmp_path: Path) -> None:
    root, url = site
    from parkcrawl.storage import ArticleStateStore

    with ArticleStateStore(tmp_path / "state"):  # as a running crawl holds it
        run = crawl(tmp_path, url)
    assert run.returncode == 1
    assert "another run is using the state" in run.stderr.strip().splitlines()[-1]
    assert run.items == []


def slow_crawl_cmd(tmp_path: Path, url: str, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawl", "parknews", "-a", f"start_url={url}/index.html",
        "-o", str(tmp_path / "out.jsonl"), "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
        "-s", f"PARKCRAWL_RUNS_DIR={tmp_path / 'runs'}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
        "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS=1", *extra,
    ]


def read_lines(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    validate_lines(items, path)
    return items


def test_jobdir_pause_and_resume_give_every_article_once(site, tmp_path: Path) -> None:
    root, url = site
    cmd = slow_crawl_cmd(tmp_path, url, "-s", f"JOBDIR={tmp_path / 'job'}")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_lines(tmp_path / "out.jsonl", 8, proc)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    paused = read_lines(tmp_path / "out.jsonl")
    assert 0 < len(paused) < len(ALL_PATHS)
    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert paths(read_lines(tmp_path / "out.jsonl"), url) == ALL_PATHS


@pytest.mark.parametrize("kill_after_lines", [0, 5, 17])
def test_kill_9_never_loses_or_duplicates(site, tmp_path: Path, kill_after_lines: int) -> None:
    root, url = site
    proc = subprocess.Popen(slow_crawl_cmd(tmp_path, url), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after_lines:
        wait_for_lines(tmp_path / "out.jsonl", kill_after_lines, proc)
    else:
        time.sleep(1.0)  # while walking the section, before any article
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # A crash mid-write (power loss) can leave half a line: simulate one.
    with (tmp_path / "out.jsonl").open("ab") as f:
        f.write(b'{"url": "http://torn')
    run = crawl(tmp_path, url)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = read_lines(tmp_path / "out.jsonl")  # every line valid JSON
    assert paths(lines, url) == ALL_PATHS  # every article exactly once
    assert "removed a torn last line" in run.stderr
