"""Date parsing and dateline choice, one row per edge case."""

from __future__ import annotations

import pytest

from parkcrawl.extract.dates import (
    date_from_url,
    parse_date,
    pick_dateline_date,
    pick_issued_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-22", "2024-11-22"),
        ("2024-11-22 09:30", "2024-11-22T09:30+08:00"),
        # seconds only when written
        ("2024-11-22 09:30:05", "2024-11-22T09:30:05+08:00"),
        ("2024年11月22日 09:30", "2024-11-22T09:30+08:00"),
        ("2024年11月22日09:30", "2024-11-22T09:30+08:00"),
        ("2024年1月8日", "2024-01-08"),
        # spaces inside the Chinese form, as WYSIWYG editors leave them
        ("2024 年 1 月 8 日", "2024-01-08"),
        ("2024/11/22", "2024-11-22"),
        ("2024.11.22", "2024-11-22"),
        ("2022.01.20 16:31", "2022-01-20T16:31+08:00"),
        # full-width colon in the time
        ("2024-11-22 09：30", "2024-11-22T09:30+08:00"),
        # ISO meta values; another zone is moved to China time
        ("2024-11-22T09:30:00+08:00", "2024-11-22T09:30:00+08:00"),
        ("2024-11-22T01:30:00Z", "2024-11-22T09:30:00+08:00"),
        ("2024-11-21T20:00:00-05:00", "2024-11-22T09:00:00+08:00"),
        # mixed separators are not a date
        ("2024-11/22", None),
        # invalid month, invalid day, 29 February outside a leap year
        ("2024-13-01", None),
        ("2024-11-31", None),
        ("2023-02-29", None),
        ("2024-02-29", "2024-02-29"),
        # a year-month without a day is not a publication date
        ("2023年12月", None),
        # longer digit runs are numbers, not dates
        ("120241122", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2024-11-22 09:30　来源：园区管委会", "2024-11-22T09:30+08:00"),
        # 成文日期 first, 发布日期 after: the publication date wins
        ("成文日期：2024-01-08 发布日期：2024-01-10", "2024-01-10"),
        ("成文日期 2024-01-08 | 发布日期 2024-01-10", "2024-01-10"),
        # only a 成文日期: it is all there is
        ("索引号：YX-01 成文日期：2024-01-08", "2024-01-08"),
        # an unlabelled date beats a 成文日期
        ("成文日期：2024-01-08\n2024-01-09 10:00 来源：某局", "2024-01-09T10:00+08:00"),
        # the header clock is never the publication date
        ("今天是2025年1月3日 星期五\n日期：2024-12-30", "2024-12-30"),
        ("今天是：2025年1月3日", None),
        ("来源：园区管委会", None),
    ],
)
def test_pick_dateline_date(text: str, expected: str | None) -> None:
    assert pick_dateline_date(text) == expected


def test_labelled_only_ignores_bare_dates() -> None:
    # far from the headline, only a date that says it is the publication date counts
    assert pick_dateline_date("2023-05-01 相关新闻", labelled_only=True) is None
    assert pick_dateline_date("发布日期：2024-04-12", labelled_only=True) == "2024-04-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # label and value in two cells of a 信息公开 table (text on two lines)
        ("索 引 号：\nAB12/2023-001\n生成日期：\n2023-05-11\n公开方式：", "2023-05-11"),
        ("发布机构：某市统计局\n发文日期：\n2023-04-18", "2023-04-18"),
        ("发布时间：2024-07-12 来源：某局", "2024-07-12"),
        # the first outright label wins over a later one
        ("发布日期：2017-05-15 10:49:00 公布日期：2017-05-16", "2017-05-15T10:49:00+08:00"),
        # a bare 时间/日期, an update time and a signing date name no publication outright
        ("时间：2015-07-02 09:40", None),
        ("更新时间：2023-08-16", None),
        ("成文日期：2023-05-10", None),
        # a label too far before the date is not its label
        ("发布日期：（见文末说明，本页由系统自动生成）2023-05-11", None),
    ],
)
def test_pick_issued_date(text: str, expected: str | None) -> None:
    assert pick_issued_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/zwdt/202411/t20241122_10236.html", "2024-11-22"),
        ("http://www.news.cn/local/2024-04/02/c_1130100200.htm", "2024-04-02"),
        ("http://epaper.example.com/xzrb/202202/13/node_01.html", "2022-02-13"),
        ("http://x.gov.cn/art/2024/5/9/art_102_8801.html", None),
        ("http://x.gov.cn/202413/t20241322_1.html", None),
        ("http://x.gov.cn/content_7001.html", None),
    ],
)
def test_date_from_url(url: str, expected: str | None) -> None:
    assert date_from_url(url) == expected
