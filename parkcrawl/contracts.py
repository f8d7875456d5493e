"""Spider contracts for `scrapy check parknews` (SPIDER_CONTRACTS in settings.py).

Scrapy's ``@url`` holds a fixed address, but the demo site (and any test server) listens on a
port chosen at start, so the parknews callbacks name their sample page with ``@page PATH``,
resolved against the crawl's start URL (``-a start_url=…`` or ``PARKCRAWL_START_URL``):

    scrapy check parknews -a start_url=http://127.0.0.1:8000/index.html

``@follows`` and ``@filled`` say what a callback hands on: the callbacks its requests go to, and
the item fields it must set (Scrapy's ``@scrapes`` only checks that a field *exists*, which every
field of a dataclass item always does).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class PageContract(Contract):
    """``@page PATH``: the sample request is PATH resolved against the spider's start URL."""

    name = "page"

    def __init__(self, method: Any, *args: Any):
        super().__init__(method, *args)
        # `scrapy check` builds contracts from the bound callback, so the spider, with its
        # validated start_url, is at hand.
        self.spider = method.__self__

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        # A path without a leading slash is relative to the start page's folder.
        args["url"] = urljoin(self.spider.start_url, self.args[0])
        return args


class FollowsContract(Contract):
    """``@follows CALLBACK …``: every request the callback returns goes to one of these callbacks."""

    name = "follows"

    def post_process(self, output: list[Any]) -> None:
        wrong = sorted({
            getattr(request.callback, "__name__", repr(request.callback))
            for request in output
            if isinstance(request, Request)
            and getattr(request.callback, "__name__", None) not in self.args
        })
        if wrong:
            raise ContractFail(
                f"requests go to {', '.join(wrong)}, expected only {', '.join(self.args)}"
            )


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
