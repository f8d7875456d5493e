"""normalize_whitespace: odd spaces, zero-width characters, line trimming, blank-line runs."""

from __future__ import annotations

import pytest

from parkcrawl.text.whitespace import normalize_whitespace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # full-width indent of a Chinese paragraph is trimmed
        ("\u3000\u3000园区召开会议。", "园区召开会议。"),
        # no-break spaces between words become one space
        ("园区\u00a0\u00a0会议", "园区 会议"),
        # zero-width characters vanish, even between CJK characters
        ("园\u200b区\u200c会\u200d议\ufeff\u2060", "园区会议"),
        # a name split by one space stays split (participants extractor decides)
        ("出席：王 强、李 明", "出席：王 强、李 明"),
        # runs of spaces and tabs collapse to one space
        ("a \t  b", "a b"),
        # en/em/thin spaces, narrow no-break
        ("x\u2002\u2003\u2009\u202fy", "x y"),
        # each line trimmed
        ("  第一行  \n\t第二行\t", "第一行\n第二行"),
        # three or more newlines keep a single blank line
        ("一\n\n\n\n二", "一\n\n二"),
        # lines holding only spaces count as blank
        ("一\n \u3000 \n\u00a0\n二", "一\n\n二"),
        # CRLF and CR line ends
        ("一\r\n二\r三", "一\n二\n三"),
        # Unicode line and paragraph separators
        ("一\u2028二\u2029三", "一\n二\n三"),
        # leading and trailing blank lines removed
        ("\n\n正文\n\n", "正文"),
        # Chinese punctuation untouched, including full-width parentheses and colon
        ("（一）会议：强调，要求；“落实”。", "（一）会议：强调，要求；“落实”。"),
        # empty and whitespace-only input
        ("", ""),
        ("\u3000 \n\t", ""),
    ],
)
def test_normalize_whitespace(text: str, expected: str) -> None:
    assert normalize_whitespace(text) == expected
