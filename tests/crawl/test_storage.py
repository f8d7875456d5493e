"""The SQLite state store: revisions, content lookups, and one run at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkcrawl.storage import ArticleStateStore, StateLockedError


def test_add_get_and_revisions(tmp_path: Path) -> None:
    with ArticleStateStore(tmp_path) as store:
        first = store.add("k/1", "http://k/1", "h1", "2024-01-01T00:00:00Z", published_at="2024-01-01")
        assert (first.revision, first.first_seen_at) == (1, "2024-01-01T00:00:00Z")
        same = store.add("k/1", "http://k/1", "h1", "2024-01-02T00:00:00Z")
        assert same.revision == 1  # unchanged content is not a new revision
        edited = store.add("k/1", "http://k/1", "h2", "2024-01-03T00:00:00Z")
        assert (edited.revision, edited.first_seen_at) == (2, "2024-01-01T00:00:00Z")
        assert store.key_for_hash("h2") == "k/1" and store.key_for_hash("h1") is None
        assert store.contains("k/1") and not store.contains("k/2")
        assert len(store) == 1


def test_state_survives_reopen(tmp_path: Path) -> None:
    with ArticleStateStore(tmp_path) as store:
        store.add("k/1", "http://k/1", "h1", "t1", published_at="2024-03-05T09:30+08:00")
    with ArticleStateStore(tmp_path) as store:
        seen = store.get("k/1")
        assert seen is not None and seen.content_hash == "h1"
        assert [a.key for a in store.published_since("2024-03-01")] == ["k/1"]
        assert store.published_since("2024-03-06") == []


def test_second_run_is_refused_while_the_first_holds_the_state(tmp_path: Path) -> None:
    with ArticleStateStore(tmp_path):
        with pytest.raises(StateLockedError, match="another run is using the state"):
            ArticleStateStore(tmp_path).open()
    # released on close: the next run may start
    with ArticleStateStore(tmp_path) as store:
        assert len(store) == 0


def test_a_runs_claims_live_in_sqlite_and_end_with_the_connection(tmp_path: Path) -> None:
    # Within-run dedup asks the database, not Python sets, so a long run's memory stays flat;
    # the claims are a temporary table, so a reopened state (the next run) starts with none.
    sim = 0x8F0F_F0F0_1234_ABCD  # top bit set: stored signed, read back unsigned
    with ArticleStateStore(tmp_path) as store:
        for n, title in enumerate(("标题", "另一个", "第三个")):
            verdict = store.claim("run", f"k/{n}", f"http://k/{n}", f"h{n}", title, sim, "t")
            assert verdict.event == "new"
        assert store.db.execute("SELECT count(*) FROM temp.run_claim").fetchone() == (3,)
        assert store.db.execute("PRAGMA temp_store").fetchone() == (1,)  # FILE: paged out
        assert store.claim("run", "k/9", "http://k/9", "h9", "标题", sim ^ 0b1, "t").other == "http://k/0"
        assert store.claim("run", "k/1", "http://k/1", "hx", "别的", 1, "t").other == "http://k/1"
        assert store.claim("run", "k/8", "http://k/8", "h2", "别的", 1, "t").other == "http://k/2"
        # another run of the same store claims apart
        assert store.claim("other", "k/0", "http://k/0", "h0", "标题", sim, "t").event == "new"
    with ArticleStateStore(tmp_path) as store:
        assert store.claim("run", "k/0", "http://k/0", "h0", "标题", sim, "t").event == "new"
