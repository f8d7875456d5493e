"""PagePipeline as a component (get_crawler): the item's fields from one page read, the site's
breadcrumb_selector taken from the crawl's spider and counted, drops with their reasons; and the
stage list `parkcrawl reextract` derives from ITEM_PIPELINES."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from parkcrawl.archive.reextract import Counts, build_stages, project_settings, reextract_pipelines
from parkcrawl.items import Article
from parkcrawl.outcomes import Drop
from parkcrawl.pipelines import (
    DeduplicatePipeline,
    DropArticle,
    PagePipeline,
    ParticipantsPipeline,
    ReleaseRawPagePipeline,
)
from parkcrawl.sites import SiteConfig

URL = "http://lake.example.gov.cn/yqdt/a1.html"
TITLE = "湖畔园区召开年度安全生产工作会议"
PAGE = (
    '<html><head><meta charset="utf-8"><title>湖畔园区召开年度安全生产工作会议_湖畔园区</title></head>'
    '<body><ul class="path"><li><a href="/">首页</a></li><li>新闻动态</li><li>园区要闻</li></ul>'
    f'<h1>{TITLE}</h1><div class="info">发布时间：2024-10-08 来源：园区安监局</div>'
    '<div class="content"><p>10月8日，湖畔园区召开年度安全生产工作会议，部署四季度安全生产重点工作。'
    "管委会主任周建国出席会议并讲话。</p><p><img src=\"/u/p1.jpg\"></p><p>图为会议现场。</p></div>"
    "</body></html>"
)
LAKESIDE = SiteConfig("lakeside", "http://lake.example.gov.cn/", ("新闻中心", "园区动态"),
                      breadcrumb_selector="ul.path li")


class SitesSpider(Spider):
    name = "parknews"
    sites = {"lakeside": LAKESIDE}


def stage(settings: dict[str, Any] | None = None) -> tuple[PagePipeline, Any]:
    crawler = get_crawler(SitesSpider, settings or {})
    crawler.spider = SitesSpider()
    return PagePipeline.from_crawler(crawler), crawler


def item(raw: str = PAGE, site: str | None = "lakeside") -> Article:
    return Article(url=URL, raw_body=raw.encode("utf-8"), content_type="text/html", site=site,
                   walked_path=["首页", "新闻中心", "园区动态"])


def test_the_item_gets_every_field_from_one_page_read() -> None:
    pipeline, crawler = stage()
    got = pipeline.process_item(item())
    assert got.title == TITLE
    assert got.body == (
        "10月8日，湖畔园区召开年度安全生产工作会议，部署四季度安全生产重点工作。"
        "管委会主任周建国出席会议并讲话。\n图为会议现场。"
    )
    assert got.published_at == "2024-10-08"
    assert got.source == "园区安监局"
    assert got.breadcrumb == ["首页", "新闻动态", "园区要闻"]  # the site's selector
    # its links item for item: only 首页 is a link in the selected crumb
    assert got.breadcrumb_urls == ["http://lake.example.gov.cn/", None, None]
    assert got.media == [
        {"url": "http://lake.example.gov.cn/u/p1.jpg", "type": "image", "caption": "图为会议现场。"}
    ]
    assert got.encoding == "utf-8" and got.script == "Hans" and got.quality_flags == []
    assert got.content_hash is not None and got.body_simhash is not None
    assert crawler.stats.get_value("parkcrawl/sites/breadcrumb_from_selector") == 1


def test_without_a_site_the_walked_path_stands_in() -> None:
    pipeline, crawler = stage()
    assert pipeline.process_item(item(site=None)).breadcrumb == ["首页", "新闻中心", "园区动态"]
    assert crawler.stats.get_value("parkcrawl/sites/breadcrumb_from_selector") is None


def test_a_stale_selector_is_counted() -> None:
    pipeline, crawler = stage()
    page = PAGE.replace('class="path"', 'class="trail"')
    assert pipeline.process_item(item(page)).breadcrumb == ["首页", "新闻中心", "园区动态"]
    assert crawler.stats.get_value("parkcrawl/sites/breadcrumb_selector_empty") == 1


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("<html><body><p>只有一行字。</p></body></html>", Drop.NO_TITLE),
        (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1></body></html>",
         Drop.NO_BODY),
    ],
)
def test_pages_without_title_or_body_are_dropped(page: str, reason: Drop) -> None:
    pipeline, _ = stage()
    with pytest.raises(DropArticle) as raised:
        pipeline.process_item(item(page))
    assert raised.value.reason is reason


def test_reextract_derives_its_stages_from_item_pipelines() -> None:
    settings = project_settings()
    # the crawl's order, without the stage that fetches
    assert reextract_pipelines(settings) == [
        PagePipeline, ParticipantsPipeline, DeduplicatePipeline, ReleaseRawPagePipeline,
    ]
    # a stage switched off for the crawl is off for reextract too
    off = project_settings({"ITEM_PIPELINES": {
        **settings.getdict("ITEM_PIPELINES"), "parkcrawl.pipelines.ParticipantsPipeline": None,
    }})
    assert reextract_pipelines(off) == [PagePipeline, DeduplicatePipeline, ReleaseRawPagePipeline]
    # built with plain values, no crawler: the page stage applies the sites it is given
    counts = Counts()
    stages = build_stages(settings, counts, {"lakeside": LAKESIDE})
    out: Any = item()
    for one in stages:
        out = one.process_item(out)
    assert out.breadcrumb == ["首页", "新闻动态", "园区要闻"]
    assert out.participants == [{"name": "周建国", "role": "管委会主任"}]
    assert out.raw_body is None
    assert counts == {"parkcrawl/sites/breadcrumb_from_selector": 1, "parkcrawl/dedup/new": 1}


def test_with_page_workers_the_people_are_named_in_the_page_call() -> None:
    """ParticipantsPipeline after PagePipeline (the project's ITEM_PIPELINES): the page's worker
    call names the people too, one call a page, and the participants stage only puts them on the
    item. The run's own order decides it: without the participants stage, nobody is named."""
    import asyncio

    from parkcrawl.settings import ITEM_PIPELINES
    from parkcrawl.workers import PageWorkers

    in_process = PageWorkers(0)  # no pool: run() calls the function here, as a worker would
    pipeline, _ = stage({"ITEM_PIPELINES": ITEM_PIPELINES})
    got = asyncio.run(pipeline._process_in_worker(in_process, item()))
    assert got.named_ahead == [{"name": "周建国", "role": "管委会主任"}]
    assert got.participants == []
    named = ParticipantsPipeline().process_item(got)
    assert named.participants == [{"name": "周建国", "role": "管委会主任"}]
    assert named.named_ahead is None

    without = {**ITEM_PIPELINES, "parkcrawl.pipelines.ParticipantsPipeline": None}
    pipeline, _ = stage({"ITEM_PIPELINES": without})
    got = asyncio.run(pipeline._process_in_worker(in_process, item()))
    assert got.named_ahead is None and got.participants == []
    # the participants stage before the page stage has no page to name people in yet
    before = {**ITEM_PIPELINES, "parkcrawl.pipelines.ParticipantsPipeline": 50}
    assert not stage({"ITEM_PIPELINES": before})[0].participants_ahead
