"""Spider contracts for `scrapy check parknews` (SPIDER_CONTRACTS in settings.py).

Scrapy's ``@url`` holds a fixed address, but the demo site (and any test server) listens on a
port chosen at start, and a real site has pages of its own, so the parknews callbacks name their
sample page with ``@page NAME``: the page of that name in ``PARKCRAWL_CHECK_PAGES``, resolved
against the crawl's start URL (``-a start_url=…`` or ``PARKCRAWL_START_URL``)::

    scrapy check parknews -a start_url=http://127.0.0.1:8000/index.html

``@follows``, ``@requests`` and ``@filled`` say what a callback hands on: the callbacks its
requests go to, how many go to one of them, and the item fields it must set (Scrapy's
``@scrapes`` only checks that a field *exists*, which every field of a dataclass item does).
The contracts hold for any site this spider crawls; the demo's exact counts are asserted by
tests/ops/test_contracts_and_parse.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


def _callback_name(request: Request) -> str:
    return getattr(request.callback, "__name__", repr(request.callback))


class PageContract(Contract):
    """``@page NAME``: the sample request is page NAME of PARKCRAWL_CHECK_PAGES, resolved
    against the spider's start URL."""

    name = "page"

    def __init__(self, method: Any, *args: Any):
        super().__init__(method, *args)
        # `scrapy check` builds contracts from the bound callback, so the spider, with its
        # validated start_url and its crawler's settings, is at hand.
        self.spider = method.__self__

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        name = self.args[0]
        pages = {"home": "", **self.spider.crawler.settings.getdict("PARKCRAWL_CHECK_PAGES")}
        if name not in pages:
            raise ValueError(f"no sample page {name!r} in PARKCRAWL_CHECK_PAGES")
        args["url"] = urljoin(self.spider.start_url, pages[name])
        return args


class FollowsContract(Contract):
    """``@follows CALLBACK …``: every request the callback returns goes to one of these callbacks."""

    name = "follows"

    def post_process(self, output: list[Any]) -> None:
        wrong = sorted({
            _callback_name(request)
            for request in output
            if isinstance(request, Request) and _callback_name(request) not in self.args
        })
        if wrong:
            raise ContractFail(
                f"requests go to {', '.join(wrong)}, expected only {', '.join(self.args)}"
            )


class RequestsContract(Contract):
    """``@requests CALLBACK MIN [MAX]``: between MIN and MAX of the requests go to CALLBACK."""

    name = "requests"

    def post_process(self, output: list[Any]) -> None:
        callback, low = self.args[0], int(self.args[1])
        high = int(self.args[2]) if len(self.args) > 2 else None
        count = sum(
            1 for request in output
            if isinstance(request, Request) and _callback_name(request) == callback
        )
        if count < low or (high is not None and count > high):
            expected = f"{low}..{high if high is not None else ''}"
            raise ContractFail(f"{count} requests to {callback}, expected {expected}")


class FilledContract(Contract):
    """``@filled FIELD …``: every item the callback returns has these fields set (not empty)."""

    name = "filled"

    def post_process(self, output: list[Any]) -> None:
        for item in output:
            if not is_item(item):
                continue
            adapter = ItemAdapter(item)
            empty = [name for name in self.args if adapter.get(name) in (None, "", b"", [], {})]
            if empty:
                raise ContractFail(f"empty fields: {', '.join(empty)}")
