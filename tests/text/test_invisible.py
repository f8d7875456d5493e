"""Invisible characters: controls, bidi controls and zero-width characters are removed from text
and HTML (character references included) before extraction, never turned into spaces."""

from __future__ import annotations

import pytest

from parkcrawl.extract.article import extract_article
from parkcrawl.text import clean_html, clean_page, clean_text
from parkcrawl.text.invisible import strip_invisible, strip_invisible_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ESC alone, and a whole colour escape sequence (no "[31m" left behind)
        ("园区\x1b信息", "园区信息"),
        ("\x1b[31m园区信息\x1b[0m", "园区信息"),
        # an OSC sequence that would set a terminal's title, ended by BEL
        ("园区\x1b]0;pwned\x07信息", "园区信息"),
        # "ESC ]" without its terminator takes only itself: the text after it stays
        ("园区\x1b]信息", "园区信息"),
        # BEL, NUL, backspace, DEL
        ("园\x07区\x00信\x08息\x7f", "园区信息"),
        # C1 controls (CSI U+009B, a stray U+0080)
        ("园\x9b区\x80信息", "园区信息"),
        # right-to-left override and its pop: the title would show reversed
        ("\u202e园区信息\u202c", "园区信息"),
        # every other embedding, override and isolate, the marks, and the Arabic letter mark
        ("园\u202a区\u202b信\u202d息\u2066会\u2067议\u2068召\u2069开\u200e了\u200f吗\u061c", "园区信息会议召开了吗"),
        # zero-width space, non-joiner, joiner, word joiner, BOM: removed, not made spaces
        ("园\u200b区\u200c信\u200d息\u2060会\ufeff议", "园区信息会议"),
        # whitespace controls stay for whitespace normalization: tab, LF, VT, FF, CR, NEL
        ("一\t二\n三\x0b四\x0c五\r六\x85七", "一\t二\n三\x0b四\x0c五\r六\x85七"),
        # visible text is untouched: Chinese punctuation, no-break and ideographic spaces
        ("（一）会议：“落实”。\u00a0\u3000", "（一）会议：“落实”。\u00a0\u3000"),
        ("", ""),
    ],
)
def test_strip_invisible(text: str, expected: str) -> None:
    assert strip_invisible(text) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # literal characters anywhere, an attribute value included (a meta title)
        ('<meta content="标\u202e题"><p>园\u200b区</p>', '<meta content="标题"><p>园区</p>'),
        # numeric references, hexadecimal and decimal, with or without the semicolon
        ("<p>园&#x202E;区&#8203;信&#x1b;息&#7</p>", "<p>园区信息</p>"),
        # named references to bidi marks and zero-width characters
        ("<p>园&rlm;区&lrm;信&zwj;息&zwnj;会&ZeroWidthSpace;议&NoBreak;</p>", "<p>园区信息会议</p>"),
        # references to visible characters stay for the parser: &#150; is an en dash in HTML,
        # &amp; &nbsp; &#12288; are text
        ("<p>A&#150;B &amp; C&nbsp;D&#12288;E</p>", "<p>A&#150;B &amp; C&nbsp;D&#12288;E</p>"),
        # &#129; is undefined in windows-1252: a C1 control, removed
        ("<p>园&#129;区</p>", "<p>园区</p>"),
        # a reference past Unicode is left to the parser
        ("<p>&#x110000;</p>", "<p>&#x110000;</p>"),
    ],
)
def test_strip_invisible_html(html: str, expected: str) -> None:
    assert strip_invisible_html(html) == expected


def test_clean_text_removes_controls_and_keeps_words_whole() -> None:
    cleaned = clean_text("\u202e园区\x1b[1m召开\x07安全\u200b生产\u2066会议\u2069。")
    assert cleaned.text == "园区召开安全生产会议。"


def test_clean_html_removes_them_from_text_nodes_and_references() -> None:
    page = clean_html("<title>园区&#x202E;信息</title><p>召开\x1b[31m会议\u200d。</p>")
    assert page.html == "<title>园区信息</title><p>召开会议。</p>"


def test_mojibake_is_repaired_before_c1_controls_are_removed() -> None:
    # UTF-8 read as Latin-1 is full of C1 bytes (园 = E5 9B AD: "å\x9b\xad"); removing them
    # first would lose the characters the repair brings back.
    garbled = "园区召开安全生产工作会议，会议要求各单位落实责任。".encode().decode("latin-1")
    assert clean_text(garbled).text == "园区召开安全生产工作会议，会议要求各单位落实责任。"


ARTICLE = (
    "<html><head><meta charset='utf-8'><title>园区\u202e召开\x1b[31m安全\u200b生产会议</title></head>"
    "<body><div class='article'><h1>园区\u202e召开\x1b[31m安全\u200b生产会议</h1>"
    "<div class='content'>"
    "<p>　　园\u200b区\u200c召\u200d开\u2060安\ufeff全生产工作推进会，各部门负责同志参加。</p>"
    "<p>　　会议要求\x07压实\x1b[0m责任&#8203;，确保&rlm;各项工作落到实处&#x202E;。</p>"
    "<p>　　下一步，园区将持续完善工作机制，推动安全生产形势持续稳定向好。</p>"
    "</div></div></body></html>"
)


def test_an_article_comes_out_without_them_and_without_spaces_for_them() -> None:
    page = clean_page(ARTICLE.encode("utf-8"), "text/html; charset=utf-8")
    fields = extract_article(page.html, "http://127.0.0.1/a.html")
    assert fields.title == "园区召开安全生产会议"
    assert fields.body == (
        "园区召开安全生产工作推进会，各部门负责同志参加。\n"
        "会议要求压实责任，确保各项工作落到实处。\n"
        "下一步，园区将持续完善工作机制，推动安全生产形势持续稳定向好。"
    )
