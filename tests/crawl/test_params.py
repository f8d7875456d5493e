"""The spider's arguments as one validated object (parkcrawl.spiders.params)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from parkcrawl.spiders.params import ArgumentError, spider_params

SETTINGS = Settings({"PARKCRAWL_PATH": "动态要闻/园区信息", "PARKCRAWL_SITES_FILE": "no-such.toml"})


def test_start_url_and_the_default_path() -> None:
    params = spider_params({"start_url": "http://park.test/"}, SETTINGS)
    assert params.start_url == "http://park.test/"
    assert params.path == ["动态要闻", "园区信息"]
    assert (params.full, params.recheck_days) == (False, 0)


def test_a_mirror_path_is_cleaned_like_link_texts() -> None:
    params = spider_params({"start_url": "http://park.test/", "path": "動(dòng)態(tài)要聞>园区信息"},
                           SETTINGS)
    assert params.path == ["动态要闻", "园区信息"]


def test_scrapyds_job_id_is_accepted() -> None:
    params = spider_params({"start_url": "http://park.test/", "_job": "6487ec79"}, SETTINGS)
    assert params.start_url == "http://park.test/"


@pytest.mark.parametrize(
    ("spargs", "message"),
    [
        ({"start_url": "http://park.test/", "fulll": "1"}, "unknown argument fulll"),
        ({"start_url": "http://park.test/", "a": "1", "b": "2"}, "unknown arguments a, b"),
        ({"start_url": "http://park.test/", "full": "2"}, "full must be 1 or 0"),
        ({"start_url": "http://park.test/", "recheck_days": "x"}, "whole number of days"),
        ({"start_url": "park.test"}, r"start_url must be an http\(s\) URL"),
        ({"site": "nowhere"}, "no-such.toml"),
    ],
)
def test_refused(spargs: dict, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        spider_params(spargs, SETTINGS)
