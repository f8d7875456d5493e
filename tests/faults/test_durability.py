"""Nothing recorded that was not written: full disks, file-size limits, unusable state, the lock.

Each test runs the real crawl (`scrapy crawl parknews` in a subprocess) against the demo site on
127.0.0.1. Disks that fill up are real: a small tmpfs mounted for the test (as root; skipped with
the reason where mounting is not allowed) or the process's file-size limit (`ulimit -f`).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.faults.site import article_html, write_site
from tests.support import ROOT, CrawlRun, run_crawl
from tools.fault_server import FaultServer

ARTICLES = 29  # the demo's 园区信息 articles (tests/golden/demo_parknews.jsonl)
QUICK = ("-s", "AUTOTHROTTLE_ENABLED=False")


def crawl(job: Path, url: str, *args: str, output: str = "-o", **kwargs) -> CrawlRun:
    return run_crawl(job, "-a", f"start_url={url}/index.html", *QUICK, *args, output=output,
                     **kwargs)


def lines_of(path: Path) -> list[dict]:
    raw = path.read_bytes() if path.exists() else b""
    assert raw == b"" or raw.endswith(b"\n"), "a torn last line"
    return [json.loads(line) for line in raw.splitlines()]


def urls(items: list[dict]) -> set[str]:
    return {item["url"] for item in items}


def last_line(run: CrawlRun) -> str:
    return run.stderr.strip().splitlines()[-1]


@contextmanager
def tmpfs(where: Path, size: str, *options: str) -> Iterator[Path]:
    """A real small file system: what a full disk looks like to the crawl."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(where)],
        capture_output=True, text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- the feed cannot be written --------------------------------------------------------------


def assert_failed_on_output(run: CrawlRun, out: Path, error: str, total: int) -> list[dict]:
    assert run.returncode == 1, run.stderr[-3000:]
    assert str(out) in last_line(run) and error in last_line(run), last_line(run)
    written = lines_of(out)  # whole lines only: the failed write was cut off
    assert 0 < len(written) < total
    assert run.report is not None and run.report["failure"]
    assert str(out) in run.report["failure"]
    # "written" counts the lines that are in the file, not the articles scraped
    assert run.report["articles_written"] == len(written)
    return written


def assert_next_run_emits_the_rest(
    tmp_path: Path, url: str, out: Path, first: list[dict], total: int = ARTICLES
) -> None:
    rerun = crawl(tmp_path, url, "-s", "PARKCRAWL_WARC_ENABLED=False", out=out)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    every = lines_of(out)
    second = every[len(first):]
    assert not urls(first) & urls(second), "an article emitted twice"
    assert len(every) == total and len(urls(every)) == total, "an article lost"


def long_articles_site(root: Path) -> int:
    """A site of 20 long articles (~30 KB of JSON each): the feed outgrows the state quickly."""
    articles = write_site(root, 20)
    long_pages = {}
    for n, article in enumerate(articles, 1):
        page = article_html(article.title, article.date, n)
        paragraph = f"<p>　　{article.title}。" + "园区企业代表围绕产业发展畅所欲言，" * 30 + "</p>\n"
        long_pages[article.path] = page.replace("</div></div></div>", paragraph * 12 + "</div></div></div>", 1)
    write_site(root, 20, pages=long_pages)
    return len(articles)


def test_file_size_limit_stops_the_run_and_the_next_run_emits_the_rest(tmp_path: Path) -> None:
    total = long_articles_site(tmp_path / "site")
    out = tmp_path / "out.jsonl"
    limit = 250_000  # bytes: about 8 of the 20 articles; the state stays well below it

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with FaultServer(tmp_path / "site") as server:
        run = crawl(
            tmp_path, server.base_url, "-s", "PARKCRAWL_WARC_ENABLED=False",
            out=out, preexec_fn=limit_file_size,
        )
        first = assert_failed_on_output(run, out, "File too large", total)
        assert_next_run_emits_the_rest(tmp_path, server.base_url, out, first, total)


def test_full_disk_stops_the_run_and_the_next_run_emits_the_rest(tmp_path: Path) -> None:
    total = long_articles_site(tmp_path / "site")
    with FaultServer(tmp_path / "site") as server, tmpfs(tmp_path / "disk", "160k") as disk:
        out = disk / "out.jsonl"
        run = crawl(tmp_path, server.base_url, "-s", "PARKCRAWL_WARC_ENABLED=False", out=out)
        first = assert_failed_on_output(run, out, "No space left on device", total)
        moved = tmp_path / "out.jsonl"  # space back: the operator moves the feed to a bigger disk
        moved.write_bytes(out.read_bytes())
        assert_next_run_emits_the_rest(tmp_path, server.base_url, moved, first, total)


def test_unwritable_output_folder_fails_before_recording_anything(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    out = blocker / "out.jsonl"
    run = crawl(tmp_path, demo_server.base_url, "-s", "PARKCRAWL_WARC_ENABLED=False", out=out)
    assert run.returncode == 1, run.stderr[-3000:]
    assert str(out) in last_line(run), last_line(run)
    with closing(sqlite3.connect(tmp_path / "state" / "articles.sqlite3")) as db, db:
        assert db.execute("SELECT count(*) FROM article").fetchone()[0] == 0


# --- -O means overwrite --------------------------------------------------------------------------


def test_overwrite_with_nothing_new_leaves_an_empty_file(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    first = crawl(tmp_path, demo_server.base_url, output="-O")
    assert first.returncode == 0 and len(first.items) == ARTICLES, first.stderr[-3000:]
    again = crawl(tmp_path, demo_server.base_url, output="-O")
    assert again.returncode == 0, again.stderr[-3000:]
    assert (tmp_path / "out.jsonl").read_bytes() == b""  # not the previous run's 29 lines


# --- the state cannot be used --------------------------------------------------------------------


def _random_bytes(state: Path) -> None:
    (state / "articles.sqlite3").write_bytes(os.urandom(8192))


def _truncated(state: Path) -> None:
    db_path = state / "articles.sqlite3"
    with closing(sqlite3.connect(db_path)) as db, db:
        db.execute("CREATE TABLE article (key TEXT PRIMARY KEY, url TEXT NOT NULL,"
                   " content_hash TEXT NOT NULL, revision INTEGER NOT NULL,"
                   " first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, body TEXT)")
        db.executemany("INSERT INTO article VALUES (?, ?, 'h', 1, 't', 't', ?)",
                       [(f"k{i}", f"u{i}", "正文" * 500) for i in range(200)])
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])


def _wrong_schema(state: Path) -> None:
    with closing(sqlite3.connect(state / "articles.sqlite3")) as db, db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")


def _directory(state: Path) -> None:
    (state / "articles.sqlite3").mkdir()


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_random_bytes, "not a usable parkcrawl state (file is not a database)"),
        (_truncated, "not a usable parkcrawl state"),
        (_wrong_schema, "not a parkcrawl state (tables: orders)"),
        (_directory, "is a directory, not a database"),
    ],
    ids=["random-bytes", "truncated", "wrong-schema", "directory"],
)
def test_unusable_state_fails_before_any_request(
    tmp_path: Path, demo_server: FaultServer, spoil, says: str
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    spoil(state)
    run = crawl(tmp_path, demo_server.base_url)
    assert run.returncode == 1, run.stderr[-3000:]
    line = last_line(run)
    assert str(state / "articles.sqlite3") in line and says in line, line
    assert "move it aside" in line
    assert demo_server.hits() == []  # not even robots.txt
    assert not (tmp_path / "out.jsonl").exists()


def test_state_on_a_full_disk_fails_before_any_request(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    with tmpfs(tmp_path / "state", "1m") as state:
        first = crawl(tmp_path, demo_server.base_url)
        assert first.returncode == 0, first.stderr[-3000:]
        hits = len(demo_server.hits())
        fill(state)
        run = crawl(tmp_path, demo_server.base_url)
    assert run.returncode == 1, run.stderr[-3000:]
    assert str(state / "articles.sqlite3") in last_line(run), last_line(run)
    assert "full" in last_line(run), last_line(run)
    assert len(demo_server.hits()) == hits


def test_read_only_state_fails_before_any_request(
    tmp_path: Path, demo_server: FaultServer
) -> None:
    with tmpfs(tmp_path / "state", "1m") as state:
        first = crawl(tmp_path, demo_server.base_url)
        assert first.returncode == 0, first.stderr[-3000:]
        hits = len(demo_server.hits())
        subprocess.run(["mount", "-o", "remount,ro", str(state)], check=True)
        run = crawl(tmp_path, demo_server.base_url)
    assert run.returncode == 1, run.stderr[-3000:]
    assert str(state / "articles.sqlite3") in last_line(run), last_line(run)
    assert len(demo_server.hits()) == hits


def test_state_of_the_first_release_is_migrated(tmp_path: Path, demo_server: FaultServer) -> None:
    # The first release's schema (no title_key/simhash columns, no meta table), holding an
    # article of another site that must survive the migration.
    state = tmp_path / "state"
    state.mkdir()
    with closing(sqlite3.connect(state / "articles.sqlite3")) as db, db:
        db.executescript("""
            CREATE TABLE article (key TEXT PRIMARY KEY, url TEXT NOT NULL,
                content_hash TEXT NOT NULL, revision INTEGER NOT NULL,
                first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, published_at TEXT,
                etag TEXT, last_modified TEXT);
            CREATE INDEX article_hash ON article (content_hash);
            INSERT INTO article VALUES ('old.example/a/1.html', 'http://old.example/a/1.html',
                'abc', 3, '2023-01-01T00:00:00Z', '2023-02-01T00:00:00Z', '2023-01-01',
                NULL, NULL);
        """)
    run = crawl(tmp_path, demo_server.base_url)
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.items) == ARTICLES
    with closing(sqlite3.connect(state / "articles.sqlite3")) as db, db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = {row[1] for row in db.execute("PRAGMA table_info(article)")}
        assert {"title_key", "simhash"} <= columns
        assert db.execute("SELECT count(*) FROM article").fetchone()[0] == ARTICLES + 1
        assert db.execute(
            "SELECT revision FROM article WHERE key = 'old.example/a/1.html'"
        ).fetchone() == (3,)


# --- the lock ----------------------------------------------------------------------------------


def test_deleting_files_cannot_release_the_lock(tmp_path: Path, demo_server: FaultServer) -> None:
    from parkcrawl.storage import ArticleStateStore

    state = tmp_path / "state"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; from parkcrawl.storage import ArticleStateStore\n"
            f"s = ArticleStateStore({str(state)!r}); s.open(); print('held', flush=True)\n"
            "time.sleep(60)"
        )],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for leftover in state.iterdir():
            if leftover.name != "articles.sqlite3" and leftover.is_file():
                leftover.unlink()  # owner.pid, and the lock file an older release used
        (state / "lock").unlink(missing_ok=True)
        run = crawl(tmp_path, demo_server.base_url)
        assert run.returncode == 1, run.stderr[-3000:]
        assert "another run is using the state" in last_line(run)
        assert demo_server.hits() == []
    finally:
        holder.kill()
        holder.communicate()
    # the kernel drops the lock with the process: the next run goes ahead
    with ArticleStateStore(state) as store:
        assert len(store) == 0
