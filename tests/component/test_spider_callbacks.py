"""The check Scrapy's WARN_ON_GENERATOR_RETURN_VALUE made per response, made once here.

parkcrawl turns the setting off (it re-parsed a callback's source for every response, issue 16);
a generator callback that returns a value would lose that value silently, so every generator
function of every parkcrawl spider is checked with Scrapy's own test.
"""

from __future__ import annotations

import inspect
import re

from scrapy import Spider
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings


def _callbacks() -> dict[str, object]:
    """Every method a parkcrawl spider names as a request's callback or errback (and ``parse``,
    Scrapy's default callback), read from the spider's source, so a new one is checked too."""
    loader = SpiderLoader.from_settings(get_project_settings())
    found = {}
    for name in loader.list():
        spider = loader.load(name)
        source = inspect.getsource(inspect.getmodule(spider))
        names = set(re.findall(r"\b(?:callback|errback)=self\.(\w+)", source)) | {"parse"}
        for attr in names:
            function = getattr(spider, attr, None)
            if inspect.isfunction(function) and function is not getattr(Spider, attr, None):
                found[f"{spider.__name__}.{attr}"] = function
    return found


def test_the_setting_is_off_only_because_this_test_runs() -> None:
    assert get_project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False


def test_no_spider_generator_returns_a_value() -> None:
    callbacks = _callbacks()
    # the walk's callbacks are among those checked, and some are generators (what is checked)
    assert {
        "ParknewsSpider.parse_section", "ParknewsSpider.parse_listing",
        "ParknewsSpider.parse_dataproxy", "ParknewsSpider.parse_article",
        "ParknewsSpider.article_failed", "ParknewsSpider.listing_failed",
    } <= set(callbacks)
    assert any(inspect.isgeneratorfunction(f) for f in callbacks.values())
    offending = [name for name, f in callbacks.items() if is_generator_with_return_value(f)]
    assert offending == []


def test_the_check_finds_a_generator_that_returns_a_value() -> None:
    def callback(response: object):  # type: ignore[no-untyped-def]
        yield response
        return "lost"  # what the check exists for

    assert is_generator_with_return_value(callback)
