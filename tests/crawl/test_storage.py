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
