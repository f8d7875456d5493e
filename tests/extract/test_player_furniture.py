"""Furniture set into the article (issue 19): a video player (its buttons, speed and quality
menus and error messages are no text) and a wiki engine's boxes. Every page below is written for
these tests; none is copied from an evaluation set.
"""

from __future__ import annotations

from parkcrawl.extract.article import extract_article

URL = "http://127.0.0.1/news/show.asp?id=7"
P1 = "园区今天举行项目签约仪式，十二个项目集中落地，总投资超过五十亿元，涵盖新材料和智能制造。"
P2 = "管委会表示，下一步将围绕产业链招商，优化审批流程，力争年内开工建设，确保项目早日投产。"
PLAYER = (
    '<div class="mod-player"><div class="player-bar">'
    "<span>播放速度：2X</span><span>倍速</span><span>1.5X</span><span>高清</span>"
    "<span>循环播放</span><span>跳过片头</span><span>00:00</span></div>"
    '<div class="player-error">很抱歉，当前视频播放失败，错误代码：4100</div></div>'
)


def test_player_controls_leave_the_body() -> None:
    html = (
        "<html><head><title>园区项目集中签约</title></head><body><h1>园区项目集中签约</h1>"
        f"<div class='content'>{PLAYER}<p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    assert extract_article(html, URL).body == f"{P1}\n{P2}"


def test_an_article_box_named_video_keeps_its_text() -> None:
    # A wrapper named like a video page holding the article is long: it stays.
    paragraphs = [P1, P2, P1.replace("十二", "八"), P2.replace("年内", "年底")]
    html = (
        "<html><head><title>园区项目集中签约</title></head><body><h1>园区项目集中签约</h1>"
        f"<div class='video-article'>{''.join(f'<p>{p}</p>' for p in paragraphs)}</div>"
        "</body></html>"
    )
    assert extract_article(html, URL).body == "\n".join(paragraphs)


def test_wiki_engine_furniture_leaves_the_body() -> None:
    # A wiki article: a maintenance notice, an infobox, a table of contents, "[编辑]" links and
    # the reference list, all by the engine's class names; only the prose stays.
    html = (
        "<html><head><title>园区 - 百科</title></head><body><h1>园区</h1>"
        "<div id='content'>"
        "<table class='ambox'><tr><td>此条目需要补充更多来源，请协助改善。</td></tr></table>"
        "<table class='infobox'><tr><th>所属地区</th><td>某省某市</td></tr>"
        "<tr><th>设立时间</th><td>2017年4月1日</td></tr></table>"
        f"<p>{P1}</p>"
        "<div class='toc'><ul><li>1 历史</li><li>2 产业</li></ul></div>"
        "<h2>历史<span class='mw-editsection'>[编辑]</span></h2>"
        f"<p>{P2}</p>"
        "<div class='reflist'><ol><li>^ 园区简介. 某某网. 2023-03-19</li></ol></div>"
        "</div></body></html>"
    )
    assert extract_article(html, URL).body == f"{P1}\n历史\n{P2}"


def test_a_blog_calendar_leaves_the_body() -> None:
    # Days without posts are plain numbers, so the table is no link box.
    days = "".join(
        "<tr>" + "".join(f"<td>{w * 7 + d}</td>" for d in range(1, 8)) + "</tr>" for w in range(4)
    )
    html = (
        "<html><head><title>园区项目集中签约</title></head><body><h1>园区项目集中签约</h1>"
        f"<div class='content'><table id='Calendar1_entryCal'><tr><th>Su</th><th>Mo</th></tr>"
        f"{days}</table><p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    assert extract_article(html, URL).body == f"{P1}\n{P2}"
