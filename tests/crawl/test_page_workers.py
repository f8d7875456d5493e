"""The page stages on another core (PARKCRAWL_PAGE_PROCESSES): same output, no article lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parkcrawl.workers import processes_wanted, timeout_wanted
from tests.support import DEMO_SITE, ROOT, run_crawl

GOLDEN = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
# What the page and participants stages decide (the fields a worker's result fills).
PAGE_FIELDS = ["title", "body", "published_at", "source", "participants", "breadcrumb",
               "content_hash", "encoding", "script", "authors", "media"]


@pytest.mark.parametrize(
    ("value", "cores", "expected"),
    [("auto", 1, 0), ("auto", 2, 1), ("auto", 3, 2), ("auto", 16, 4), ("0", 8, 0), ("3", 1, 3), (" 2 ", 1, 2)],
)
def test_processes_wanted(value: str, cores: int, expected: int) -> None:
    assert processes_wanted(value, cores) == expected


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "", "02"])
def test_processes_wanted_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="PARKCRAWL_PAGE_PROCESSES"):
        processes_wanted(value, 2)


@pytest.mark.parametrize(("value", "expected"), [("60", 60.0), (" 0.5 ", 0.5), (0, 0.0), ("0", 0.0)])
def test_timeout_wanted(value: object, expected: float) -> None:
    assert timeout_wanted(value) == expected


@pytest.mark.parametrize("value", ["-1", "soon", "", "inf", "nan", None])
def test_timeout_wanted_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="PARKCRAWL_PAGE_TIMEOUT"):
        timeout_wanted(value)


def _by_url(items: list[dict], site_url: str) -> dict[str, dict]:
    return {item["url"].removeprefix(site_url): item for item in items}


@pytest.mark.e2e
def test_in_process_and_two_workers_write_the_golden_articles(
    demo_site_url: str, tmp_path: Path
) -> None:
    golden = {
        line["url"]: line
        for line in map(json.loads, GOLDEN.read_text(encoding="utf-8").splitlines())
    }
    for processes in ("0", "2"):
        run = run_crawl(
            tmp_path / processes, "-a", f"start_url={demo_site_url}/index.html",
            "-s", f"PARKCRAWL_PAGE_PROCESSES={processes}",
        )
        assert run.returncode == 0, run.stderr[-2000:]
        got = _by_url(run.items, demo_site_url)
        assert sorted(got) == sorted(golden), processes
        for url, item in got.items():
            for name in PAGE_FIELDS:
                if name in golden[url]:
                    assert item[name] == golden[url][name], (processes, url, name)


@pytest.mark.e2e
@pytest.mark.parametrize(("setting", "said"), [
    ("PARKCRAWL_PAGE_PROCESSES=lots", "PARKCRAWL_PAGE_PROCESSES must be auto or a whole number"),
    ("PARKCRAWL_PAGE_TIMEOUT=soon", "PARKCRAWL_PAGE_TIMEOUT must be a number of seconds"),
])
def test_a_mistyped_value_is_one_line_and_exit_2(
    demo_site_url: str, tmp_path: Path, setting: str, said: str
) -> None:
    run = run_crawl(tmp_path, "-a", f"start_url={demo_site_url}/index.html", "-s", setting)
    assert run.returncode == 2
    assert said in run.stderr
    assert not run.items


def _start_crawl(tmp_path: Path, site_url: str) -> subprocess.Popen[str]:
    """A crawl of the site with one page worker, writing tmp_path/out.jsonl, stderr piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "parknews", "-O", str(tmp_path / "out.jsonl"),
         "-a", f"start_url={site_url}/index.html",
         "-s", f"PARKCRAWL_RUNS_DIR={tmp_path / 'runs'}",
         "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
         "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
         "-s", "PARKCRAWL_PAGE_PROCESSES=1", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _workers_of(pid: int) -> list[int]:
    """The crawl's page workers: its child processes started by multiprocessing's spawn."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_worker_killed_mid_crawl_loses_no_article(tmp_path: Path) -> None:
    """SIGKILL the worker (what the kernel's OOM killer does) while pages are in hand: the pool is
    rebuilt, the pages in hand are read in the crawl's process, and every article is written."""
    from tools import fast_server

    golden_urls = sorted(
        json.loads(line)["url"] for line in GOLDEN.read_text(encoding="utf-8").splitlines()
    )
    out = tmp_path / "out.jsonl"
    # Every answer held 0.3 s: the crawl lasts long enough to kill its worker in the middle.
    with fast_server.serve(DEMO_SITE, delay=0.3) as site_url:
        proc = _start_crawl(tmp_path, site_url)
        try:
            killed: list[int] = []
            deadline = time.monotonic() + 60
            while not killed and time.monotonic() < deadline and proc.poll() is None:
                lines = out.read_bytes().count(b"\n") if out.exists() else 0
                workers = _workers_of(proc.pid) if lines >= 3 else []
                for worker in workers:
                    os.kill(worker, signal.SIGKILL)
                    killed.append(worker)
                time.sleep(0.05)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert killed, "the worker was not found while the crawl ran"
    assert proc.returncode == 0, stderr[-2000:]
    assert "a page worker died" in stderr
    urls = [json.loads(line)["url"].removeprefix(site_url) for line in out.read_text().splitlines()]
    assert sorted(urls) == golden_urls  # each once, none lost
    report = json.loads(sorted((tmp_path / "runs").glob("*.json"))[-1].read_text())
    assert report["page_worker_restarts"] >= 1


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_crawl_killed_outright_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL the crawl itself: its worker ends with it, and the crawl's stderr reaches its end
    (a worker left behind would hold it open, and whoever reads it would wait for ever)."""
    from tools import fast_server

    out = tmp_path / "out.jsonl"
    with fast_server.serve(DEMO_SITE, delay=0.3) as site_url:
        proc = _start_crawl(tmp_path, site_url)
        try:
            workers: list[int] = []
            deadline = time.monotonic() + 60
            while not workers and time.monotonic() < deadline and proc.poll() is None:
                # once articles are written: the worker is started, warmed up and at work
                lines = out.read_bytes().count(b"\n") if out.exists() else 0
                workers = _workers_of(proc.pid) if lines >= 2 else []
                time.sleep(0.05)
            assert workers, "no worker found while the crawl ran"
            proc.kill()
            proc.communicate(timeout=30)  # EOF on stderr: nobody holds it any more
        finally:
            if proc.poll() is None:
                proc.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.05)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and Path(f"/proc/{w}/stat").read_text().split()[2] != "Z"]
    assert not alive


def test_a_pool_that_keeps_breaking_is_given_up() -> None:
    """After MAX_RESTARTS rebuilt pools the run reads its pages in process (one warning), rather
    than spawning a worker per page that cannot live here."""
    from parkcrawl.workers import MAX_RESTARTS, PageWorkers

    workers = PageWorkers(1)
    workers._start()
    try:
        for restart in range(1, MAX_RESTARTS + 2):
            pool = workers._pool
            assert pool is not None
            assert workers._in_process_after_crash(pool, len, ("页面",), {}) == 2
            assert workers.restarts == restart
        assert not workers.active
        assert workers._in_process_after_crash(pool, len, ("页",), {}) == 1  # stale pool: no count
        assert workers.restarts == MAX_RESTARTS + 1
    finally:
        workers.close()


# A real page that is slow to read: ~8.6 MB of article text (under DOWNLOAD_MAXSIZE's 10 MB,
# ~12,000 elements, under PARKCRAWL_MAX_ELEMENTS), read in over a second on the machine it was
# written on, against a few milliseconds for a demo article.
_SLOW_PARAGRAPH = "园区管委会召开专题会议，研究部署科技创新和营商环境优化工作，要求各部门加强协同、狠抓落实。" * 5


def _slow_article() -> bytes:
    paragraphs = "".join(f"<p>{_SLOW_PARAGRAPH}</p>\n" for _ in range(12_000))
    return (
        '<html><head><meta charset="utf-8"><title>园区召开专题会议</title></head><body>'
        f'<h1>园区召开专题会议</h1><div class="content">{paragraphs}</div></body></html>'
    ).encode()


@pytest.mark.e2e
def test_a_page_too_slow_to_read_is_dropped_and_the_run_goes_on(tmp_path: Path) -> None:
    """One article page keeps the worker busy past PARKCRAWL_PAGE_TIMEOUT: it is dropped as too
    slow to read, the workers are replaced, and every other article is written once."""
    from tools import fast_server

    golden_urls = sorted(
        json.loads(line)["url"] for line in GOLDEN.read_text(encoding="utf-8").splitlines()
    )
    slow_url = golden_urls[3]
    overlay = tmp_path / "overlay"
    (overlay / slow_url.lstrip("/")).parent.mkdir(parents=True)
    (overlay / slow_url.lstrip("/")).write_bytes(_slow_article())
    with fast_server.serve(overlay, DEMO_SITE) as site_url:
        run = run_crawl(
            tmp_path / "crawl", "-a", f"start_url={site_url}/index.html",
            "-s", "PARKCRAWL_PAGE_PROCESSES=1", "-s", "PARKCRAWL_PAGE_TIMEOUT=0.5",
            "-s", "AUTOTHROTTLE_ENABLED=False",
        )
    assert run.returncode == 0, run.stderr[-2000:]
    written = sorted(item["url"].removeprefix(site_url) for item in run.items)
    assert written == [url for url in golden_urls if url != slow_url]
    assert run.report is not None
    assert [d for d in run.report["dropped"] if d["reason"] == "too slow to read"] == [
        {"url": site_url + slow_url, "reason": "too slow to read"}
    ]
    assert "kept a page worker busy over 0.5 s" in run.stderr


def test_close_does_not_wait_for_a_worker_still_in_a_page() -> None:
    """A forced stop (Ctrl-C twice) closes the pool with a worker still in a page: close() kills
    it after CLOSE_GRACE_S instead of waiting for the page to end (the interpreter's exit joins
    the workers, so a page that never ends would keep the crawl's process alive)."""
    from parkcrawl.workers import CLOSE_GRACE_S, PageWorkers

    workers = PageWorkers(1)
    workers._start()
    pool = workers._pool
    assert pool is not None
    future = pool.submit(time.sleep, 600)  # a page that would take ten minutes
    deadline = time.monotonic() + 60
    while not future.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    processes = list(pool._processes.values())
    assert processes and future.running()
    started = time.monotonic()
    workers.close()
    assert time.monotonic() - started < CLOSE_GRACE_S + 30  # not the ten minutes
    assert not any(process.is_alive() for process in processes)
    assert not workers.active


def test_after_close_a_page_is_not_read_in_process() -> None:
    """Pages still on their way when the workers are closed (a forced stop) are dropped, not read
    on the reactor thread one after another while the crawl is stopping."""
    import asyncio

    from parkcrawl.workers import PageWorkers, WorkersClosed

    workers = PageWorkers(1)
    workers._start()
    workers.close()
    with pytest.raises(WorkersClosed):
        asyncio.run(workers.run(len, "页"))
    # a crawl without workers (PARKCRAWL_PAGE_PROCESSES=0) reads in process, as always
    assert asyncio.run(PageWorkers(0).run(len, "页面")) == 2


_MAIN_SCRIPT = """\
import os, sys
if __name__ != "__main__":  # imported again, by a worker
    with open(os.environ["IMPORTED_AS"], "a") as mark:
        mark.write(__name__ + "\\n")
if __name__ == "__main__":
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing
    from parkcrawl.workers import _started_pool, _stop_pool
    if sys.argv[1] == "parkcrawl":
        pool = _started_pool(1)
    else:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    print(pool.submit(os.getpid).result())
    _stop_pool(pool, 5.0)
"""


@pytest.mark.parametrize(("pool", "imported"), [("parkcrawl", ""), ("plain", "__mp_main__\n")])
def test_a_worker_does_not_import_the_crawls_main_script(
    tmp_path: Path, pool: str, imported: str
) -> None:
    """`scrapy crawl` run by its console script has that script as __main__ (it imports all of
    Scrapy); a spawned worker imports its parent's __main__ unless told there is none. A plain
    spawn pool does (the control), the page workers do not."""
    script = tmp_path / "console_script.py"
    script.write_text(_MAIN_SCRIPT, encoding="utf-8")
    mark = tmp_path / "imported"
    done = subprocess.run(
        [sys.executable, str(script), pool], capture_output=True, text=True, timeout=120,
        cwd=ROOT, env={**os.environ, "IMPORTED_AS": str(mark), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 0  # the worker ran the call
    assert (mark.read_text() if mark.exists() else "") == imported


def test_the_crawl_takes_the_workers_its_command_started() -> None:
    """The crawl command starts the workers before Scrapy builds the crawl (start_early); the
    crawl's PageWorkers takes that pool rather than starting a second one, a crawl that wants
    another number of workers stops it, and one that has PageWorkers switched off starts none."""
    from scrapy.settings import Settings

    from parkcrawl import workers as workers_module
    from parkcrawl.settings import EXTENSIONS
    from parkcrawl.workers import PageWorkers, close_early, start_early

    settings = Settings({"EXTENSIONS": EXTENSIONS, "PARKCRAWL_PAGE_PROCESSES": "1"})
    try:
        start_early(settings)
        assert workers_module._early is not None
        early = workers_module._early[1]
        taken = PageWorkers(1)
        taken._start()
        assert taken._pool is early and workers_module._early is None
        taken.close()

        start_early(settings)
        assert workers_module._early is not None
        stale = list(workers_module._early[1]._processes.values())
        other = PageWorkers(2)
        other._start()
        assert other._pool is not None and other._pool is not early
        assert not any(process.is_alive() for process in stale)
        other.close()

        off = Settings({"EXTENSIONS": {**EXTENSIONS, "parkcrawl.workers.PageWorkers": None},
                        "PARKCRAWL_PAGE_PROCESSES": "1"})
        start_early(off)
        assert workers_module._early is None
        start_early(Settings({"EXTENSIONS": EXTENSIONS, "PARKCRAWL_PAGE_PROCESSES": "0"}))
        assert workers_module._early is None
    finally:
        close_early()


def test_warm_up_loads_what_the_first_pages_would() -> None:
    """In a fresh process: after warm_up, the name model is open, charset detection's common
    characters are read, what the worker holds is frozen for the collector, and an undeclared
    article page reads without loading anything more."""
    code = """
import gc, sys
from parkcrawl.workers import warm_up
warm_up()
# what the worker holds from now on (modules, the name model) is out of the collector's walks
assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()
from parkcrawl.extract import names_crf
from parkcrawl.text import decoding
assert names_crf._open_tagger.cache_info().misses == 1, names_crf._open_tagger.cache_info()
assert decoding.common_hanzi.cache_info().currsize == 1
before = set(sys.modules)
from parkcrawl.page import read_page
page = read_page(
    "<html><head><title>园区召开安全生产会议</title></head><body><h1>园区召开安全生产会议</h1>"
    "<div class='content'><p>6月3日，园区召开安全生产工作会议，管委会副主任李强出席并讲话。</p>"
    "<p>会议要求各企业压实主体责任，开展隐患排查，确保园区安全稳定。</p></div></body></html>"
    .encode("gb18030"), "http://127.0.0.1/a.html", "text/html", participants=True)
assert page.participants == [{"name": "李强", "role": "管委会副主任"}], page.participants
assert names_crf._open_tagger.cache_info().misses == 1
assert set(sys.modules) == before, set(sys.modules) - before
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
