"""Settings for the commands that look at a page rather than run the crawl (shell, fetch, parse,
view, check): they must not write WARC files, touch the incremental state or leave run reports, which
belong to a real crawl's output. ``-s`` on the command line still wins."""

from __future__ import annotations

from typing import Any

NO_CRAWL_OUTPUT = {
    "PARKCRAWL_WARC_ENABLED": False,
    "PARKCRAWL_MIRROR_ENABLED": False,
    "PARKCRAWL_STATE_ENABLED": False,
    "PARKCRAWL_RUNS_DIR": "",
    "PARKCRAWL_PROGRESS_ENABLED": False,
    # One page looked at: a worker process would cost more to start than the page to read.
    "PARKCRAWL_PAGE_PROCESSES": 0,
}


def without_crawl_output(settings: Any) -> None:
    # Above the project's settings.py ("project"), below -s ("cmdline").
    settings.setdict(NO_CRAWL_OUTPUT, priority="spider")
