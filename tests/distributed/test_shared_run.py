"""SharedRun: how workers join a run, take requests, and agree that it is over (a real Redis).

No reactor and no timing: each step is a Lua script, and a silent worker is made old by writing
its heartbeat score, not by waiting.
"""

from __future__ import annotations

from typing import Any

import pytest

from parkcrawl.distributed.run import RUN_KEYS, SharedRun
from parkcrawl.state import WALK_COMPLETE


@pytest.fixture
def workers(redis_server: str, redis_prefix: str, redis_client: Any) -> Any:
    import redis

    def make(name: str, timeout: float = 120) -> SharedRun:
        # scrapy-redis's own connection returns bytes; so does this one.
        return SharedRun(redis.Redis.from_url(redis_server), redis_prefix, name, timeout)

    return make


def push(client: Any, run: SharedRun, *requests: str) -> None:
    for score, request in enumerate(requests):
        client.zadd(run.key("requests"), {request: score})


def test_the_first_worker_starts_a_run_the_next_join_it(workers: Any, redis_client: Any) -> None:
    a, b = workers("a"), workers("b")
    assert a.join() == "1"
    assert b.join() == "1"
    info = redis_client.hgetall(a.key("info"))
    assert info == {"previous_walk_complete": "0", "started_by": "a", "workers": "2"}
    # a joining worker counts as busy until its first idle: its start requests are on their way
    # (scored by Redis's clock in seconds, so the two may fall in different seconds)
    assert sorted(redis_client.zrange(a.key("workers"), 0, -1)) == ["a", "b"]


def test_pop_takes_the_best_request_and_marks_the_worker_busy(
    workers: Any, redis_client: Any
) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    assert a.idle() == "wait"  # b is still busy
    assert redis_client.zrange(a.key("workers"), 0, -1) == ["b"]
    push(redis_client, a, "first", "second")  # scores 0 and 1: scrapy-redis's -priority
    assert a.pop() == b"first"
    # Scored by Redis's clock in seconds: b joined in this second or the one before.
    assert sorted(redis_client.zrange(a.key("workers"), 0, -1)) == ["a", "b"]
    assert a.pop() == b"second"
    assert a.pop() is None


def test_idle_waits_while_another_worker_is_busy_and_ends_with_the_last(
    workers: Any, redis_client: Any
) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    push(redis_client, a, "r1")
    assert b.idle() == "work"  # b unmarks itself, but the queue still has a request
    assert b.pop() == b"r1"    # b takes it and is busy again
    assert a.idle() == "wait"  # a is idle; b holds a request that may add more
    push(redis_client, a, "r2")  # b's page linked another page
    assert a.idle() == "work"
    assert a.pop() == b"r2"
    assert b.idle() == "wait"  # a now holds r2
    assert a.idle() == "done"  # the last idle worker ends the run...
    assert b.idle() == "gone"  # ...and the other learns it is over
    assert a.finished and b.finished


def test_the_end_records_a_complete_walk_and_deletes_the_run(
    workers: Any, redis_client: Any, redis_prefix: str
) -> None:
    a = workers("a")
    a.join()
    push(redis_client, a, "r1")
    a.pop()
    redis_client.sadd(a.key("dupefilter"), "fp")
    redis_client.hset(a.key("urls"), "h/a1", "http://h/a1")
    assert a.idle() == "done"
    assert redis_client.hget(f"{redis_prefix}:state:meta", WALK_COMPLETE) == "1"
    assert [k for k in redis_client.scan_iter(f"{redis_prefix}:run:*")] == []
    assert redis_client.get(f"{redis_prefix}:run") is None
    last = redis_client.hgetall(f"{redis_prefix}:last_run")
    assert (last["id"], last["finished_by"], "failed" in last) == ("1", "a", False)
    # the next crawl is a new run that knows the last walk was complete
    b = workers("b")
    assert b.join() == "2"
    assert b.previous_walk_complete
    # ...and until it completes, the state says "not complete"
    assert redis_client.hget(f"{redis_prefix}:state:meta", WALK_COMPLETE) == "0"
    assert set(RUN_KEYS) >= {"requests", "dupefilter", "urls", "hashes", "titles"}


def test_a_failed_share_makes_the_walk_incomplete(
    workers: Any, redis_client: Any, redis_prefix: str
) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    assert a.idle("list page http://h/list_2.html lost") == "wait"
    assert b.idle() == "done"
    assert redis_client.hget(f"{redis_prefix}:state:meta", WALK_COMPLETE) == "0"
    assert redis_client.hget(f"{redis_prefix}:last_run", "failed") == (
        "list page http://h/list_2.html lost")
    assert not workers("c").previous_walk_complete  # not joined yet
    c = workers("c")
    c.join()
    assert not c.previous_walk_complete


def test_a_worker_leaving_with_requests_in_flight_fails_the_walk(
    workers: Any, redis_client: Any, redis_prefix: str
) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    assert a.leave() is True  # still busy (joined, never idle): its requests are lost
    assert b.idle() == "done"
    assert redis_client.hget(f"{redis_prefix}:last_run", "failed") == (
        "worker a left with requests in flight")


def test_an_idle_worker_may_leave_freely(workers: Any, redis_client: Any, redis_prefix: str) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    assert a.idle() == "wait"
    assert a.leave() is False
    assert b.idle() == "done"
    assert redis_client.hget(f"{redis_prefix}:state:meta", WALK_COMPLETE) == "1"


def test_a_silent_worker_is_evicted_and_the_walk_marked_incomplete(
    workers: Any, redis_client: Any, redis_prefix: str
) -> None:
    a, b = workers("a", timeout=60), workers("b", timeout=60)
    a.join()
    b.join()
    a.heartbeat()
    # b was killed: its last heartbeat is two minutes old
    redis_client.zadd(a.key("workers"), {"b": int(redis_client.time()[0]) - 120})
    assert a.idle() == "done"
    assert redis_client.hget(f"{redis_prefix}:last_run", "failed") == (
        "worker b stopped answering with requests in flight")


def test_heartbeat_refreshes_only_a_busy_worker(workers: Any, redis_client: Any) -> None:
    a, b = workers("a"), workers("b")
    a.join()
    b.join()
    redis_client.zadd(a.key("workers"), {"a": 5})
    a.heartbeat()
    assert redis_client.zscore(a.key("workers"), "a") > 5
    assert a.idle() == "wait"
    a.heartbeat()  # idle: it does not put itself back
    assert redis_client.zrange(a.key("workers"), 0, -1) == ["b"]
