"""Pages that repeat one post template (issue 19): a blog archive's posts, each with a title
and date row over its text. The page's own post is the first; its date stands just above it,
far below the blog's name (the only heading the page has).

Every page below is written for these tests; none is copied from an evaluation set.
"""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article

URL = "http://127.0.0.1/blog/archives.php?month=200506"
FIRST = "今天去园区新开的图书馆看书，阅览室很安静，窗外是一片草坪，借书只要刷一下身份证。"
SECOND = (
    "周末和朋友去湖边骑车，沿着绿道走了二十公里，路上看到很多人在钓鱼、放风筝、野餐，"
    "傍晚的湖面映着晚霞，特别好看。回来的路上我们又去吃了一碗牛肉面，味道和小时候一样。"
    "明年春天我们还要再来，那时候湖边的樱花应该都开了。"
)
THIRD = "上班路上遇到一场大雨，幸好带了伞，到公司的时候鞋子还是湿透了，只好换上备用的鞋。"
SIDEBAR = "".join(f"<li><a href='/p/{i}.html'>往期文章第{i}篇</a></li>" for i in range(12))


def post(title: str, when: str, text: str) -> str:
    # Each post in its own wrapper table: a title cell beside a date cell, the text cell, and
    # a footer of links (print, comment, share) that keeps the density scorer from widening
    # the text cell to the whole column.
    return (
        '<table class="post"><tr><td class="post-title">'
        f"{title}</td><td class=\"post-title\">{when}</td></tr>"
        f'<tr><td class="post-body">{text}</td></tr>'
        '<tr><td><a href="/print">打印本文</a> <a href="/comment">发表评论</a> '
        '<a href="/share">分享到朋友圈</a> 共3篇评论</td></tr></table>'
    )


def blog_page(posts: list[tuple[str, str, str]]) -> str:
    return (
        "<html><head><title>海边的日记 | 博客</title></head><body>"
        "<div><strong>海边的日记</strong></div>"
        f'<div class="side">个人资料<br>最新文章<ul>{SIDEBAR}</ul></div>'
        f"<div>{''.join(post(*p) for p in posts)}</div>"
        "</body></html>"
    )


def test_the_first_of_three_posts_is_the_page_s_post() -> None:
    # The second post is the longest (the densest block), but the page's post is the first.
    page = blog_page(
        [
            ("图书馆", "2005-06-14 03:25:55", FIRST),
            ("湖边骑车", "2005-06-13 15:00:14", SECOND),
            ("大雨", "2005-06-10 08:01:02", THIRD),
        ]
    )
    fields = extract_article(page, URL)
    assert fields.body == FIRST
    # The date row just above the first post, with its time, though the only heading (the
    # blog's name) is far above it behind the sidebar.
    assert fields.published_at == "2005-06-14T03:25:55+08:00"


def test_two_posts_are_not_a_repeated_template() -> None:
    # Below REPEATED_POST_MIN the densest block stays the article.
    page = blog_page(
        [("图书馆", "2005-06-14 03:25:55", FIRST), ("湖边骑车", "2005-06-13 15:00:14", SECOND)]
    )
    assert extract_article(page, URL).body == SECOND


@pytest.mark.parametrize("wrapper", ["div", "td"])
def test_sibling_blocks_of_one_class_are_one_article(wrapper: str) -> None:
    # Paragraph blocks sharing a class and a parent are parts of one article, not posts: the
    # first of them alone is not taken for the article.
    cells = "".join(f'<{wrapper} class="para">{t}</{wrapper}>' for t in (FIRST, SECOND, THIRD))
    inner = f"<table><tr>{cells}</tr></table>" if wrapper == "td" else f"<div>{cells}</div>"
    page = (
        "<html><head><title>日记三则</title></head><body><h1>日记三则</h1>"
        f"{inner}</body></html>"
    )
    assert FIRST not in extract_article(page, URL).body.split("\n")[-1]
    assert SECOND in extract_article(page, URL).body
