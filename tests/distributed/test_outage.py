"""RedisOutage against a real Redis that the test stops and starts: quiet retries, one WARNING,
one INFO, and a failure naming Redis once the outage outlasts PARKCRAWL_REDIS_DOWN_TIMEOUT.

The clock and the deadline timer are the test's own, so the policy is checked step by step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.settings import Settings

from parkcrawl.distributed import redis_client
from parkcrawl.distributed.outage import PROBE_INTERVAL, RedisOutage
from tests.distributed.conftest import RedisProcess, start_redis

LOGGER = "parkcrawl.distributed.outage"


class Deadline:
    def __init__(self, delay: float, func: Callable[[], None]):
        self.delay, self.func, self.cancelled = delay, func, False

    def cancel(self) -> None:
        self.cancelled = True


class Harness:
    """A RedisOutage over a real client, with a hand-driven clock and deadline."""

    def __init__(self, server: RedisProcess, timeout: float = 10.0):
        self.server = server
        self.now = 100.0
        self.deadlines: list[Deadline] = []
        self.given_up: list[str] = []
        self.recoveries = 0
        self.attempts = 0
        self.client = redis_client(Settings({"REDIS_URL": server.url}))
        self.outage = RedisOutage(
            server.url, timeout, ping=self.client.ping, give_up=self.given_up.append,
            clock=lambda: self.now, schedule=self.schedule,
        )
        self.outage.on_recovery(self.recovered)

    def schedule(self, delay: float, func: Callable[[], None]) -> Deadline:
        self.deadlines.append(Deadline(delay, func))
        return self.deadlines[-1]

    def recovered(self) -> None:
        self.recoveries += 1

    def ping(self) -> bool:
        self.attempts += 1
        return bool(self.client.ping())

    def call(self) -> object:
        return self.outage.call(self.ping, default="down")


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    server = start_redis(tmp_path / "redis")
    yield Harness(server)
    server.kill()


def outage_log(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_a_short_outage_warns_once_retries_sparingly_and_says_when_it_ends(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    url = harness.server.url
    assert harness.call() is True
    harness.server.stop(save=True)
    assert harness.call() == "down"
    assert harness.outage.down
    # within the probe interval, calls fail at once without trying Redis
    for _ in range(5):
        assert harness.call() == "down"
    assert harness.attempts == 2
    harness.now += PROBE_INTERVAL
    assert harness.call() == "down"
    assert harness.attempts == 3
    harness.server.start()
    harness.now += PROBE_INTERVAL
    assert harness.call() is True
    assert not harness.outage.down
    assert harness.recoveries == 1
    assert [d.cancelled for d in harness.deadlines] == [True]
    assert harness.given_up == []
    log = outage_log(caplog)
    assert [level for level, _ in log] == ["WARNING", "INFO"]
    assert log[0][1].startswith(f"Redis at {url} unreachable (")
    assert log[0][1].endswith("): holding requests and items, retrying for up to 10 s")
    assert log[1][1] == f"Redis at {url} is back after 2.0 s"


def test_an_outage_that_outlasts_the_timeout_gives_up_once_with_redis_named(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    url, port = harness.server.url, harness.server.port
    harness.server.stop()
    assert harness.call() == "down"
    [deadline] = harness.deadlines
    assert deadline.delay == 10.0
    harness.now += 10.0
    deadline.func()  # the timer fires: one last ping, refused
    assert harness.outage.given_up
    [message] = harness.given_up
    assert message.startswith(f"Redis at {url} unreachable for 10 s: ")
    assert f"127.0.0.1:{port}" in message and "refused" in message
    # given up: no more attempts, and no second failure
    harness.now += 100
    assert harness.call() == "down"
    assert harness.attempts == 1
    assert harness.given_up == [message]
    assert [level for level, _ in outage_log(caplog)] == ["WARNING", "ERROR"]


def test_a_call_past_the_deadline_gives_up_even_before_the_timer(harness: Harness) -> None:
    harness.server.stop()
    assert harness.call() == "down"
    harness.now += 10.0
    assert harness.call() == "down"
    assert harness.outage.given_up and len(harness.given_up) == 1
    assert harness.attempts == 1


def test_a_password_never_appears_in_the_messages(tmp_path: Path) -> None:
    outage = RedisOutage("redis://:s3cret@127.0.0.1:1/0", 5, ping=lambda: None, give_up=print,
                         schedule=lambda delay, func: Deadline(delay, func))
    assert outage.url == "redis://***@127.0.0.1:1/0"
