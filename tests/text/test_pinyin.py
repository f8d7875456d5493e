"""The annotation stripper, on plain text and on HTML."""

from __future__ import annotations

import pytest

from parkcrawl.text.pinyin import StripResult, strip_annotations, strip_annotations_html

# A prefix that shows the artifact, so single cases are judged on an annotated page.
PAGE = "園(yuán)區(qū)經(jīng)濟(jì)："


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the basic artifact
        (PAGE + "發(fā)展(zhǎn)", "園區經濟：發展"),
        # both readings of 長 are valid; the mirror wrote the first even where 拉長 wants cháng
        (PAGE + "拉長(zhǎng)增長(cháng)", "園區經濟：拉長增長"),
        # repeated groups, toneless
        (PAGE + "政(zheng)(zheng)(zheng)策", "園區經濟：政策"),
        # full-width parentheses
        (PAGE + "園（yuán）區（qū）", "園區經濟：園區"),
        # mixed parentheses
        (PAGE + "園(yuán）區（qū)", "園區經濟：園區"),
        # toneless readings accepted on a page with tone marks; ü written v or ü
        (PAGE + "綠(lv)綠(lü)綠(lǜ)", "園區經濟：綠綠綠"),
        # a lost character: annotation dropped, ? kept, with or without the opening paren
        (PAGE + "重?fù)?(dān)沖", "園區經濟：重??沖"),
        # real parentheses never touched
        (PAGE + "中新(南通)", "園區經濟：中新(南通)"),
        (PAGE + "人工智能(AI)", "園區經濟：人工智能(AI)"),
        (PAGE + "(2024)", "園區經濟：(2024)"),
        (PAGE + "(一)", "園區經濟：(一)"),
        (PAGE + "（试行）", "園區經濟：（试行）"),
        # annotations inside a real parenthesis go, the parentheses stay
        (PAGE + "(以下簡(jiǎn)稱(chēng)蘇(sū)錫(xī)通園(yuán)區(qū))", "園區經濟：(以下簡稱蘇錫通園區)"),
        # a romanised name is capitalised: kept
        (PAGE + "李(Li)", "園區經濟：李(Li)"),
        # a reading that is not one of the character's: kept
        (PAGE + "李(wang)", "園區經濟：李(wang)"),
        # a lowercase English word right after an annotation: kept
        (PAGE + "平臺(tái)(app)", "園區經濟：平臺(app)"),
        # not after a CJK character
        (PAGE + "AI(ai)", "園區經濟：AI(ai)"),
        # ?ok) is not a syllable
        (PAGE + "什麼?ok)", "園區經濟：什麼?ok)"),
        # clean page: a deliberate gloss survives
        ("王喆(zhé)出席會議", "王喆(zhé)出席會議"),
        # clean page: two glosses of shared characters survive
        ("王喆(zhé)和李堃(kūn)出席", "王喆(zhé)和李堃(kūn)出席"),
        # clean page: a romanised name in lowercase survives
        ("李(li)先生", "李(li)先生"),
        # two annotations on Traditional-only characters are the mirror's signature
        ("推進(jìn)跨江通道建設(shè)", "推進跨江通道建設"),
        # one annotation alone is indistinguishable from a gloss
        ("推進(jìn)跨江通道", "推進(jìn)跨江通道"),
        # five toneless readings alone are not enough
        ("園(yuan)區(qu)經(jing)濟(ji)發(fa)", "園(yuan)區(qu)經(jing)濟(ji)發(fa)"),
        # six are
        ("園(yuan)區(qu)經(jing)濟(ji)發(fa)展(zhan)", "園區經濟發展"),
        # nothing to do
        ("", ""),
        ("沒有括號的文本", "沒有括號的文本"),
    ],
)
def test_strip_annotations(text: str, expected: str) -> None:
    assert strip_annotations(text).text == expected


def test_strip_result_counts() -> None:
    assert strip_annotations("挑起重?fù)?(dān)園(yuán)區(qū)") == StripResult("挑起重??園區", 4, 2)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # annotation in its own span
        (
            "<p>園<span>(yuán)</span>區(qū)經(jīng)濟(jì)</p>",
            "<p>園<span></span>區經濟</p>",
        ),
        # annotation after a closing tag
        (
            '<p><a href="/a">園</a>(yuán)區(qū)經(jīng)</p>',
            '<p><a href="/a">園</a>區經</p>',
        ),
        # repeated groups split by tags and a newline
        (
            "<p>政<i>(zheng)</i>\n<i>(zheng)</i>園(yuán)區(qū)經(jīng)</p>",
            "<p>政<i></i>\n<i></i>園區經</p>",
        ),
        # attribute values are never altered, even when they hold annotations
        (
            '<a title="園(yuán)區(qū)" href="/q?x=(yuán)">園(yuán)區(qū)經(jīng)</a>',
            '<a title="園(yuán)區(qū)" href="/q?x=(yuán)">園區經</a>',
        ),
        # real parentheses and entities survive
        (
            "<p>中新(南通)&nbsp;園(yuán)區(qū)經(jīng)(2024)</p>",
            "<p>中新(南通)&nbsp;園區經(2024)</p>",
        ),
        # a clean page keeps a gloss
        ("<p>王喆(zhé)出席</p>", "<p>王喆(zhé)出席</p>"),
        # a reading after an attribute-only tag is not an annotation of the tag
        ('<img alt="x">(yuán)園(yuán)區(qū)經(jīng)', '<img alt="x">(yuán)園區經'),
        # a full-width parenthesis that holds no reading, and one that does (the split pattern
        # is chosen by whether a full-width group exists, not by the "（" alone)
        (
            "<p>（記者 王明）園(yuán)區(qū)經(jīng)（2024）</p>",
            "<p>（記者 王明）園區經（2024）</p>",
        ),
        (
            "<p>（記者 王明）園（yuán）區(qū)經(jīng)</p>",
            "<p>（記者 王明）園區經</p>",
        ),
        # a full-width group inside an attribute value stays, the text's goes
        (
            '<a title="園（yuán）">園(yuán)區（qū）經(jīng)</a>',
            '<a title="園（yuán）">園區經</a>',
        ),
    ],
)
def test_strip_annotations_html(html: str, expected: str) -> None:
    assert strip_annotations_html(html).text == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the mirror annotated an alt value too: kept there (inside a tag), stripped in the text
        (
            '<img alt="園(yuán)區(qū)"><p>園(yuán)區(qū)發(fā)展</p>',
            StripResult('<img alt="園(yuán)區(qū)"><p>園區發展</p>', 3, 0),
        ),
        # a tag holding a second "<": inside it from that "<" on, so its group stays
        (
            '<a title="a<b 園(yuán)">園(yuán)區(qū)經(jīng)</a>',
            StripResult('<a title="a<b 園(yuán)">園區經</a>', 3, 0),
        ),
        # a group after a line break looks back to the character before it
        ("<p>園\n(yuán)區(qū)發(fā)</p>", StripResult("<p>園\n區發</p>", 3, 0)),
        # a script's call is no annotation
        (
            "<script>f(e)</script><p>園(yuán)區(qū)發(fā)</p>",
            StripResult("<script>f(e)</script><p>園區發</p>", 3, 0),
        ),
        # after a hanzi but no reading of it: kept
        ("<p>園(yuán)區(qū)發(fā)展(abc)</p>", StripResult("<p>園區發展(abc)</p>", 3, 0)),
        # after a lost character: removed and counted as lost
        ("<p>重?(fù)園(yuán)區(qū)</p>", StripResult("<p>重?園區</p>", 3, 1)),
        # at the very start of the page: nothing before it to annotate
        ("(yuán)園(yuán)區(qū)發(fā)", StripResult("(yuán)園區發", 3, 0)),
    ],
)
def test_one_split_form_and_general_pass_agree(
    html: str, expected: StripResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one-split form (pinyin._strip_anchored) answers most annotated pages; the general pass
    # answers the rest (look-back, invalid groups) and is the reference: both give the truth.
    from parkcrawl.text import pinyin

    assert strip_annotations_html(html) == expected
    monkeypatch.setattr(pinyin, "_strip_anchored", lambda text, work, html: None)
    assert strip_annotations_html(html) == expected
