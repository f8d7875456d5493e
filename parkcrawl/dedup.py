"""The dedup policy, once: which article is new, changed, unchanged or a copy of another.

Every store answers one call, ``claim(run, key, url, content_hash, title_key, simhash, seen_at,
use_state=...) -> Claim``: :class:`MemoryClaims` (no state kept), the SQLite
:class:`parkcrawl.storage.ArticleStateStore` and the Redis store of distributed mode
(:mod:`parkcrawl.distributed.store`, which decides in one Lua script so that racing workers claim
an article once). The Python stores decide with :func:`decide`; the Lua script follows the same
steps, and ``tests/distributed/test_store.py`` runs the same claims against SQLite and Redis.
The run's own claims (step 1) are a :class:`Claims`: in memory for MemoryClaims, a temporary
table of the state's connection for SQLite (a long run's memory stays flat), Redis keys for Redis.

The steps, in order — the first that matches is the verdict:

1. within the run: the same canonical URL (``url_duplicate``), the same content hash
   (``content_duplicate``), or the same normalized title with a SimHash within
   ``NEAR_DUPLICATE_BITS`` (``near_duplicate``);
2. against earlier runs (``use_state``): the same URL with the same content (``unchanged``, its
   last-seen time updated) or new content (``changed``: the next revision, first seen kept); a
   new URL holding a known article's content or a near copy of it (``content_duplicate``,
   ``near_duplicate``);
3. otherwise ``new``. A ``new`` or ``changed`` article is reserved for the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from parkcrawl.extract.simhash import is_near_duplicate


class Verdict(StrEnum):
    """What the dedup decided; also the stats key ``parkcrawl/dedup/<verdict>``."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    URL_DUPLICATE = "url_duplicate"
    CONTENT_DUPLICATE = "content_duplicate"
    NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True)
class Claim:
    """The dedup verdict on one article: claimed for this run (new, changed) or why not."""

    event: Verdict
    other: str = ""
    """The URL or key it duplicates, for the dropped article's message."""
    revision: int = 1
    first_seen_at: str | None = None

    @property
    def claimed(self) -> bool:
        return self.event in (Verdict.NEW, Verdict.CHANGED)


class Claims(Protocol):
    """What one run has claimed so far; the policy asks it and adds to it (in memory or SQLite)."""

    def url_of(self, key: str) -> str | None: ...
    def copy_of(self, content_hash: str) -> str | None: ...
    def same_title(self, title_key: str) -> Iterable[tuple[int, str]]: ...
    def add(self, key: str, url: str, content_hash: str, title_key: str, simhash: int) -> None: ...


@dataclass
class RunClaims:
    """What one run has claimed so far, in memory: URLs, content hashes, SimHashes by title."""

    urls: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    titles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def url_of(self, key: str) -> str | None:
        """The URL claimed under this canonical key."""
        return self.urls.get(key)

    def copy_of(self, content_hash: str) -> str | None:
        """The URL of the claimed article holding this content."""
        return self.hashes.get(content_hash)

    def same_title(self, title_key: str) -> Iterable[tuple[int, str]]:
        """(SimHash, URL) of the claimed articles with this normalized title, in claim order."""
        return self.titles.get(title_key, ())

    def add(self, key: str, url: str, content_hash: str, title_key: str, simhash: int) -> None:
        self.urls[key] = url
        self.hashes[content_hash] = url
        self.titles.setdefault(title_key, []).append((simhash, url))


class KnownArticles(Protocol):
    """The persistent side: what earlier runs emitted (ArticleStateStore)."""

    def get(self, key: str) -> Any: ...
    def touch(self, key: str, seen_at: str) -> None: ...
    def key_for_hash(self, content_hash: str) -> str | None: ...
    def same_title(self, title_key: str) -> list[tuple[str, int]]: ...


def decide(
    run: Claims, known: KnownArticles | None, key: str, url: str, content_hash: str,
    title_key: str, simhash: int, seen_at: str,
) -> Claim:
    """The policy's steps (module docstring) over one run's claims and, if given, the state."""
    other = run.url_of(key)
    if other is not None:
        return Claim(Verdict.URL_DUPLICATE, other)
    other = run.copy_of(content_hash)
    if other is not None:
        return Claim(Verdict.CONTENT_DUPLICATE, other)
    for other_hash, other_url in run.same_title(title_key):
        if is_near_duplicate(simhash, other_hash):
            return Claim(Verdict.NEAR_DUPLICATE, other_url)
    claim = Claim(Verdict.NEW)
    if known is not None:
        seen = known.get(key)
        if seen is not None and seen.content_hash == content_hash:
            known.touch(key, seen_at or seen.last_seen_at)
            return Claim(Verdict.UNCHANGED, key)
        if seen is not None:
            claim = Claim(Verdict.CHANGED, key, seen.revision + 1, seen.first_seen_at)
        else:
            copy_of = known.key_for_hash(content_hash)
            if copy_of is not None:
                return Claim(Verdict.CONTENT_DUPLICATE, copy_of)
            for other_key, other_hash in known.same_title(title_key):
                if is_near_duplicate(simhash, other_hash):
                    return Claim(Verdict.NEAR_DUPLICATE, other_key)
    run.add(key, url, content_hash, title_key, simhash)
    return claim


class MemoryClaims:
    """Claims of a crawl that keeps no state (PARKCRAWL_STATE_ENABLED off): within runs only."""

    def __init__(self) -> None:
        self.runs: dict[str, RunClaims] = {}

    def claim(
        self, run_prefix: str, key: str, url: str, content_hash: str, title_key: str,
        simhash: int, seen_at: str, *, use_state: bool = True,
    ) -> Claim:
        run = self.runs.setdefault(run_prefix, RunClaims())
        return decide(run, None, key, url, content_hash, title_key, simhash, seen_at)
