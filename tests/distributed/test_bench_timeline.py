"""The timeline tools.distributed_bench reports for each crawl (issue 16: where 2 workers' time goes)."""

from __future__ import annotations

from tools.distributed_bench import timeline

T0 = 1_000_000.0  # the first engine start, epoch seconds


def test_timeline_places_each_worker_and_counts_answers_per_second() -> None:
    stats = [
        {   # the worker that walked to the list page
            "start_time": "1970-01-12T13:46:40+00:00",  # T0
            "finish_time": "1970-01-12T13:46:50.500000+00:00",  # T0 + 10.5
            "response_times": [T0 + 1.0, T0 + 2.0, T0 + 3.0, T0 + 4.2, T0 + 5.3, T0 + 5.4],
            "item_times": [T0 + 5.35, T0 + 5.45],
            "parkcrawl/distributed/left_queued": 7,
        },
        {   # the worker that joined, idle until the list page's articles came
            "start_time": "1970-01-12T13:46:40.250000+00:00",
            "finish_time": "1970-01-12T13:46:50.400000+00:00",
            "response_times": [T0 + 1.1, T0 + 5.35],
            "item_times": [T0 + 5.4],
            "parkcrawl/distributed/idle_waits": 3,
        },
    ]  # fmt: skip
    got = timeline(stats, T0)
    assert got["workers"] == [
        {"start_s": 0.0, "first_answer_s": 1.0, "first_article_s": 5.35, "last_article_s": 5.45,
         "close_s": 10.5, "idle_waits": 0, "left_queued": 7},
        {"start_s": 0.25, "first_answer_s": 1.1, "first_article_s": 5.4, "last_article_s": 5.4,
         "close_s": 10.4, "idle_waits": 3, "left_queued": 0},
    ]  # fmt: skip
    # seconds 0..5: none, robots.txt twice, home, section, list page, three articles
    assert got["answers_per_s"] == [0, 2, 1, 1, 1, 3]


def test_a_worker_without_answers_has_no_times() -> None:
    stats = [{"start_time": "1970-01-12T13:46:40+00:00", "finish_time": "1970-01-12T13:46:41+00:00"}]
    got = timeline(stats, T0)
    assert got["workers"][0]["first_answer_s"] is None
    assert got["workers"][0]["last_article_s"] is None
    assert got["answers_per_s"] == []
