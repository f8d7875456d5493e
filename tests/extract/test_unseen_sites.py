"""Rules for sites nobody here has seen (issue 19): bylines, bare-hyphen suffixes, headlines
without a usable <title>, article-closing furniture, month/day/year dates.

Every page below is written for these tests; none is copied from an evaluation set.
"""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.body import is_byline
from parkcrawl.extract.dates import parse_date, pick_dateline_date
from parkcrawl.extract.title import strip_site_suffix
from tools.evalscore import title_exact

URL = "http://127.0.0.1/news/show.asp?id=7"
PARA = "园区今天举行项目签约仪式，十二个项目集中落地，总投资超过五十亿元，涵盖新材料和智能制造。"


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ASP/.NET default month/day/year with a 12-hour clock: PM adds twelve hours
        ("发布日期： 7/5/2005 9:23:57 PM", "2005-07-05T21:23:57+08:00"),
        # AM keeps the hour; 12 AM is midnight
        ("9/17/2004 5:54:13 AM", "2004-09-17T05:54:13+08:00"),
        ("12/25/2004 12:05 AM", "2004-12-25T00:05+08:00"),
        # no time: the day only
        ("更新：3/1/2021", "2021-03-01"),
        # a month 13 is no date; a path-like run of slashes is not one either
        ("13/1/2021", None),
        ("1/2/3/2005", None),
        # the ISO and Chinese forms are unchanged
        ("2024年11月22日 09:30", "2024-11-22T09:30+08:00"),
    ],
)
def test_month_day_year_dates(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "发表于" labels the date (forum and blog footers), so it counts even far from the title
        ("作者:某某 阅读(16) 发表于:2005-07-31 12:30", "2005-07-31T12:30+08:00"),
        ("本文张贴于 2006-01-02", "2006-01-02"),
        # an unlabelled date far from the title is still not trusted
        ("相关内容 2005-07-28", None),
        # the label may follow the date: "于<date>在〖论坛〗发表"
        ("本帖由某某于2005年8月12日16:12:21在〖园区论坛〗发表.", "2005-08-12T16:12:21+08:00"),
        ("2006-01-02 10:00 发布", "2006-01-02T10:00+08:00"),
        # a sentence after the date is no label
        ("2006-01-02，园区发布了新规划", None),
    ],
)
def test_posted_on_labels(text: str, expected: str | None) -> None:
    assert pick_dateline_date(text, labelled_only=True) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # column or paper name and a date, no label
        ("新闻中心2020-03-05 10:21", True),
        ("2003-7-24 某某晚报", True),
        ("http://news.example.com 2005年03月31日03:18 某某信报", True),
        # date and a few author names
        ("2020-03-05 10:21 张三 李四", True),
        # a sentence holding a date is text
        ("2020年3月5日，园区召开会议。", False),
        ("会议于2020年3月5日召开，持续两天", False),
        # two dates: a period, not a byline
        ("2020-03-05至2020-03-09 展览", False),
        # no date
        ("某某晚报 记者 张三", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


def test_unlabelled_byline_is_the_date_and_leaves_the_body() -> None:
    # The byline sits inside the article box, second line, under a translator line.
    html = page(
        "园区项目签约",
        "<h1>园区项目签约</h1><div class='content'><p>文：张三</p>"
        f"<p>新闻中心 2020-03-05 10:21</p><p>{PARA}</p><p>{PARA}</p></div>",
    )
    fields = extract_article(html, URL)
    assert fields.published_at == "2020-03-05T10:21+08:00"
    assert "2020-03-05" not in fields.body
    assert fields.body.startswith("文：张三\n" + PARA)


def test_byline_after_the_first_paragraph_stays_text() -> None:
    # Once a paragraph has started, a short dated line is the article's (a list of events).
    html = page(
        "园区大事记",
        f"<h1>园区大事记</h1><div class='content'><p>{PARA}</p><p>2020-03-05 开工</p>"
        f"<p>{PARA}</p></div>",
    )
    assert "2020-03-05 开工" in extract_article(html, URL).body


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # a bare hyphen before a short column or site name
        ("工业园区举行项目集中签约仪式-某某财经", "工业园区举行项目集中签约仪式"),
        ("园区企业开展安全生产大检查-要闻-某某资讯", "园区企业开展安全生产大检查"),
        # the tail is as long as the head: part of the headline
        ("一带一路-中欧班列", "一带一路-中欧班列"),
        # numbers and years around a hyphen stay
        ("2024-2025年度园区企业名单公示", "2024-2025年度园区企业名单公示"),
        ("某市2024年1-3月经济运行情况", "某市2024年1-3月经济运行情况"),
        ("关于印发实施办法的通知-2", "关于印发实施办法的通知-2"),
        # "——" sets off a subtitle, never a suffix
        ("积极因素不断增多——前4个月外贸向好", "积极因素不断增多——前4个月外贸向好"),
    ],
)
def test_bare_hyphen_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


def test_exact_title_text_beats_a_numbered_heading() -> None:
    # The page prints the <title> text in a plain cell; an <h3> section heading resembles it.
    html = page(
        "淘汰落后产能的问题及对策研究",
        "<table><tr><td>淘汰落后产能的问题及对策研究</td></tr></table>"
        f"<div class='content'><p>{PARA}</p><h3>3. 淘汰落后产能的问题</h3><p>{PARA}</p></div>",
    )
    assert extract_article(html, URL).title == "淘汰落后产能的问题及对策研究"


@pytest.mark.parametrize(
    ("title", "nav", "expected"),
    [
        # <title> holds only the site name: the single <h1> is the headline
        ("-某某历史网", "", "疫情期间的政策怎么投诉"),
        # <title> holds the column the navigation links to
        ("新闻动态_某市人民政府", "<a href='/xwdt/'>新闻动态</a>", "疫情期间的政策怎么投诉"),
        # a real short headline that is no link stays, even with an <h1> elsewhere
        ("园区召开务虚会_某园区", "<a href='/xwdt/'>新闻动态</a>", "园区召开务虚会"),
    ],
)
def test_lone_h1_when_title_names_no_article(title: str, nav: str, expected: str) -> None:
    html = page(
        title,
        f"<div class='nav'>{nav}</div><h1>疫情期间的政策怎么投诉</h1>"
        f"<div class='content'><p>{PARA}</p></div>",
    )
    assert extract_article(html, URL).title == expected


@pytest.mark.parametrize(
    "closing",
    [
        # a self-media platform's disclaimer, then comments
        "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
        "以上内容（包括图片及视频）为用户上传并发布，本平台仅提供信息存储服务",
        # keyword line, feedback menu, forum invitation
        "文章关键词： 园区 签约",
        "我要反馈 保存网页",
        "进入【财经股吧】讨论",
        # the responsible editor closes the article (authors are issue 17's field)
        "（责任编辑：张三）",
        # closing headings of blogs and portals
        "相关内容",
        "猜你喜欢：",
        "文章评论",
        "你可能还想看",
        # reprint notice and a forum's rules box
        "转载请注明:原文链接 - http://127.0.0.1/a/1.html",
        "郑 重 声 明",
        # an old portal's toolbar under the article, then its advertising links
        "发送给朋友",
        "打印本文",
        "返回页首",
    ],
)
def test_article_closing_lines_cut_the_body(closing: str) -> None:
    html = page(
        "园区项目签约",
        f"<h1>园区项目签约</h1><div class='content'><p>{PARA}</p><p>{closing}</p>"
        "<p>网友甲：说得好，支持园区发展，希望多引进一些项目。</p></div>",
    )
    assert extract_article(html, URL).body == PARA


def test_titles_are_scored_in_simplified() -> None:
    # The crawler may convert to Simplified; a Traditional truth still matches.
    assert title_exact("义大利公开赛 兹韦列夫封王", "義大利公開賽 茲韋列夫封王")
    assert not title_exact("义大利公开赛", "義大利公開賽 茲韋列夫封王")


def _para(i: int) -> str:
    return f"<div class='p'>第{i}段：园区企业今年新增订单超过一百份，产值同比增长两成，用工需求旺盛。</div>"


@pytest.mark.parametrize(
    ("page_body", "expected_paragraphs"),
    [
        # paragraphs set as sibling <div>s, one of them longer: the whole article, not the one
        (
            "<div class='wrap'>"
            + _para(1)
            + "<div class='p'>第2段：" + "园区推进项目建设，加快新材料、智能制造和生物医药产业集聚，" * 3 + "成效明显。</div>"
            + _para(3) + _para(4)
            + "</div><ul class='nav'><li><a href='/a'>首页</a></li><li><a href='/b'>园区概况</a></li></ul>",
            4,
        ),
        # an article split over table rows: past the rows (never candidates) to the table
        (
            "<table class='art'>"
            + "<tr><td>" + _para(1) + "第1段续：" + "园区推进项目建设，加快产业集聚，" * 4 + "成效明显。</td></tr>"
            + "".join(f"<tr><td>{_para(i)}</td></tr>" for i in (2, 3, 4, 5))
            + "</table>",
            5,
        ),
        # an encyclopaedia-style article: headings between paragraph <div>s lower the whole
        # article's density score, but its text is as full of sentences as the long paragraph
        (
            "<div class='lemma'>"
            + "".join(
                f"<div class='h'><h2>第{i}节</h2><span>编辑</span><span>播报</span><i></i><i></i>"
                f"</div>{_para(i)}"
                for i in (1, 2, 3, 4, 5)
            )
            + "<div class='p'>第6段：" + "园区以核心区为两翼，布局五大产业园区，围绕主导产业配套服务，" * 6 + "</div>"
            + "</div>",
            6,
        ),
        # a lone paragraph beside a link list: nothing to climb to (the parent is mostly links)
        (
            "<div class='wrap'>" + _para(1)
            + "".join(f"<a href='/n{i}'>园区新闻标题第{i}条链接文字较长一些</a>" for i in range(12))
            + "</div>",
            1,
        ),
    ],
)
def test_dense_paragraph_widens_to_its_article(page_body: str, expected_paragraphs: int) -> None:
    body = extract_article(page("园区订单增长", page_body), URL).body
    assert body.count("段：") == expected_paragraphs


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # an empty <title>: og:title stands in, its suffix stripped, and finds the headline box
        ("<title></title><meta property='og:title' content='园区表彰退役军人_某某网'>", "园区表彰退役军人"),
        # twitter:title when there is no og:title
        ("<meta name='twitter:title' content='园区表彰退役军人'>", "园区表彰退役军人"),
        # a <title> present: og:title is not consulted
        (
            "<title>园区表彰退役军人_某园区</title><meta property='og:title' content='别的标题'>",
            "园区表彰退役军人",
        ),
    ],
)
def test_social_title_when_title_is_empty(head: str, expected: str) -> None:
    html = (
        f"<html><head>{head}</head><body><div class='tit'>园区表彰退役军人</div>"
        f"<div class='content'><p>{PARA}</p></div></body></html>"
    )
    assert extract_article(html, URL).title == expected


@pytest.mark.parametrize(
    ("h1", "expected"),
    [
        # a comment count in a child of the headline is no part of it
        ("第二章 园区的新起点<span class='count'>241</span>", "第二章 园区的新起点"),
        ("第二章 园区的新起点<em>(1,024)</em>", "第二章 园区的新起点"),
        ("第二章 园区的新起点<span>3万阅读</span>", "第二章 园区的新起点"),
        # words in a child stay: a subtitle is headline text
        ("第二章 园区的<span>新起点</span>", "第二章 园区的 新起点"),
        # a number inside the headline's own text stays
        ("园区签约12个项目", "园区签约12个项目"),
    ],
)
def test_counters_leave_the_headline(h1: str, expected: str) -> None:
    # The <title> carries the headline with a different spacing, so the <h1> text is what wins.
    html = page(expected.replace(" ", "") + "_某某网", f"<h1>{h1}</h1><div class='content'><p>{PARA}</p></div>")
    assert extract_article(html, URL).title.replace(" ", "") == expected.replace(" ", "")


@pytest.mark.parametrize(
    ("inner_chars", "expected_in_body"),
    [
        # a small box named like an article container inside the article: a note, not the text
        (1, PARA),
        # a named container holding most of the dense block's text is the article (and wins)
        (6, "第1段"),
    ],
)
def test_small_named_box_inside_the_article(inner_chars: int, expected_in_body: str) -> None:
    inner = "".join(_para(i) for i in range(1, inner_chars + 1))
    html = page(
        "园区订单增长",
        f"<div class='main'><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p>"
        f"<div class='article-content'>{inner}</div></div>",
    )
    assert expected_in_body in extract_article(html, URL).body


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # follow buttons and image-viewer chrome
        ("+关注", False),
        ("查看原图 264K", False),
        ("查看原图", False),
        # a sentence about following or viewing stays
        ("关注民生，园区新建两所学校。", True),
    ],
)
def test_self_media_chrome_lines(line: str, kept: bool) -> None:
    html = page("园区项目签约", f"<h1>园区项目签约</h1><div class='content'><p>{PARA}</p><p>{line}</p><p>{PARA}</p></div>")
    assert (line in extract_article(html, URL).body) is kept


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # no <title> at all: a div named as the heading box holds the headline
        ("<div class='Heading'>园区企业新增订单超过一百份</div>", "园区企业新增订单超过一百份"),
        # a blog engine's post title: a permalink whose id names it a title
        (
            "<div><a id='viewpost1_TitleUrl' href='/p/1.html'>园区企业新增订单超过一百份</a></div>",
            "园区企业新增订单超过一百份",
        ),
        # a box named like a title but holding a two-character label: no title
        ("<div class='title'>导读</div>", None),
        # nothing named as a headline: still no title
        ("<div class='box'>园区企业新增订单超过一百份</div>", None),
    ],
)
def test_headline_box_when_nothing_names_the_title(body: str, expected: str | None) -> None:
    html = f"<html><head></head><body>{body}<div class='content'><p>{PARA}</p></div></body></html>"
    assert extract_article(html, URL).title == expected


def _ld(data: str) -> str:
    return f"<script type='application/ld+json'>{data}</script>"


@pytest.mark.parametrize(
    ("head", "url", "expected"),
    [
        # JSON-LD's datePublished, its UTC time moved to China time
        (_ld('{"@type": "NewsArticle", "datePublished": "2024-05-20T06:33:26Z"}'), URL,
         "2024-05-20T14:33:26+08:00"),
        # inside an @graph list
        (_ld('{"@graph": [{"@type": "WebPage"}, {"datePublished": "2024-05-09"}]}'), URL,
         "2024-05-09"),
        # a broken block is skipped, not fatal
        (_ld('{"datePublished": "2024-05-09",,}'), URL, None),
        # a publication meta tag still wins
        ("<meta name='PubDate' content='2024-05-01 09:00'>"
         + _ld('{"datePublished": "2024-05-09"}'), URL, "2024-05-01T09:00+08:00"),
        # JSON-LD beats a date in the URL, the last resort
        (_ld('{"datePublished": "2024-05-09"}'), "http://127.0.0.1/202401/t20240102_1.html",
         "2024-05-09"),
        ("", "http://127.0.0.1/202401/t20240102_1.html", "2024-01-02"),
    ],
)
def test_json_ld_date(head: str, url: str, expected: str | None) -> None:
    html = (
        f"<html><head><title>园区项目签约</title>{head}</head><body><h1>园区项目签约</h1>"
        f"<div class='content'><p>{PARA}</p></div></body></html>"
    )
    assert extract_article(html, url).published_at == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # www.gov.cn writes a hyphen between the day and the time: the time is kept
        ("<meta name='firstpublishedtime' content='2020-03-05-10:21:00'>",
         "2020-03-05T10:21:00+08:00"),
        ("<meta name='weibo: article:create_at' content='2020-03-05 10:21:06'>",
         "2020-03-05T10:21:06+08:00"),
        ("<meta property='news:published_time' content='2020-03-05 10:21'>",
         "2020-03-05T10:21+08:00"),
        ("<meta name='apub:time' content='2020/3/5 10:21:06'>", "2020-03-05T10:21:06+08:00"),
        ("<meta name='publishtime' content='2020年3月5日'>", "2020-03-05"),
        ("<meta name='citation_publication_date' content='2020/03/05'>", "2020-03-05"),
        # a UTC time is moved to China time (the next day here), not cut to its UTC date
        ("<meta property='article:published_time' content='2020-03-05T18:21:00Z'>",
         "2020-03-06T02:21:00+08:00"),
    ],
)
def test_chinese_cms_date_metas(meta: str, expected: str) -> None:
    # The page's only date is in the meta: the body says nothing of when.
    html = (
        f"<html><head><title>园区项目签约</title>{meta}</head><body><h1>园区项目签约</h1>"
        f"<div class='content'><p>{PARA}</p></div></body></html>"
    )
    assert extract_article(html, URL).published_at == expected


def test_gov_last_modified_meta_is_the_modification_date() -> None:
    html = (
        "<html><head><title>园区项目签约</title>"
        "<meta name='firstpublishedtime' content='2020-03-05-10:21:00'>"
        "<meta name='lastmodifiedtime' content='2020-03-09-08:00:00'></head><body>"
        f"<h1>园区项目签约</h1><div class='content'><p>{PARA}</p></div></body></html>"
    )
    fields = extract_article(html, URL)
    assert (fields.published_at, fields.modified_at) == (
        "2020-03-05T10:21:00+08:00", "2020-03-09T08:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-03-05-10:21:00", "2020-03-05T10:21:00+08:00"),
        # a range of days is no time
        ("2020-03-05-2020-03-06", "2020-03-05"),
    ],
)
def test_hyphen_before_the_time(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("dateline", "ld", "expected"),
    [
        # a day-only dateline takes JSON-LD's time of the same day (UTC moved to China time)
        ("2024-05-20", '{"datePublished": "2024-05-20T06:05:02Z"}', "2024-05-20T14:05:02+08:00"),
        # a dateline to the minute takes JSON-LD's seconds
        ("2024-05-20 14:33", '{"datePublished": "2024-05-20T14:33:26+08:00"}',
         "2024-05-20T14:33:26+08:00"),
        # another day in JSON-LD (a later update filed as published) leaves the dateline alone
        ("2024-05-20", '{"datePublished": "2024-05-22T09:00:00+08:00"}', "2024-05-20"),
    ],
)
def test_json_ld_time_for_the_dateline_day(dateline: str, ld: str, expected: str) -> None:
    html = (
        f"<html><head><title>园区项目签约</title>{_ld(ld)}</head><body><h1>园区项目签约</h1>"
        f"<div class='info'>发布时间：{dateline}</div>"
        f"<div class='content'><p>{PARA}</p></div></body></html>"
    )
    assert extract_article(html, URL).published_at == expected


# A 信息公开 page: the metadata table above the headline prints the publication date, while the
# CMS's PubDate meta holds the day the page was re-published (issue 19, government pages).
_GOV_TABLE = (
    "<table class='xxgk'><tr><td>索 引 号：</td><td>AB12/2023-001</td>"
    "<td>{label}</td><td>{shown}</td></tr>"
    "<tr><td>公开方式：</td><td>主动公开</td></tr></table>"
)


@pytest.mark.parametrize(
    ("label", "shown", "meta", "expected"),
    [
        # the printed date under an outright label wins over a meta on another day
        ("发文日期：", "2023-04-18", "2023-05-16 12:34:05", "2023-04-18"),
        ("生成日期：", "2023-05-11", "2023-08-16 10:33:59", "2023-05-11"),
        ("发布日期：", "2017-05-15 10:49:00", "2022-04-24 10:00:43", "2017-05-15T10:49:00+08:00"),
        # the same day: the meta's time is kept, as before
        ("发布日期：", "2023-05-11", "2023-05-11 09:30:00", "2023-05-11T09:30:00+08:00"),
        # a signing date or an update time is not the publication: the meta stays
        ("成文日期：", "2023-04-10", "2023-05-16 12:34:05", "2023-05-16T12:34:05+08:00"),
        ("更新时间：", "2023-06-01", "2023-05-16 12:34:05", "2023-05-16T12:34:05+08:00"),
    ],
)
def test_printed_publication_label_beats_a_meta_of_another_day(
    label: str, shown: str, meta: str, expected: str
) -> None:
    html = (
        f"<html><head><title>某市2022年统计公报</title><meta name='PubDate' content='{meta}'>"
        f"</head><body>{_GOV_TABLE.format(label=label, shown=shown)}"
        f"<h1>某市2022年统计公报</h1><div class='content'><p>{PARA}</p><p>{PARA}</p></div>"
        "</body></html>"
    )
    assert extract_article(html, URL).published_at == expected


def test_bare_time_label_leaves_the_meta_alone() -> None:
    # "时间：" is too weak to overrule the meta: a template's clock or an event time reads so
    html = (
        "<html><head><title>园区项目签约</title><meta name='PubDate' content='2015-07-02 09:40'>"
        "</head><body><h1>园区项目签约</h1><div class='info'>时间：2015-06-29</div>"
        f"<div class='content'><p>{PARA}</p></div></body></html>"
    )
    assert extract_article(html, URL).published_at == "2015-07-02T09:40+08:00"
