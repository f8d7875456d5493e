"""Hanweb dataproxy: the form fields from the page's script, the record ranges, the replies."""

from __future__ import annotations

import pytest
from parsel import Selector

from parkcrawl.cms import DataproxyForm, dataproxy_form, dataproxy_reply, scripted_listing

BASE = "http://park.example.gov.cn/col/col2111/index.html"
PROXY = "http://park.example.gov.cn/module/web/jpage/dataproxy.jsp"
ALL_FIELDS = (
    ("col", "1"),
    ("appid", "1"),
    ("webid", "12"),
    ("path", "/"),
    ("columnid", "2111"),
    ("sourceContentType", "1"),
    ("unitid", "8840"),
    ("webname", "临江湾科技产业园区"),
    ("permissiontype", "0"),
)

JPAGE = """
$(document).ready(function(){
    $('#8840').jpage({
        dataStore: document.getElementById('8840').getElementsByTagName('script')[0],
        perPage: 4,
        totalRecord: 15,
        groupSize: 2,
        proxyUrl: '/module/web/jpage/dataproxy.jsp',
        ajaxParam: {col: 1, appid: 1, webid: 12, path: '/', columnid: 2111, sourceContentType: 1,
                    unitid: '8840', webname: '临江湾科技产业园区', permissiontype: 0},
        barPosition: 'bottom'
    });
});
"""


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        # the jpage configuration names everything
        (JPAGE, DataproxyForm(PROXY, ALL_FIELDS, per_page=4, group_size=2, total_record=15)),
        # double-quoted JSON-style keys, values as strings
        (
            '{"col":"1","appid":"1","webid":"12","path":"/","columnid":"2111","sourceContentType":"1",'
            '"unitid":"8840","webname":"临江湾科技产业园区","permissiontype":"0"}; var perpage = 20;',
            DataproxyForm(PROXY, ALL_FIELDS, per_page=20),
        ),
        # only the datastore's nextgroup link: its query is percent-decoded (and &amp; read as &)
        (
            '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=12'
            "&amp;path=/&amp;columnid=2111&amp;unitid=8840&amp;webname=%E4%B8%B4%E6%B1%9F&amp;"
            'permissiontype=0"></a>]]></nextgroup>',
            DataproxyForm(
                PROXY,
                (
                    ("appid", "1"),
                    ("webid", "12"),
                    ("path", "/"),
                    ("columnid", "2111"),
                    ("unitid", "8840"),
                    ("webname", "临江"),
                    ("permissiontype", "0"),
                ),
                per_page=6,
            ),
        ),
        # the configuration wins over the link; a site that moved the module says so
        (
            "ajaxParam: {columnid: 77, unitid: 5}, proxyUrl: '/jcms/module/web/jpage/dataproxy.jsp'\n"
            '<a href="/module/web/jpage/dataproxy.jsp?columnid=99&unitid=6&webid=3"></a>',
            DataproxyForm(
                "http://park.example.gov.cn/jcms/module/web/jpage/dataproxy.jsp",
                (("webid", "3"), ("columnid", "77"), ("unitid", "5")),
                per_page=6,
            ),
        ),
        # names that merely contain a field name are not fields (colspan, pathname, mycol)
        (
            "var colspan = 2; location.pathname = '/x'; mycol: 3; columnid: 5",
            DataproxyForm(PROXY, (("columnid", "5"),), per_page=6),
        ),
        # no columnid: the module cannot be asked
        ("ajaxParam: {col: 1, webid: 12, unitid: 8840}", None),
        ("", None),
    ],
)
def test_dataproxy_form(script: str, expected: DataproxyForm | None) -> None:
    # records_on_page=6 is the fallback page size when the script names none
    assert dataproxy_form(script, BASE, records_on_page=6) == expected


def test_page_size_falls_back_to_jpage_default() -> None:
    form = dataproxy_form("columnid: 3", BASE)
    assert form is not None and (form.per_page, form.group_size) == (15, 3)


def test_request_url_and_formdata() -> None:
    form = DataproxyForm(PROXY, ALL_FIELDS, per_page=4, group_size=2, total_record=15)
    assert form.request_url(5, 12) == PROXY + "?startrecord=5&endrecord=12&perpage=4"
    assert form.formdata()["webname"] == "临江湾科技产业园区"
    assert list(form.formdata()) == [name for name, _ in ALL_FIELDS]


@pytest.mark.parametrize(
    ("start", "total", "expected"),
    [
        (5, None, (5, 12)),  # one group of 2 pages of 4, within the script's 15
        (13, None, (13, 15)),  # the last group stops at the last record
        (16, None, None),  # past the end
        (13, 20, (13, 20)),  # the reply's total wins over the script's
        (13, 12, None),
    ],
)
def test_records_range(start: int, total: int | None, expected: tuple[int, int] | None) -> None:
    form = DataproxyForm(PROXY, ALL_FIELDS, per_page=4, group_size=2, total_record=15)
    assert form.records_range(start, total) == expected


def test_records_range_without_any_total_asks_one_group() -> None:
    form = DataproxyForm(PROXY, ALL_FIELDS, per_page=15, group_size=3)
    assert form.records_range(16) == (16, 60)


def reply(n: int, total: int | None) -> str:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/{i}.html">第{i}条园区信息标题</a></li>]]></record>'
        for i in range(n)
    )
    totals = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    return f"<datastore><recordset>{records}</recordset>{totals}</datastore>"


@pytest.mark.parametrize(
    ("xml", "end", "next_range"),
    [
        (reply(8, 15), 12, (13, 15)),  # more records than asked so far: ask for the rest
        (reply(3, 15), 15, None),  # the last record reached
        (reply(0, 15), 12, None),  # an empty reply ends the list whatever it claims
        (reply(8, None), 12, (13, 20)),  # no total, a full group: ask for the next group
        (reply(5, None), 12, None),  # no total, a short group: the column ended
        ("<html>出错了</html>", 12, None),  # an error page
    ],
)
def test_dataproxy_reply_next_range(xml: str, end: int, next_range: tuple[int, int] | None) -> None:
    form = DataproxyForm(PROXY, ALL_FIELDS, per_page=4, group_size=2)
    assert dataproxy_reply(xml, BASE, form, end).next_range == next_range


def test_dataproxy_reply_links_resolve_against_the_list_page() -> None:
    form = DataproxyForm(PROXY, ALL_FIELDS, per_page=4, group_size=2)
    xml = '<datastore><recordset><record><![CDATA[<li><a href="../../art/1.html">相对地址的园区信息</a></li>]]></record></recordset></datastore>'
    assert [link.url for link in dataproxy_reply(xml, BASE, form, 4).links] == [
        "http://park.example.gov.cn/art/1.html"
    ]


PAGE = """<html><body>
<div class="nav"><a href="/">首页</a></div>
<div class="hot"><ul><li><a href="/art/9.html">热点里的其他栏目文章</a><span>2024-12-01</span></li></ul></div>
<div id="8840"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=12&columnid=2111&unitid=8840"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/1.html">园区第一条信息标题</a><span>2024-12-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2.html">园区第二条信息标题</a><span>2024-12-19</span></li>]]></record>
</recordset></datastore></script><script src="/module/web/jpage/jpage.js"></script>
<script>$('#8840').jpage({perPage: 2, totalRecord: 9, groupSize: 3,
 ajaxParam: {col: 1, appid: 1, webid: 12, path: '/', columnid: 2111, unitid: 8840}});</script></div>
<div id="9000"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/7.html">另一个小方框的文章</a></li>]]></record>
</recordset></datastore></script></div>
</body></html>"""


def test_scripted_listing_of_a_hanweb_page() -> None:
    listing = scripted_listing(Selector(text=PAGE), BASE)
    # the datastore with the most records is the list; the visible box is not
    assert [link.url for link in listing.links or []] == [
        "http://park.example.gov.cn/art/1.html",
        "http://park.example.gov.cn/art/2.html",
    ]
    assert listing.next_record == 3
    assert listing.dataproxy == DataproxyForm(
        PROXY,
        (
            ("col", "1"),
            ("appid", "1"),
            ("webid", "12"),
            ("path", "/"),
            ("columnid", "2111"),
            ("unitid", "8840"),
        ),
        per_page=2,
        group_size=3,
        total_record=9,
    )
    assert listing.page_urls == ()


def test_a_page_without_scripted_lists_keeps_its_visible_list() -> None:
    listing = scripted_listing(
        Selector(text="<html><body><ul><li><a href='/a.html'>标题</a></li></ul></body></html>"),
        BASE,
    )
    assert listing.links is None and listing.dataproxy is None and listing.page_urls == ()
