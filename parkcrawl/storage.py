"""Persistent crawl state in SQLite: every article seen, its content hash and revision.

One run at a time: ``open()`` takes an exclusive ``flock`` on the database file itself, held for
as long as the store is open. Deleting any file cannot release it, and the kernel drops it when
the process dies, so a second run is refused while the first lives and never after. (SQLite's own
locks are POSIX record locks, which on Linux are independent of ``flock``; the descriptor stays
open until the database is closed, since closing a descriptor drops a process's POSIX locks.)

``open()`` also checks that the file is a usable state before any request is made — an SQLite
database (not truncated, not random bytes, not a directory), with this release's schema or an
older one (migrated in place), and writable — and raises :class:`StateError` with one line
naming the file and what to do otherwise. Every change is committed at once, so a killed run
leaves the state as of its last recorded article.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parkcrawl.dedup import Claim, decide

DB_NAME = "articles.sqlite3"
# KiB of page cache for a private table that grows with the run and is looked up at random
# (the run's claims; the WARC's payload digests keep as much, archive/warc.py): the pages a
# look-up walks, not the table. The state file's own tables get as much, for the same reason.
TEMP_CACHE_KIB = 256
STATE_CACHE_KIB = 256
# The meta name of the articles recorded whose page is not in the WARC archive.
UNARCHIVED_META = "unarchived"
# PRAGMA user_version of this release's schema. 0: a database of the first release (article
# without title_key/simhash, no meta table) or a new one; migrated by _migrate.
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS article (
    key            TEXT PRIMARY KEY,   -- canonical URL
    url            TEXT NOT NULL,      -- URL as last fetched
    content_hash   TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    first_seen_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    published_at   TEXT,
    etag           TEXT,
    last_modified  TEXT,
    title_key      TEXT,               -- normalized title: where near duplicates are looked for
    simhash        INTEGER             -- SimHash of the body, as a signed 64-bit integer
);
CREATE INDEX IF NOT EXISTS article_hash ON article (content_hash);
CREATE INDEX IF NOT EXISTS article_published ON article (published_at);
CREATE INDEX IF NOT EXISTS article_title ON article (title_key);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
"""
# Columns every release's article table has; a table without them is not parkcrawl's.
_REQUIRED_COLUMNS = frozenset(
    {"key", "url", "content_hash", "revision", "first_seen_at", "last_seen_at"}
)
# Columns added since the first release, with their types: added by _migrate.
_ADDED_COLUMNS = (("published_at", "TEXT"), ("etag", "TEXT"), ("last_modified", "TEXT"),
                  ("title_key", "TEXT"), ("simhash", "INTEGER"))
_COLUMNS = (
    "key, url, content_hash, revision, first_seen_at, last_seen_at, published_at, etag,"
    " last_modified"
)
# SQLite errors that say the disk, not the file, is the problem (full, read-only, I/O).
_DISK_ERRORS = (
    "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
    "SQLITE_BUSY", "SQLITE_LOCKED",  # another program (not a crawl) holds it
)
ADVICE = "move it aside to start afresh (every article is then emitted again), or run `parkcrawl state check`"


def _signed(h: int) -> int:
    """SQLite integers are signed 64-bit."""
    return h - (1 << 64) if h >= 1 << 63 else h


def _unsigned(h: int) -> int:
    return h + (1 << 64) if h < 0 else h


class StateError(RuntimeError):
    """The state cannot be used; the message is one line naming the file and what to do."""


class StateLockedError(StateError):
    """Another run holds the state."""


def _describe(exc: BaseException) -> str:
    """An OS or SQLite error in a few words: "No space left on device", "file is not a database"."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


@dataclass(frozen=True)
class SeenArticle:
    key: str
    url: str
    content_hash: str
    revision: int
    first_seen_at: str
    last_seen_at: str
    published_at: str | None
    etag: str | None
    last_modified: str | None


# A run's claims live in a TEMP table: private to the connection, gone when it closes (a killed
# run leaves nothing behind), never journalled to the state file, and paged to a temporary file
# by SQLite beyond its small page cache, so a run of 50,000 articles holds no more memory than
# one of 1,000 (in Python sets they took ~0.6 KB an article).
RUN_CLAIMS_SCHEMA = """
CREATE TEMP TABLE IF NOT EXISTS run_claim (
    run           TEXT NOT NULL,
    key           TEXT NOT NULL,
    url           TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    title_key     TEXT NOT NULL,
    simhash       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS temp.run_claim_key ON run_claim (run, key);
CREATE INDEX IF NOT EXISTS temp.run_claim_hash ON run_claim (run, content_hash);
CREATE INDEX IF NOT EXISTS temp.run_claim_title ON run_claim (run, title_key);
"""


class RunClaimsTable:
    """One run's claims (parkcrawl.dedup.Claims) in the state connection's temporary table."""

    def __init__(self, db: sqlite3.Connection, run: str) -> None:
        self.db = db
        self.run = run
        for statement in RUN_CLAIMS_SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)

    def url_of(self, key: str) -> str | None:
        row = self.db.execute(
            "SELECT url FROM run_claim WHERE run = ? AND key = ? ORDER BY rowid LIMIT 1",
            (self.run, key),
        ).fetchone()
        return row[0] if row else None

    def copy_of(self, content_hash: str) -> str | None:
        # the latest claim holding it, as a dict keyed by hash answered
        row = self.db.execute(
            "SELECT url FROM run_claim WHERE run = ? AND content_hash = ? ORDER BY rowid DESC"
            " LIMIT 1",
            (self.run, content_hash),
        ).fetchone()
        return row[0] if row else None

    def same_title(self, title_key: str) -> list[tuple[int, str]]:
        rows = self.db.execute(
            "SELECT simhash, url FROM run_claim WHERE run = ? AND title_key = ? ORDER BY rowid",
            (self.run, title_key),
        ).fetchall()
        return [(_unsigned(h), url) for h, url in rows]

    def add(self, key: str, url: str, content_hash: str, title_key: str, simhash: int) -> None:
        self.db.execute(
            "INSERT INTO run_claim VALUES (?, ?, ?, ?, ?, ?)",
            (self.run, key, url, content_hash, title_key, _signed(simhash)),
        )


class ArticleStateStore:
    """The articles seen by earlier runs, keyed by canonical URL."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self._db: sqlite3.Connection | None = None
        self._lock_fd: int | None = None
        self._in_batch = False
        # Each run's claims (parkcrawl.dedup), in a temporary table of this connection.
        self._runs: dict[str, RunClaimsTable] = {}

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("state store is not open")
        return self._db

    def open(self) -> None:
        """Lock, check and (if older) migrate the state; StateError says why it cannot be used."""
        path = self.path
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"cannot create the state folder {self.directory}: {_describe(exc)}"
            ) from None
        if path.is_dir():
            raise StateError(f"state file {path} is a directory, not a database: {ADVICE}")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StateError(
                f"cannot open the state file {path} for writing: {_describe(exc)}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StateLockedError(
                f"another run is using the state in {self.directory}{self._holder()}; "
                "wait for it to finish"
            ) from None
        self._lock_fd = fd
        try:
            self._db = self._connect()
        except BaseException:
            self.close()
            raise
        self._write_owner()

    def _holder(self) -> str:
        try:
            pid = (self.directory / "owner.pid").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return f" (pid {pid})" if pid.isdigit() else ""

    def _write_owner(self) -> None:
        # Only to name the holder in the message above: the lock itself is the flock.
        try:
            (self.directory / "owner.pid").write_text(str(os.getpid()), encoding="ascii")
        except OSError:
            pass

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # the run's claims (RunClaimsTable) page out to a file, whatever SQLite's build default
            db.execute("PRAGMA temp_store=FILE")
            # and keep TEMP_CACHE_KIB of it in memory, not SQLite's 2 MB: its look-ups are by
            # hash, at random, so a bigger cache saves little (issue 16: peak RSS at 10,000
            # articles 139.5 -> 136.6 MB with the WARC's digest table below, pages/s the same)
            db.execute(f"PRAGMA temp.cache_size = -{TEMP_CACHE_KIB}")
            # The state's articles are looked up by URL, hash and title, at random too: SQLite's
            # 2 MB cache filled with the state (a run of 50,000 articles: peak RSS 143.8 ->
            # 141.9 MB, pages/s 431 -> 425, one run each), while 1,000 never filled it.
            db.execute(f"PRAGMA main.cache_size = -{STATE_CACHE_KIB}")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StateError(f"state file {path} is damaged ({check}): {ADVICE}")
            self._migrate(db)
            # A write now proves the file, its folder and the disk take writes, before any
            # request is made rather than after the first article.
            db.execute("INSERT OR REPLACE INTO meta VALUES ('opened_by_pid', ?)", (str(os.getpid()),))
        except sqlite3.Error as exc:
            db.close()
            if (getattr(exc, "sqlite_errorname", "") or "").startswith(_DISK_ERRORS):
                # The file may be fine; the disk or its permissions are not.
                raise StateError(f"cannot write the state file {path}: {exc}") from None
            raise StateError(
                f"state file {path} is not a usable parkcrawl state ({_describe(exc)}): {ADVICE}"
            ) from None
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring a state of an older release to this schema; refuse one that is not ours."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(
                f"state file {self.path} was written by a newer parkcrawl (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}): upgrade parkcrawl or {ADVICE}"
            )
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {row[1] for row in db.execute("PRAGMA table_info(article)")}
        if tables and "article" not in tables or columns and not _REQUIRED_COLUMNS <= columns:
            raise StateError(
                f"state file {self.path} is an SQLite database but not a parkcrawl state "
                f"(tables: {', '.join(sorted(tables))}): {ADVICE}"
            )
        if version == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            for name, kind in _ADDED_COLUMNS:
                if columns and name not in columns:
                    db.execute(f"ALTER TABLE article ADD COLUMN {name} {kind}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._runs.clear()  # their table goes with the connection
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_fd is not None:
            # Closing the descriptor releases the flock (and must come after SQLite is closed).
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> ArticleStateStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the changes made inside (nested batches join the outer one)."""
        if self._in_batch:
            yield
            return
        self.db.execute("BEGIN")
        self._in_batch = True
        try:
            yield
        except BaseException:
            self._in_batch = False
            self.db.execute("ROLLBACK")
            raise
        self._in_batch = False
        self.db.execute("COMMIT")

    def get(self, key: str) -> SeenArticle | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM article WHERE key = ?", (key,)).fetchone()
        return SeenArticle(*row) if row else None

    def contains(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM article WHERE key = ?", (key,)).fetchone() is not None

    def key_for_hash(self, content_hash: str) -> str | None:
        """The article already holding this content, if any (a copy at another URL)."""
        row = self.db.execute(
            "SELECT key FROM article WHERE content_hash = ? LIMIT 1", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def add(
        self,
        key: str,
        url: str,
        content_hash: str,
        seen_at: str,
        *,
        published_at: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title_key: str | None = None,
        simhash: int | None = None,
        meta: dict[str, str] | None = None,
    ) -> SeenArticle:
        """Record an article as written; a new hash for a known key is a new revision.

        ``meta`` entries are written in the same transaction (e.g. the output file's offset)."""
        old = self.get(key)
        if old is None:
            revision, first_seen = 1, seen_at
        elif old.content_hash == content_hash:
            revision, first_seen = old.revision, old.first_seen_at
        else:
            revision, first_seen = old.revision + 1, old.first_seen_at
        with self.batch():
            self.db.execute(
                "INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, url, content_hash, revision, first_seen, seen_at, published_at, etag,
                 last_modified, title_key, None if simhash is None else _signed(simhash)),
            )
            for name, value in (meta or {}).items():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
        return SeenArticle(key, url, content_hash, revision, first_seen, seen_at, published_at,
                           etag, last_modified)

    def claim(
        self, run_prefix: str, key: str, url: str, content_hash: str, title_key: str,
        simhash: int, seen_at: str, *, use_state: bool = True,
    ) -> Claim:
        """The dedup verdict on one article of run ``run_prefix`` (see parkcrawl.dedup)."""
        run = self._runs.get(run_prefix)
        if run is None:
            run = self._runs[run_prefix] = RunClaimsTable(self.db, run_prefix)
        known = self if use_state else None
        return decide(run, known, key, url, content_hash, title_key, simhash, seen_at)

    def same_title(self, title_key: str) -> list[tuple[str, int]]:
        """(key, simhash) of known articles with this normalized title: near-duplicate candidates."""
        rows = self.db.execute(
            "SELECT key, simhash FROM article WHERE title_key = ? AND simhash IS NOT NULL",
            (title_key,),
        ).fetchall()
        return [(key, _unsigned(h)) for key, h in rows]

    def get_meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    # Articles recorded whose page is not in the WARC archive (parkcrawl.state.CrawlState): a JSON
    # list in the meta table; one process holds the state (its lock), so a read-modify-write.
    def unarchived(self) -> set[str]:
        """The keys; ValueError when the stored list is unreadable."""
        raw = self.get_meta(UNARCHIVED_META)
        if not raw:
            return set()
        keys = json.loads(raw)
        if not isinstance(keys, list):
            raise ValueError(f"not a list: {raw[:80]!r}")
        return {str(key) for key in keys}

    def mark_unarchived(self, added: Iterable[str], archived: Iterable[str]) -> None:
        try:
            keys = self.unarchived()
        except ValueError:
            keys = set()  # unreadable: written anew
        keys = (keys | set(added)) - set(archived)
        self.set_meta(UNARCHIVED_META, json.dumps(sorted(keys), ensure_ascii=False))

    def touch(self, key: str, seen_at: str) -> None:
        """Note that a known, unchanged article was seen again."""
        self.db.execute("UPDATE article SET last_seen_at = ? WHERE key = ?", (seen_at, key))

    def published_since(self, date: str) -> list[SeenArticle]:
        """Known articles published on or after ``date`` (YYYY-MM-DD), for re-checking edits."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM article WHERE substr(published_at, 1, 10) >= ?", (date,)
        ).fetchall()
        return [SeenArticle(*row) for row in rows]

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM article").fetchone()[0]

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]
