"""The cleaning contract: clean_text, clean_html, clean_page."""

from __future__ import annotations

import re

import opencc
import pytest

from parkcrawl.text import CleanedPage, CleanedText, clean_html, clean_page, clean_text

_ANNOTATION = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+[)）]")


def test_seed_clean_text(seed_text: str) -> None:
    cleaned = clean_text(seed_text)
    assert isinstance(cleaned, CleanedText)
    assert not _ANNOTATION.search(cleaned.text)
    assert not re.search(r"[?？][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)", cleaned.text)
    # no Traditional-only character is left
    assert opencc.OpenCC("tw2s").convert(cleaned.text) == cleaned.text
    title = cleaned.text.splitlines()[1]
    assert "苏锡通园区召开工作务虚会" in title
    assert "中新(南通)" in cleaned.text
    assert "挑起重??冲" in cleaned.text
    assert cleaned.script == "Hant"
    assert cleaned.quality_flags == ("pinyin_annotations", "lost_characters")


def test_seed_keep_script(seed_text: str) -> None:
    cleaned = clean_text(seed_text, convert=False)
    assert not _ANNOTATION.search(cleaned.text)
    assert "蘇錫通園區召開工作務虛會" in cleaned.text


@pytest.mark.parametrize(
    ("text", "expected", "script", "flags"),
    [
        # a clean Simplified text passes through
        ("园区召开会议。", "园区召开会议。", "Hans", ()),
        # Traditional without annotations is converted and reported as Hant
        ("園區管委會召開會議，部署明年工作。", "园区管委会召开会议，部署明年工作。", "Hant", ()),
        # a deliberate gloss on a clean page survives
        ("王喆(zhé)出席会议。", "王喆(zhé)出席会议。", "Hans", ()),
        # the mirror artifact with a real parenthesis
        (
            "中新(南通)產(chǎn)業(yè)合作區(qū)",
            "中新(南通)产业合作区",
            "Hant",
            ("pinyin_annotations",),
        ),
        # UTF-8 read as GBK upstream
        ("鑻忛敗閫氬洯鍖\ufffd召开会议", "苏锡通园\ufffd召开会议", "Hans", ("mojibake_repaired",)),
        # whitespace: full-width indent, nbsp, zero-width, blank runs
        ("\u3000\u3000园区\u00a0会议\u200b\n\n\n\n下一段 ", "园区 会议\n\n下一段", "Hans", ()),
    ],
)
def test_clean_text_cases(text: str, expected: str, script: str, flags: tuple[str, ...]) -> None:
    assert clean_text(text) == CleanedText(expected, script, flags)


def test_clean_html_keeps_markup_and_attributes() -> None:
    html = (
        '<a href="/園區/news.html" title="園(yuán)區(qū)">園(yuán)區(qū)信(xìn)息</a>'
        "<p>管<span>(guǎn)</span>委會(huì)&nbsp;中新(南通)</p>"
    )
    page = clean_html(html)
    assert page == CleanedPage(
        '<a href="/園區/news.html" title="園(yuán)區(qū)">园区信息</a>'
        "<p>管<span></span>委会&nbsp;中新(南通)</p>",
        "",
        "Hant",
        ("pinyin_annotations",),
    )


def test_clean_html_attribute_values_found_as_quoted_values_after_equals() -> None:
    # Quoted values are found left to right after an "="; one holding an "=" and a quote of the
    # other kind must not shift the values after it: each non-ASCII value comes back as served.
    html = (
        '<p a="b=\'x" c=\'園區\' d="國家=\'發展\'">國家</p>'
        "<img alt='長(zhǎng)' src=\"/圖.png\">長</p>"
    )
    assert clean_html(html).html == (
        '<p a="b=\'x" c=\'園區\' d="國家=\'發展\'">国家</p>'
        "<img alt='長(zhǎng)' src=\"/圖.png\">长</p>"
    )


@pytest.mark.parametrize(
    "html",
    [
        '<a title="園區" href=\'x\' alt="a=\'中\'">',
        '="中"="文"',
        "x='' y=\"\" z='國'",
        '<p a="b" c="國(guó)">國</p>=""',
        '=="中"',
        '="a"中"',
        "='\"中\"'",
        '<a b="c=\'d" e=\'國\'>',
        '="<中>"="中',
        "no values 中文 at all",
        "",
    ],
)
def test_non_ascii_values_are_those_of_the_full_scan(html: str) -> None:
    # the one-pass pattern must find exactly the non-ASCII values of the plain left-to-right scan
    from parkcrawl.text.clean import _ATTR_VALUE, _NON_ASCII_VALUE

    full = [m.span(1) for m in _ATTR_VALUE.finditer(html) if not m.group(1).isascii()]
    fast = [m.span(1) for m in _NON_ASCII_VALUE.finditer(html) if m.start(1) >= 0]
    assert fast == full


def test_clean_page_decodes_and_cleans() -> None:
    body = '<meta charset="gb2312"><p>園區(qū)長(zhǎng)會(huì)議 王喆</p>'.encode("gb18030")
    page = clean_page(body, "text/html")
    assert page.encoding == "gb18030"
    assert page.html == '<meta charset="gb2312"><p>园区长会议 王喆</p>'
    assert page.script == "Hant"


@pytest.mark.parametrize(
    ("html", "expected", "script"),
    [
        # a Simplified page whose script holds "(e)" groups after letters, a space and a ")":
        # the screens skip every pass and the page comes back as it was
        ('<p>园区新闻</p><script>function(e){if (e) f(a)(b)}</script>',
         '<p>园区新闻</p><script>function(e){if (e) f(a)(b)}</script>', "Hans"),
        # annotations looked for through a tag and a space, with full-width parentheses
        ("<p>園(yuán)區(qū)</p> 規（guī）<b>劃</b>(huà)", "<p>园区</p> 规<b>划</b>", "Hant"),
        # an ASCII-only page still loses its control characters and escape sequences
        ("<p>a\x07b\x1b[31mc\x7f</p>", "<p>abc</p>", "Hans"),
        # a zero-width space and its reference on an otherwise clean Simplified page
        ("<p>园\u200b区&#x200B;</p>", "<p>园区</p>", "Hans"),
        # UTF-8 read as GBK inside a Simplified page (the mojibake screen's rhythm)
        ("<p>鑻忛敗閫氬洯</p>", "<p>苏锡通园</p>", "Hans"),
    ],
)
def test_clean_html_screens(html: str, expected: str, script: str) -> None:
    # The one-scan screens (clean._needs_work, clean._damaged, pinyin._MAYBE_*) skip passes only
    # where the pass would change nothing.
    page = clean_html(html)
    assert (page.html, page.script) == (expected, script)


def test_screens_change_nothing_on_the_demo_site(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every page of the demo site cleans the same with the screens as with every pass run, and
    # with the annotation pass's one-split form (pinyin._strip_anchored) as with its general form.
    from pathlib import Path

    from parkcrawl.text import clean as clean_module
    from parkcrawl.text import decode_html, pinyin

    pages = sorted(Path(__file__).resolve().parents[2].glob("fixtures/site/**/*.html"))
    texts = [decode_html(p.read_bytes(), "text/html").text for p in pages]
    assert len(texts) > 30
    screened = [clean_html(t) for t in texts]

    class Always:
        def search(self, text: str) -> bool:
            return True

    monkeypatch.setattr(clean_module, "_needs_work", lambda html: True)
    monkeypatch.setattr(clean_module, "_damaged", lambda residue: True)
    monkeypatch.setattr(pinyin, "_MAYBE_ASCII_RE", Always())
    monkeypatch.setattr(pinyin, "_strip_anchored", lambda text, work, html: None)
    assert [clean_html(t) for t in texts] == screened
    assert sum(page.script == "Hant" for page in screened) > 0
