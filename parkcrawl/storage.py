"""Persistent crawl state in SQLite: every article seen, its content hash and revision.

One run at a time: ``open()`` takes an exclusive lock on ``<state dir>/lock`` and a second run
refuses with a clear message instead of racing the first. Every change is committed at once,
so a killed run leaves the state as of its last recorded article.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

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
_COLUMNS = (
    "key, url, content_hash, revision, first_seen_at, last_seen_at, published_at, etag,"
    " last_modified"
)


def _signed(h: int) -> int:
    """SQLite integers are signed 64-bit."""
    return h - (1 << 64) if h >= 1 << 63 else h


def _unsigned(h: int) -> int:
    return h + (1 << 64) if h < 0 else h


class StateLockedError(RuntimeError):
    """Another run holds the state directory."""


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


class ArticleStateStore:
    """The articles seen by earlier runs, keyed by canonical URL."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self._db: sqlite3.Connection | None = None
        self._lock_fd: int | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("state store is not open")
        return self._db

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StateLockedError(
                f"another run is using the state in {self.directory} (pid {holder}); "
                "wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd
        self._db = sqlite3.connect(self.directory / "articles.sqlite3", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> ArticleStateStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, url, content_hash, revision, first_seen, seen_at, published_at, etag,
                 last_modified, title_key, None if simhash is None else _signed(simhash)),
            )
            for name, value in (meta or {}).items():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
        return SeenArticle(key, url, content_hash, revision, first_seen, seen_at, published_at,
                           etag, last_modified)

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
