"""A site's legal notice is never the article (issue 19): on old portals the 著作权声明 under
every page is one long unbroken block, denser than an article set in short paragraphs among
link tables. Every page below is written for these tests; none is copied from an evaluation set.
"""

from __future__ import annotations

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.body import clean_line

URL = "http://127.0.0.1/news/2005/show.asp?id=7"
PARAS = [
    "园区今天举行项目签约仪式，十二个项目集中落地，总投资超过五十亿元。",
    "管委会表示，下一步将围绕产业链招商，优化审批流程，力争年内开工。",
    "据介绍，签约项目中有五个来自长三角地区，预计建成后年产值可观。",
    "签约仪式后，与会企业代表参观了园区展示中心和标准厂房。",
]
NOTICE = (
    "本网所有内容均由内容合作方根据协议提供。除著作权人声明不得转载、摘编的以外，本网有权转载或"
    "摘编已在报刊或网络上传播的作品，并按规定向著作权人支付稿酬；如您对稿酬有疑议，请与本网联系，"
    "本网将依法承担相应的法律责任，未经授权不得复制，违者必究，侵权必究，特此声明，敬请谅解。"
)
LINKS = "".join(f"<a href='/n/{i}.html'>园区新闻标题第{i}条</a><br>" for i in range(8))


def portal_page(article: str) -> str:
    # The article's paragraphs share a layout cell with link tables; the notice sits in a
    # table of its own under the page.
    return (
        "<html><head><title>园区项目集中签约</title></head><body>"
        "<table><tr><td width='580'><b>园区项目集中签约</b>"
        f"<table><tr><td>{LINKS}</td></tr></table>{article}"
        f"<table><tr><td>{LINKS}</td></tr></table></td>"
        f"<td>{LINKS}</td></tr></table>"
        f"<table><tr><td><b>著作权声明</b></td></tr><tr><td>{NOTICE}</td></tr></table>"
        "</body></html>"
    )


def test_the_article_beats_the_legal_notice() -> None:
    body = extract_article(portal_page("".join(f"<p>{p}" for p in PARAS)), URL).body
    assert body.split("\n") == PARAS


def test_an_article_about_copyright_is_still_an_article() -> None:
    # The notice words lower a short block's score, they do not veto it: a news story full of
    # them still beats the page's link boxes.
    story = [
        "园区知识产权服务中心今天揭牌，将为企业提供著作权登记、版权保护和侵权维权服务。",
        "负责人介绍，中心还将开展授权许可咨询，帮助企业依法转载、摘编和使用作品，按规定支付稿酬。",
        "去年园区企业共登记软件著作权一千二百余件，同比增长三成，版权纠纷案件明显减少。",
        "下一步，中心将联合法院和仲裁机构，建立快速维权通道，让企业少走弯路、少花冤枉钱。",
        "企业代表表示，过去遇到侵权往往不知道找谁，如今在家门口就能办理，维权成本大大降低。",
        "中心还将定期举办知识产权培训，邀请专家讲解法律责任和免责条款，提升企业的保护意识。",
        "据悉，中心首批入驻了五家专业服务机构，可提供登记、评估、交易、诉讼等一站式服务。",
    ]
    page = (
        "<html><head><title>园区知识产权服务中心揭牌</title></head><body>"
        f"<div><h1>园区知识产权服务中心揭牌</h1><div>{LINKS}</div>"
        f"<div>{''.join(f'<p>{p}</p>' for p in story)}</div></div></body></html>"
    )
    assert extract_article(page, URL).body.split("\n") == [clean_line(p) for p in story]
