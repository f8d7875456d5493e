"""How a run ends when it cannot finish: interrupted, archive unwritable, killed mid-WARC; and
what it must never do: adopt another crawl's lines, or write crawl output from `scrapy fetch`."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from parkcrawl.archive.warc import Exchange, WarcWriter, complete_length, finish_abandoned
from tests.faults.test_durability import ARTICLES, crawl, fill, last_line, tmpfs
from tests.support import DEMO_SITE, ROOT, wait_for_lines
from tools.fault_server import FaultServer


def slow_crawl(tmp_path: Path, url: str, *extra: str) -> subprocess.Popen:
    """A crawl slow enough to be stopped halfway (one request at a time, 0.1 s apart)."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "scrapy", "crawl", "parknews",
            "-a", f"start_url={url}/index.html", "-o", str(tmp_path / "out.jsonl"),
            "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
            "-s", f"PARKCRAWL_RUNS_DIR={tmp_path / 'runs'}",
            "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.1",
            "-s", "CONCURRENT_REQUESTS=1", *extra,
        ],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def report_of(tmp_path: Path) -> dict:
    reports = sorted((tmp_path / "runs").glob("*.json"))
    return json.loads(reports[-1].read_text("utf-8"))


# --- interrupted runs --------------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_run_exits_non_zero_and_the_next_run_resumes(
    tmp_path: Path, demo_server: FaultServer, signum: int, status: int
) -> None:
    proc = slow_crawl(tmp_path, demo_server.base_url)
    assert wait_for_lines(tmp_path / "out.jsonl", 3, proc)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == status, stderr[-3000:]
    name = signal.Signals(signum).name
    assert f"interrupted by {name}" in stderr.strip().splitlines()[-1]
    assert f"INTERRUPTED by {name}" in stderr
    report = report_of(tmp_path)
    assert report["interrupted"] == name
    written = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert 0 < len(written) < ARTICLES
    # the next run fetches what this one did not: every article once
    rerun = crawl(tmp_path, demo_server.base_url)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    every = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert len(every) == ARTICLES == len({item["url"] for item in every})


# --- the archive ------------------------------------------------------------------------------


def test_warc_folder_that_cannot_be_created_fails_the_run(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    blocker = tmp_path / "warc-is-a-file"
    blocker.write_text("a file where the WARC folder should be")
    run = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={blocker / 'warc'}")
    assert run.returncode == 1, run.stderr[-3000:]
    assert "WARC archive" in last_line(run), last_line(run)
    assert run.report is not None and "WARC archive" in run.report["failure"]
    assert any("FAILED: cannot write the WARC archive" in line for line in run.stderr.splitlines())


def test_full_warc_disk_fails_the_run_and_the_next_run_finishes_the_file(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    with tmpfs(tmp_path / "warc", "1m") as warc:
        first = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={warc}")
        assert first.returncode == 0, first.stderr[-3000:]
        fill(warc)
        (tmp_path / "state").rename(tmp_path / "state-first")  # a fresh crawl: pages to archive
        run = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={warc}")
        assert run.returncode == 1, run.stderr[-3000:]
        assert "WARC archive" in last_line(run) and "No space left" in last_line(run)
        left_open = list(warc.glob("*.warc.gz.open"))
        assert left_open, "the failed file stays .open for the next run"
        (warc / "filler").unlink()
        again = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={warc}")
        assert again.returncode == 0, again.stderr[-3000:]
        assert list(warc.glob("*.open")) == []
        for path in warc.glob("*.warc.gz"):
            assert path.with_name(path.name.replace(".warc.gz", ".cdxj")).exists()
            with open(path, "rb") as stream:
                assert sum(1 for _ in ArchiveIterator(stream)) > 0


def _archived_articles(warc: Path) -> set[str]:
    """The article URLs with a response record in the folder's WARC files (complete records)."""
    found = set()
    for path in sorted(warc.glob("*.warc.gz*")):
        data = path.read_bytes()[: complete_length(path)]
        for record in ArchiveIterator(__import__("io").BytesIO(data)):
            if (record.rec_type == "response"
                    and record.rec_headers.get_header("Parkcrawl-Page-Kind") == "article"):
                found.add(record.rec_headers.get_header("WARC-Target-URI"))
    return found


def _unarchived_in_state(tmp_path: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(tmp_path / "state" / "articles.sqlite3")
    try:
        row = db.execute("SELECT value FROM meta WHERE name = 'unarchived'").fetchone()
    finally:
        db.close()
    return json.loads(row[0]) if row else []


def test_articles_written_while_the_warc_disk_was_full_are_archived_by_the_next_run(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    """The WARC disk fills halfway: the run fails, but the articles whose lines it wrote without
    their response in the archive are fetched again by the next run — into the archive, not into
    the feed a second time."""
    with tmpfs(tmp_path / "warc", "1m") as warc:
        spare = warc / "spare"
        spare.write_bytes(b"\0" * 64 * 1024)  # about half of what the demo's archive takes
        fill(warc)
        spare.unlink()
        first = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={warc}")
        assert first.returncode == 1, first.stderr[-3000:]
        assert "WARC archive" in last_line(first) and "No space left" in last_line(first)
        written = {item["url"] for item in lines_of_feed(tmp_path)}
        missing = written - _archived_articles(warc)
        # what the fix is for: lines written whose pages are not in the archive, and the state
        # knows them
        assert missing, "the archive failed after every written article was archived"
        assert set(_unarchived_in_state(tmp_path)) >= {canonical(url) for url in missing}
        (warc / "filler").unlink()
        second = crawl(tmp_path, demo_server.base_url, "-s", f"PARKCRAWL_WARC_DIR={warc}")
        assert second.returncode == 0, second.stderr[-3000:]
        every = [item["url"] for item in lines_of_feed(tmp_path)]
        assert len(every) == ARTICLES == len(set(every))  # each once: nothing written twice
        assert set(every) <= _archived_articles(warc)  # and every one archived
        assert _unarchived_in_state(tmp_path) == []


def lines_of_feed(tmp_path: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]


def canonical(url: str) -> str:
    from parkcrawl.urls import canonical_url

    return canonical_url(url)


def write_warc(folder: Path, pages: int) -> Path:
    writer = WarcWriter(folder)
    for n in range(pages):
        writer.write(Exchange(
            url=f"http://127.0.0.1:1/a{n}.html", method="GET", request_headers=[],
            request_body=b"", status=200, response_headers=[(b"Content-Type", b"text/html")],
            body=f"<html><h1>第{n}篇</h1></html>".encode() * 20, kind="article",
        ))
    # as a killed process leaves it: the records written, the file still .open, the lock gone
    open_path = writer.abandon()
    assert open_path is not None and open_path.name.endswith(".warc.gz.open")
    return open_path


def test_finish_abandoned_cuts_a_torn_record_and_renames(tmp_path: Path) -> None:
    open_path = write_warc(tmp_path, 3)
    whole = open_path.read_bytes()
    os.truncate(open_path, len(whole) - 7)  # the last record (the third page's request) torn
    assert complete_length(open_path) < len(whole) - 7
    finished = finish_abandoned(tmp_path)
    assert [(f.kept, f.cut > 0) for f in finished] == [(True, True)]
    final = finished[0].path
    assert final.name.endswith(".warc.gz") and not open_path.exists()
    with gzip.open(final) as stream:
        stream.read()  # every member whole: no EOFError
    with open(final, "rb") as stream:
        kinds = [record.rec_type for record in ArchiveIterator(stream)]
    # warcinfo, then response + request for pages 1 and 2, and page 3's response
    assert kinds == ["warcinfo", *["response", "request"] * 2, "response"]


def test_finish_abandoned_leaves_a_live_writers_file_alone(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    writer.write(Exchange(url="http://127.0.0.1:1/x", method="GET", request_headers=[],
                          request_body=b"", status=200, response_headers=[], body=b"<p>x</p>"))
    assert finish_abandoned(tmp_path) == []  # locked by this writer
    writer.close()


def test_reextract_reads_a_file_a_killed_run_left_open(tmp_path: Path) -> None:
    with FaultServer(DEMO_SITE) as server:
        crawler = slow_crawl(tmp_path, server.base_url)
        assert wait_for_lines(tmp_path / "out.jsonl", 6, crawler)
        crawler.send_signal(signal.SIGKILL)
        crawler.communicate()
    left_open = list((tmp_path / "warc").glob("*.warc.gz.open"))
    assert len(left_open) == 1
    out = tmp_path / "reextracted.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "parkcrawl.cli", "reextract", str(tmp_path / "warc"), "-O", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reextracted = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    written = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert {item["url"] for item in written} <= {item["url"] for item in reextracted}


# --- never someone else's data --------------------------------------------------------------


def test_lines_of_another_site_in_the_feed_are_not_adopted(tmp_path: Path) -> None:
    # The demo (another host: another port of 127.0.0.1) wrote its 29 articles into the same
    # feed with a state of its own; the real crawl's state is empty. Its articles must all be
    # written, not taken for the demo's lines.
    feed = tmp_path / "shared.jsonl"
    demo_lines = []
    for line in (ROOT / "tests" / "golden" / "demo_parknews.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)  # the golden lines leave out the clock fields: fill them in
        # the golden's URLs are paths on the demo site
        item["url"] = "http://127.0.0.1:1" + item["url"]
        item["canonical_url"] = "http://127.0.0.1:1" + item["canonical_url"]
        item["breadcrumb_urls"] = [
            None if path is None else "http://127.0.0.1:1" + path for path in item["breadcrumb_urls"]
        ]
        for name, value in (("fetched_at", "2024-12-01T00:00:00Z"), ("quality_flags", []),
                            ("revision", 1), ("first_seen_at", "2024-12-01T00:00:00Z"),
                            ("media", []), ("schema_version", "1.3")):
            item.setdefault(name, value)
        demo_lines.append(json.dumps(item, ensure_ascii=False) + "\n")
    feed.write_text("".join(demo_lines), encoding="utf-8")
    with FaultServer(DEMO_SITE) as real:
        run = crawl(tmp_path / "real", real.base_url, out=feed)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.report is not None and run.report["articles"]["new"] == ARTICLES
    assert f"{ARTICLES} line(s) of other sites" in run.stderr and "not adopted" in run.stderr


def test_scrapy_fetch_writes_no_crawl_output(tmp_path: Path, demo_server: FaultServer) -> None:
    fetched = subprocess.run(
        [sys.executable, "-m", "scrapy", "fetch", "--nolog", f"{demo_server.base_url}/index.html",
         "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
         "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}"],
        cwd=ROOT, capture_output=True, timeout=120,
    )
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    assert "动态要闻".encode() in fetched.stdout
    assert not (tmp_path / "warc").exists() and not (tmp_path / "state").exists()
