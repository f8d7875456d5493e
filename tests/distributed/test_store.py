"""The Redis article store answers as the SQLite one does, and claims each article for one worker.

The contract tests run the same calls on both stores (tmp_path SQLite, a real Redis); the claim
tests run the dedup policy's verdicts (parkcrawl.dedup) on every implementation of ``claim`` —
memory, SQLite, Redis — and many threads racing for one article on Redis.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parkcrawl.dedup import MemoryClaims
from parkcrawl.distributed.store import RedisArticleStateStore
from parkcrawl.storage import ArticleStateStore

H1, H2, H3 = "a" * 64, "b" * 64, "c" * 64
SIM = 0x0F0F_F0F0_1234_ABCD
NEAR = SIM ^ 0b111  # 3 bits apart: a near duplicate
FAR = SIM ^ ((1 << 40) - 1)  # 40 bits apart: another article


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        store: Any = ArticleStateStore(tmp_path / "state")
    else:
        client = request.getfixturevalue("redis_client")
        store = RedisArticleStateStore(client, request.getfixturevalue("redis_prefix"))
    store.open()
    yield store
    store.close()


def test_an_unknown_article(store: Any) -> None:
    assert store.get("h/a1") is None
    assert not store.contains("h/a1")
    assert store.key_for_hash(H1) is None
    assert store.same_title("园区召开会议") == []
    assert len(store) == 0


def test_add_then_read_back(store: Any) -> None:
    seen = store.add(
        "h/a1", "http://h/a1", H1, "2024-10-22T01:00:00Z", published_at="2024-10-22T09:40+08:00",
        etag='"e1"', last_modified="Tue, 22 Oct 2024 01:00:00 GMT", title_key="园区召开会议",
        simhash=SIM,
    )
    assert (seen.revision, seen.first_seen_at) == (1, "2024-10-22T01:00:00Z")
    got = store.get("h/a1")
    assert got == seen
    assert store.contains("h/a1")
    assert store.key_for_hash(H1) == "h/a1"
    assert store.same_title("园区召开会议") == [("h/a1", SIM)]
    assert len(store) == 1


def test_a_changed_article_is_a_new_revision_keeping_first_seen(store: Any) -> None:
    store.add("h/a1", "http://h/a1", H1, "2024-10-22T01:00:00Z", title_key="旧标题", simhash=SIM)
    # same content again: same revision, later last_seen
    again = store.add("h/a1", "http://h/a1", H1, "2024-10-23T01:00:00Z", title_key="旧标题",
                      simhash=SIM)
    assert (again.revision, again.first_seen_at, again.last_seen_at) == (
        1, "2024-10-22T01:00:00Z", "2024-10-23T01:00:00Z")
    changed = store.add("h/a1", "http://h/a1", H2, "2024-10-24T01:00:00Z", title_key="新标题",
                        simhash=FAR)
    assert (changed.revision, changed.first_seen_at) == (2, "2024-10-22T01:00:00Z")
    # the indexes follow the article: its old hash and title no longer find it
    assert store.key_for_hash(H1) is None
    assert store.key_for_hash(H2) == "h/a1"
    assert store.same_title("旧标题") == []
    assert store.same_title("新标题") == [("h/a1", FAR)]
    assert len(store) == 1


def test_touch_and_published_since(store: Any) -> None:
    store.add("h/old", "http://h/old", H1, "2024-01-01T00:00:00Z", published_at="2023-12-31")
    store.add("h/new", "http://h/new", H2, "2024-01-01T00:00:00Z",
              published_at="2024-10-22T09:40+08:00")
    store.add("h/undated", "http://h/undated", H3, "2024-01-01T00:00:00Z")
    store.touch("h/new", "2024-10-30T00:00:00Z")
    assert store.get("h/new").last_seen_at == "2024-10-30T00:00:00Z"
    assert [a.key for a in store.published_since("2024-10-22")] == ["h/new"]
    assert sorted(a.key for a in store.published_since("2023-01-01")) == ["h/new", "h/old"]
    store.touch("h/unknown", "2024-10-30T00:00:00Z")  # nothing to touch: no article appears
    assert not store.contains("h/unknown")


def test_meta(store: Any) -> None:
    assert store.get_meta("walk_complete") is None
    store.set_meta("walk_complete", "1")
    store.add("h/a1", "http://h/a1", H1, "2024-01-01T00:00:00Z", meta={"offset:/out.jsonl": "120"})
    assert store.get_meta("walk_complete") == "1"
    assert store.get_meta("offset:/out.jsonl") == "120"


def test_output_offsets_are_kept_per_machine(redis_client: Any, redis_prefix: str) -> None:
    # Each worker appends to a file of its own machine; one path on two machines is two files.
    one = RedisArticleStateStore(redis_client, redis_prefix, host="worker-1")
    two = RedisArticleStateStore(redis_client, redis_prefix, host="worker-2")
    one.set_meta("offset:/srv/out.jsonl", "100")
    two.set_meta("offset:/srv/out.jsonl", "7")
    one.set_meta("walk_complete", "1")
    assert (one.get_meta("offset:/srv/out.jsonl"), two.get_meta("offset:/srv/out.jsonl")) == (
        "100", "7")
    assert two.get_meta("walk_complete") == "1"


# --- claims: the dedup policy (parkcrawl.dedup), the same verdicts from every store --------


def _claims_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if kind == "memory":
        yield MemoryClaims()
        return
    if kind == "sqlite":
        store: Any = ArticleStateStore(tmp_path / "state")
    else:
        store = RedisArticleStateStore(
            request.getfixturevalue("redis_client"), request.getfixturevalue("redis_prefix")
        )
    store.open()
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite", "redis"])
def claims_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each implementation of ``claim``: no state, the SQLite state, Redis (distributed)."""
    yield from _claims_store(request.param, request, tmp_path)


@pytest.fixture(params=["sqlite", "redis"])
def redis_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A store that keeps state, for the policy's across-runs steps: SQLite and Redis."""
    yield from _claims_store(request.param, request, tmp_path)


def claim(store: Any, run: str, key: str, digest: str, title: str = "标题",
          sim: int = SIM, **kw: Any) -> tuple[str, str]:
    prefix = getattr(store, "prefix", "local")
    verdict = store.claim(f"{prefix}:run:{run}", key, f"http://{key}", digest, title, sim,
                          "2024-10-30T00:00:00Z", **kw)
    return verdict.event, verdict.other


@pytest.mark.parametrize(
    ("second", "verdict"),
    [
        # the same URL again
        (("h/a1", H1, "标题", SIM), ("url_duplicate", "http://h/a1")),
        # the same content at another URL
        (("h/a2", H1, "另一个", FAR), ("content_duplicate", "http://h/a1")),
        # same title, SimHash 3 bits away
        (("h/a2", H2, "标题", NEAR), ("near_duplicate", "http://h/a1")),
        # same title, a different body
        (("h/a2", H2, "标题", FAR), ("new", "")),
        # another title, near SimHash: near duplicates are looked for among the same title only
        (("h/a2", H2, "另一个", NEAR), ("new", "")),
    ],
)
def test_within_a_run(claims_store: Any, second: tuple, verdict: tuple) -> None:
    assert claim(claims_store, "1", "h/a1", H1) == ("new", "")
    assert claim(claims_store, "1", *second) == verdict


def test_against_earlier_runs(redis_store: RedisArticleStateStore) -> None:
    redis_store.add("h/a1", "http://h/a1", H1, "2024-10-01T00:00:00Z", title_key="标题",
                    simhash=SIM)
    # unchanged: dropped, and seen again
    assert claim(redis_store, "2", "h/a1", H1) == ("unchanged", "h/a1")
    assert redis_store.get("h/a1").last_seen_at == "2024-10-30T00:00:00Z"
    # a copy of a known article at another URL, or a near duplicate of one
    assert claim(redis_store, "2", "h/copy", H1, "别的") == ("content_duplicate", "h/a1")
    assert claim(redis_store, "2", "h/near", H2, "标题", NEAR) == ("near_duplicate", "h/a1")
    # changed: the next revision, first seen kept
    prefix = getattr(redis_store, "prefix", "local")
    verdict = redis_store.claim(f"{prefix}:run:3", "h/a1", "http://h/a1", H3, "标题",
                                FAR, "2024-10-31T00:00:00Z")
    assert (verdict.event, verdict.revision, verdict.first_seen_at) == (
        "changed", 2, "2024-10-01T00:00:00Z")


def test_without_the_state_only_the_run_counts(redis_store: RedisArticleStateStore) -> None:
    redis_store.add("h/a1", "http://h/a1", H1, "2024-10-01T00:00:00Z", title_key="标题",
                    simhash=SIM)
    assert claim(redis_store, "2", "h/a1", H1, use_state=False) == ("new", "")
    assert claim(redis_store, "2", "h/a1", H1, use_state=False) == ("url_duplicate", "http://h/a1")


def test_runs_do_not_share_claims(claims_store: Any) -> None:
    assert claim(claims_store, "1", "h/a1", H1, use_state=False) == ("new", "")
    assert claim(claims_store, "2", "h/a1", H1, use_state=False) == ("new", "")


def test_racing_workers_claim_an_article_once(redis_server: str, redis_prefix: str) -> None:
    """16 workers, each with its own connection, offer the same 50 articles (some as copies)."""
    import redis

    articles = [(f"h/a{i}", f"{i:064x}", f"标题{i}", SIM ^ (i << 20)) for i in range(50)]
    # every fifth article also appears at a second URL with the same content
    offers = articles + [(f"h/copy{i}", d, t, s) for i, (_, d, t, s) in enumerate(articles) if i % 5 == 0]
    won: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def worker(n: int) -> None:
        store = RedisArticleStateStore(redis.Redis.from_url(redis_server, decode_responses=True),
                                       redis_prefix)
        start.wait()
        for key, digest, title, sim in offers[n % 7:] + offers[: n % 7]:
            verdict = store.claim(f"{redis_prefix}:run:1", key, f"http://{key}", digest, title,
                                  sim, "2024-10-30T00:00:00Z")
            if verdict.claimed:
                with lock:
                    won.append(digest)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(won) == sorted(digest for _, digest, _, _ in articles)


def test_the_articles_missing_from_the_archive(store: Any) -> None:
    """What CrawlState keeps of an archive's failure: keys added and removed by what changed."""
    assert store.unarchived() == set()
    store.mark_unarchived({"h/a1", "h/a2"}, set())
    store.mark_unarchived({"h/a3"}, {"h/a1"})  # another worker, or a later run, archived a1
    assert store.unarchived() == {"h/a2", "h/a3"}
    store.mark_unarchived(set(), {"h/a2", "h/a3", "h/never"})
    assert store.unarchived() == set()


def test_two_workers_adding_at_once_lose_nothing(store: Any) -> None:
    # Each worker adds its own failed articles from what it read at open, not a whole list:
    # neither overwrites the other's.
    seen_by_first, seen_by_second = store.unarchived(), store.unarchived()
    assert seen_by_first == seen_by_second == set()
    store.mark_unarchived({"h/a1"}, set())
    store.mark_unarchived({"h/b1"}, set())
    assert store.unarchived() == {"h/a1", "h/b1"}
