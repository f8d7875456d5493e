"""Hanweb datastore XML: records, totals, malformed records and hostile documents."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from parkcrawl.cms import (
    _XML_PARSER,
    Datastore,
    datastore_links,
    parse_datastore,
    record_link,
)
from parkcrawl.navigation import Link

BASE = "http://park.example.gov.cn/col/col2111/index.html"

WELL_FORMED = """<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&columnid=2111"></a>]]></nextgroup>
<recordset>
<record><![CDATA[
<li><a href="/art/2024/12/20/art_2111_1.html" title="园区召开项目推进会">园区召开项目推进会</a><span>2024-12-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/12/19/art_2111_2.html">园区举办人才招聘会</a><span>2024-12-19</span></li>]]></record>
</recordset>
<totalrecord>27</totalrecord>
<totalpage>7</totalpage>
</datastore>
"""


def test_records_and_totals_of_a_well_formed_reply() -> None:
    store = parse_datastore(WELL_FORMED)
    assert store.total_record == 27
    assert store.total_page == 7
    assert store.problems == ()
    assert store.records == (
        '<li><a href="/art/2024/12/20/art_2111_1.html" title="园区召开项目推进会">园区召开项目推进会</a>'
        "<span>2024-12-20</span></li>",
        '<li><a href="/art/2024/12/19/art_2111_2.html">园区举办人才招聘会</a><span>2024-12-19</span></li>',
    )
    # the nextgroup link is not a record
    assert datastore_links(store, BASE).links == [
        Link("http://park.example.gov.cn/art/2024/12/20/art_2111_1.html", "园区召开项目推进会"),
        Link("http://park.example.gov.cn/art/2024/12/19/art_2111_2.html", "园区举办人才招聘会"),
    ]


@pytest.mark.parametrize(
    ("xml", "records", "total", "problems"),
    [
        # a page's script holds no totals: the jpage script states them
        (
            "<datastore><recordset><record><![CDATA[<li>甲</li>]]></record></recordset></datastore>",
            ("<li>甲</li>",),
            None,
            (),
        ),
        # bytes with a GBK declaration (some sites answer in GBK)
        (
            '<?xml version="1.0" encoding="GBK"?><datastore><recordset><record><![CDATA[<li>园区信息</li>]]>'
            "</record></recordset><totalrecord>1</totalrecord></datastore>".encode("gbk"),
            ("<li>园区信息</li>",),
            1,
            (),
        ),
        # gb2312 declared, a GBK-only character (喆) in the record: read with the superset
        (
            '<?xml version="1.0" encoding="gb2312"?><datastore><recordset><record><![CDATA[<li>李喆</li>]]>'
            "</record></recordset></datastore>".encode("gbk"),
            ("<li>李喆</li>",),
            None,
            (),
        ),
        # markup written without CDATA (well-formed): kept as HTML
        (
            '<datastore><recordset><record><li><a href="/a.html">标题甲乙丙</a></li></record></recordset>'
            "</datastore>",
            ('<li><a href="/a.html">标题甲乙丙</a></li>',),
            None,
            (),
        ),
        # an empty record is skipped and said
        (
            "<datastore><recordset><record><![CDATA[  ]]></record><record><![CDATA[<li>乙</li>]]></record>"
            "</recordset></datastore>",
            ("<li>乙</li>",),
            None,
            ("empty_record",),
        ),
        # totals that are not numbers are no totals
        (
            "<datastore><recordset></recordset><totalrecord>很多</totalrecord></datastore>",
            (),
            None,
            (),
        ),
        # not a datastore at all
        ("", (), None, ("malformed_xml",)),
    ],
)
def test_parse_datastore_table(
    xml: str | bytes, records: tuple, total: int | None, problems: tuple
) -> None:
    store = parse_datastore(xml)
    assert store.records == records
    assert store.total_record == total
    assert store.problems == problems


MALFORMED = """<datastore><recordset>
<record><![CDATA[<li><a href="/art/1.html">第一条园区信息</a></li>]]></record>
<record><li><a href="/art/2.html?from=list&col=2111">第二条园区信息</a></li></record>
<record><![CDATA[<li><a href="/art/3.html">第三条园区信息</a></li></record>
<record><![CDATA[<li>一条没有链接的记录</li>]]></record>
<record><![CDATA[<li><a href="/art/4.html">第四条园区信息</a></li>]]></record>
</recordset><totalrecord>5</totalrecord><totalpage>1</totalpage></datastore>"""


def test_a_malformed_record_does_not_lose_the_others() -> None:
    # Record 2 has a bare & outside CDATA and record 3 never closes its CDATA: the document is
    # not well-formed, so it is read record by record.
    store = parse_datastore(MALFORMED)
    assert store.problems == ("malformed_xml",)
    assert store.total_record == 5
    found = datastore_links(store, BASE)
    assert [link.url for link in found.links] == [
        "http://park.example.gov.cn/art/1.html",
        "http://park.example.gov.cn/art/2.html?from=list&col=2111",
        "http://park.example.gov.cn/art/3.html",
        "http://park.example.gov.cn/art/4.html",
    ]
    assert found.unlinked == 1  # the record without a link


def billion_laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    last = f"&lol{levels - 1};"
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE datastore [\n' + "\n".join(entities) + "\n]>\n"
        f"<datastore><recordset><record>{last}</record></recordset>"
        f"<totalrecord>{last}</totalrecord></datastore>"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        billion_laughs(),
        # external entity (XXE): would read a local file
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<datastore><recordset><record>&x;</record></recordset></datastore>",
        # a DTD fetched over the network
        '<?xml version="1.0"?><!DOCTYPE datastore SYSTEM "http://127.0.0.1:9/evil.dtd">'
        "<datastore><recordset><record><![CDATA[<li>x</li>]]></record></recordset></datastore>",
        # lower-case and padded declarations are declarations too
        "<!doctype datastore [ <!entity a 'b'> ]><datastore><totalrecord>&a;</totalrecord></datastore>",
    ],
)
def test_hostile_documents_are_refused_unread(hostile: str) -> None:
    started = time.perf_counter()
    store = parse_datastore(hostile)
    assert store == Datastore((), None, None, ("dtd_refused",))
    assert (
        time.perf_counter() - started < 1
    )  # nothing was expanded (a generous bound, not a timing test)


def test_the_parser_itself_never_expands_entities() -> None:
    # Second line of defence, past the DTD refusal: the configured parser leaves entity
    # references unexpanded (10**4 "lol"s would be 30 KB) ...
    root = etree.fromstring(billion_laughs(levels=5).encode(), _XML_PARSER)
    assert "lol" not in (root.findtext(".//totalrecord") or "")
    assert len(etree.tostring(root)) < 1000
    # ... and libxml2 rejects the full billion laughs outright.
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(billion_laughs().encode(), _XML_PARSER)


def test_a_cdata_section_may_mention_a_doctype() -> None:
    # Text inside CDATA is record content, not a declaration.
    xml = "<datastore><recordset><record><![CDATA[<li>关于<!DOCTYPE>的说明</li>]]></record></recordset></datastore>"
    assert parse_datastore(xml).records == ("<li>关于<!DOCTYPE>的说明</li>",)


def test_documents_over_the_size_limit_are_refused() -> None:
    big = (
        "<datastore><recordset>"
        + "<record><![CDATA[<li>园区</li>]]></record>" * 50
        + "</recordset></datastore>"
    )
    assert parse_datastore(big, max_bytes=len(big) - 1).problems == ("too_large",)
    assert len(parse_datastore(big, max_bytes=len(big)).records) == 50


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        # the title link
        (
            '<li><a href="/art/1.html" target="_blank">园区召开推进会</a><span>2024-12-01</span></li>',
            Link("http://park.example.gov.cn/art/1.html", "园区召开推进会"),
        ),
        # a column tag before the title: the title is the longer text
        (
            '<li><a href="/col/col2112/index.html">[部门动态]</a><a href="/art/2.html">园区经济发展局走访企业</a></li>',
            Link("http://park.example.gov.cn/art/2.html", "园区经济发展局走访企业"),
        ),
        # relative hrefs resolve against the list page
        (
            '<li><a href="../../art/2024/3.html">相对链接的标题文字</a></li>',
            Link("http://park.example.gov.cn/art/2024/3.html", "相对链接的标题文字"),
        ),
        # an image link carries its title in title=
        (
            '<li><a href="/art/4.html" title="图片新闻的完整标题"><img src="/p.jpg"></a></li>',
            Link("http://park.example.gov.cn/art/4.html", "图片新闻的完整标题"),
        ),
        # no link, or only a script link
        ("<li>没有链接</li>", None),
        ('<li><a href="javascript:void(0)">脚本链接不是文章</a></li>', None),
    ],
)
def test_record_link(record: str, expected: Link | None) -> None:
    assert record_link(record, BASE) == expected


def test_datastore_links_keep_the_first_of_repeated_urls() -> None:
    store = Datastore(
        (
            '<li><a href="/art/1.html">园区召开推进会议</a></li>',
            '<li><a href="/art/1.html">园区召开推进会议（置顶）</a></li>',
            '<li><a href="/art/2.html">园区举办招聘活动</a></li>',
        )
    )
    assert [link.url for link in datastore_links(store, BASE).links] == [
        "http://park.example.gov.cn/art/1.html",
        "http://park.example.gov.cn/art/2.html",
    ]


@pytest.mark.parametrize("codec", ["idna", "undefined", "no-such-codec", "rot13"])
def test_a_reply_declaring_a_codec_no_text_decodes_with_is_read_as_utf8(codec: str) -> None:
    """The XML declaration names the codec, and a reply controls it: one that is no text encoding
    or cannot replace a bad byte (idna, undefined) raised out of parse_datastore before."""
    reply = WELL_FORMED.replace('encoding="UTF-8"', f'encoding="{codec}"').encode("utf-8")
    store = parse_datastore(reply)
    assert store.total_record == 27
    assert len(store.records) == 2
    assert "园区召开项目推进会" in store.records[0]
