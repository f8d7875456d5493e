"""A video player set into the article (issue 19): its buttons, speed and quality menus and
error messages are no text. Every page below is written for these tests; none is copied from an
evaluation set.
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
