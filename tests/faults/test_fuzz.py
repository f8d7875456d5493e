"""Hostile input for the pure cleaning and extraction functions: they never raise, never log an
error, and their work grows linearly with the input.

Random HTML and text come from hypothesis (derandomized, no example database, so every run tries
the same inputs); hand-written hostile pages cover what random generation rarely reaches (deep
nesting, megabyte attributes, invalid bytes, codec names that are no web encoding).

Linear time is checked by counting work deterministically: every Python-level call and line
executed (sys.settrace) at input sizes n and 4n, after a warm-up so caches and lazy lexicons are
already loaded. Work done inside C (regular expressions, lxml, OpenCC) is invisible to that count,
so a second check compares the CPU time (time.process_time, blind to other processes' load) of the
same families at n and 8n: the least of repeated runs, with a bound far above linear (8; measured
at most 9) and far below quadratic (64).

Known and left alone: libxml2 compares an element's attributes pairwise, so lxml (and with it
extract_article) parses N attributes on one element in O(N²) — 25,000 attributes take a second.
No family here generates that; a page would need hundreds of thousands to matter.
"""

from __future__ import annotations

import codecs
import html
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkcrawl.extract.article import ArticleFields, extract_article
from parkcrawl.extract.participants import extract_participants
from parkcrawl.text import CleanedPage, CleanedText, clean_html, clean_page, clean_text, decode_html

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
URL = "http://park.example.gov.cn/dtyw/yqxx/202411/t20241122_1.html"


@contextmanager
def no_error_logged() -> Iterator[None]:
    """Fail if anything logs at ERROR or above (decode_html logs, not hides, what it catches)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    assert not records, [r.getMessage() for r in records]


# ------------------------------------------------------------------ strategies

# Characters a Chinese government page (and a broken one) is made of, weighted toward trouble.
TROUBLE = (
    "园区信息動態要聞主任张三副书记李四（）()【】《》：；。，、"
    "yuánqūdòngtài"  # pinyin-like annotations: 園(yuán)
    "<>&;#=\"'/\\"
    "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\u200b\u202e\ufeff\ufffd\u3000\xa0\t\r\n "
    "0123456789年月日-:"
    "å›­åŒºä¿¡æ¯"  # UTF-8 read as cp1252
    "鍥尯淇℃伅"  # UTF-8 read as GBK
)
chars = st.one_of(st.sampled_from(TROUBLE), st.characters())
texts = st.text(chars, max_size=300)

# Tags of real pages, tags that change how parsers read what follows, and nonsense ones.
# fmt: off
TAGS = [
    "html", "head", "body", "title", "meta", "div", "p", "span", "a", "table", "tbody", "tr", "td",
    "h1", "h2", "script", "style", "font", "br", "img", "ul", "li", "form", "iframe", "svg", "math",
    "noscript", "template", "textarea", "xmp", "frameset", "select", "x-cms", "o:p", "",
]
ATTRS = [
    "class", "id", "title", "href", "src", "style", "charset", "content", "http-equiv", "name",
    "onclick", "a b", "",
]
# fmt: on
attr_values = st.one_of(texts, st.integers(1_000, 10_000).map(lambda k: "园" * k))
attrs = st.lists(st.tuples(st.sampled_from(ATTRS), attr_values), max_size=4)


def element(tag: str, attributes: list[tuple[str, str]], children: list[str], closed: bool) -> str:
    attr_text = "".join(f' {name}="{value}"' for name, value in attributes)
    return f"<{tag}{attr_text}>{''.join(children)}" + (f"</{tag}>" if closed else "")


raw_text = st.one_of(
    texts,
    texts.map(html.escape),
    st.sampled_from(
        [
            "<!--",
            "-->",
            "<![CDATA[",
            "&#0;",
            "&#xD800;",
            "&#99999999;",
            "&nbsp",
            "<",
            "</",
            "<!DOCTYPE x>",
        ]
    ),
)
nodes = st.recursive(
    raw_text,
    lambda children: st.builds(
        element, st.sampled_from(TAGS), attrs, st.lists(children, max_size=5), st.booleans()
    ),
    max_leaves=40,
)
deep = st.builds(
    lambda tag, depth, inner, closed: (
        f"<{tag}>" * depth + inner + (f"</{tag}>" * depth if closed else "")
    ),
    st.sampled_from(["div", "span", "table", "p", "font", "li"]),
    st.integers(0, 1000),
    texts,
    st.booleans(),
)
documents = st.builds(
    lambda prefix, title, body: (
        f"{prefix}<html><head><title>{title}</title></head><body>{body}</body></html>"
    ),
    st.sampled_from(
        [
            "",
            "<!DOCTYPE html>",
            "\ufeff",
            "<?xml version='1.0' encoding='gbk'?>",
            "<meta charset=gb2312>",
        ]
    ),
    texts,
    st.lists(st.one_of(nodes, deep), max_size=4).map("".join),
)
html_texts = st.one_of(documents, nodes, deep, texts)

ENCODINGS = ["utf-8", "gbk", "gb18030", "big5", "utf-16", "utf-16-le", "cp1252", "shift_jis"]
CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=gb2312",
            "text/html;charset=GBK",
            "text/html; charset=big5",
            "text/html; charset=utf-16",
            "application/octet-stream",
            "text/html; charset=",
            "text/html; charset=punycode",
            "text/html; charset=unicode_escape",
            "text/html; charset=utf-7",
            "text/html; charset=idna",
            "text/html; charset=base64",
            "text/html; charset=rot13",
        ]
    ),
    st.text(max_size=40).map(lambda label: f"text/html; charset={label}"),
)


@st.composite
def page_bytes(draw: st.DrawFn) -> bytes:
    """A page as a server might send it: some encoding, maybe a BOM, maybe corrupted bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2000))
    text = draw(html_texts)
    body = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        body = (
            draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE, b""]))
            + body
        )
    for _ in range(draw(st.integers(0, 3))):  # splice in invalid bytes
        at = draw(st.integers(0, len(body)))
        body = (
            body[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3(", b"\x81", b"\xe2\x28\xa1", b"\x00"]))
            + body[at:]
        )
    return body


# ------------------------------------------------------------------ never raise, never log an error


@FUZZ
@given(texts)
def test_clean_text_never_raises(text: str) -> None:
    with no_error_logged():
        for convert in (True, False):
            out = clean_text(text, convert=convert)
            assert isinstance(out, CleanedText) and isinstance(out.text, str)
            assert out.script in ("Hans", "Hant")


@FUZZ
@given(html_texts)
def test_clean_html_never_raises(page: str) -> None:
    with no_error_logged():
        out = clean_html(page)
        assert isinstance(out, CleanedPage) and isinstance(out.html, str) and out.encoding == ""


@FUZZ
@given(page_bytes(), CONTENT_TYPES)
def test_clean_page_never_raises(body: bytes, content_type: str | None) -> None:
    with no_error_logged():
        out = clean_page(body, content_type)
        assert isinstance(out.html, str) and out.encoding
        codecs.lookup(out.encoding)  # a real codec name


@FUZZ
@given(html_texts)
def test_extract_article_never_raises(page: str) -> None:
    with no_error_logged():
        fields = extract_article(page, URL)
        assert isinstance(fields, ArticleFields)
        assert fields.title is None or isinstance(fields.title, str)
        assert fields.body is None or isinstance(fields.body, str)


@FUZZ
@given(st.one_of(texts, html_texts))
def test_extract_participants_never_raises(text: str) -> None:
    with no_error_logged():
        for person in extract_participants(text):
            assert isinstance(person.name, str) and person.name
            assert person.role is None or isinstance(person.role, str)


def wrap(body: str) -> str:
    return (
        "<html><head><title>园区召开安全生产工作推进会</title></head><body>"
        f"<h1>园区召开安全生产工作推进会</h1><div class='content'>{body}</div></body></html>"
    )


HOSTILE_PAGES = {
    "10,000 nested divs": wrap("<div>" * 10_000 + "园区信息" + "</div>" * 10_000),
    "100,000 unclosed divs": wrap("<div>" * 100_000 + "园区信息"),
    "3,000 nested tables": wrap("<table><tr><td>" * 3_000 + "园区信息"),
    "1 MB attribute": wrap('<div class="' + "园" * 1_000_000 + '">园区信息</div>'),
    "unterminated 1 MB attribute": wrap('<div title="' + "a" * 1_000_000),
    "NUL and C0/C1 controls": wrap("\x00\x01\x02\x1b\x7f\x85\x9f" * 2_000 + "园区\x00信息"),
    "lone surrogate": wrap("园区\ud800信息\udfff"),
    "bidi and zero-width": wrap("\u202e\u200b\ufeff园区信息\u2028\u2029" * 500),
    "broken entities": wrap("&#0;&#xD800;&#99999999999;&#x110000;&nbsp&amp;&lt;" * 500),
    "10,000 comment openers": wrap("<!--" * 10_000),
    "unterminated script": wrap("<script>" + "var a='<div>';" * 5_000),
    "only a title of 200,000 characters": "<title>" + "园" * 200_000 + "</title>",
    "empty": "",
    "a lone <": "<",
    "CDATA openers": "<![CDATA[" * 1_000,
    "doctype that never ends": "<!DOCTYPE " + "x" * 100_000,
    "5,000 headlines": "<h1>园区召开会议</h1>" * 5_000,
    "pinyin annotations everywhere": wrap("園(yuán)區(qū)信(xìn)息(xī)" * 3_000),
}


@pytest.mark.parametrize("page", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES.keys())
def test_hostile_pages_never_raise(page: str) -> None:
    with no_error_logged():
        clean_text(page)
        clean_html(page)
        clean_page(page.encode("utf-8", "surrogatepass"), "text/html")
        extract_article(page, URL)
        extract_participants(page)


HOSTILE_BYTES = {
    "invalid UTF-8": b"<html><body>\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 1_000,
    "UTF-16 without a BOM": "<html><body>园区信息</body></html>".encode("utf-16-le"),
    "UTF-32 BOM, truncated": codecs.BOM_UTF32_LE + b"<\x00\x00",
    "GBK cut mid-character": "<html><body>园区信息</body></html>".encode("gbk")[:-15],
    "every byte value": bytes(range(256)) * 100,
    "a BOM and nothing else": codecs.BOM_UTF8,
    "HZ declared": b"<html><meta charset=hz-gb-2312><body>~{<:Ky~}</body></html>",
}


@pytest.mark.parametrize("body", HOSTILE_BYTES.values(), ids=HOSTILE_BYTES.keys())
@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/html; charset=utf-8",
        "text/html; charset=punycode",
        "text/html; charset=" + "a" * 10_000,
    ],
)
def test_hostile_bytes_never_raise(body: bytes, content_type: str | None) -> None:
    with no_error_logged():
        clean_page(body, content_type)


@pytest.mark.parametrize(
    "label", ["punycode", "idna", "utf-7", "unicode_escape", "raw_unicode_escape", "undefined"]
)
def test_a_python_codec_that_is_no_web_encoding_is_ignored(label: str) -> None:
    # Found by this fuzz test: charset=punycode made bytes.decode raise UnicodeError (not a
    # UnicodeDecodeError), so decode_html logged an ERROR and fell back to UTF-8 with replacement
    # characters for a perfectly good GBK page. Such labels are ignored now, as browsers do.
    body = f'<html><head><meta charset="{label}"><title>园区信息</title></head><body>园区召开安全生产工作推进会</body></html>'.encode(
        "gbk"
    )
    with no_error_logged():
        decoded = decode_html(body, f"text/html; charset={label}")
    assert decoded.encoding == "gb18030"
    assert "园区召开安全生产工作推进会" in decoded.text


# ------------------------------------------------------------------ linear time


def _page(body: str) -> str:
    return wrap(body)


# Families of hostile input, each a function of a size n (characters grow linearly with n).
FAMILIES: dict[str, Callable[[int], str]] = {
    "nested divs": lambda n: _page("<div>" * n + "园区信息" + "</div>" * n),
    "unclosed nesting": lambda n: _page("<div><span>" * n + "园区信息"),
    "sibling paragraphs": lambda n: _page("<p>园区召开安全生产工作推进会。</p>" * n),
    "long attribute": lambda n: _page('<div title="' + "园a" * (n * 50) + '">园区信息</div>'),
    "unbroken hanzi": lambda n: _page("园" * (n * 10)),
    "pinyin annotations": lambda n: _page("園(yuán)區(qū)" * n),
    "open parentheses": lambda n: _page("(" * (n * 5) + "园" + ")" * (n * 5)),
    "lone angle brackets": lambda n: _page("<" * (n * 10)),
    "unterminated tags": lambda n: _page("<a园 " * (n * 5)),
    "broken entities": lambda n: _page("&#" * (n * 10) + "&#99999999;" * n),
    "control characters": lambda n: _page("\x00\x01\x02\x1b\x7f\x85" * (n * 5)),
    "datelines": lambda n: _page("发布时间：2024年11月22日 来源：园区办公室 " * n),
    "officials": lambda n: _page("园区党工委书记、管委会主任张三，副主任李四、王五出席。" * n),
    "whitespace runs": lambda n: _page(" \u3000\xa0\t\n" * (n * 10)),
    "comment openers": lambda n: _page("<!--" * (n * 5)),
    "cp1252 mojibake": lambda n: _page("å›­åŒºä¿¡æ\x81¯" * (n * 5)),
    "GBK mojibake": lambda n: _page("鍥尯淇℃伅" * (n * 5)),
    "table rows": lambda n: _page(
        "<table>" + "<tr><td>园区</td><td>2024-11-22</td></tr>" * n + "</table>"
    ),
}
FUNCTIONS: dict[str, Callable[[str], object]] = {
    "clean_page": lambda s: clean_page(s.encode("utf-8"), "text/html"),
    "clean_html": clean_html,
    "clean_text": clean_text,
    "extract_article": lambda s: extract_article(s, URL),
    "extract_participants": extract_participants,
}


def python_work(fn: Callable[[str], object], arg: str) -> int:
    """Python-level calls and lines executed by fn(arg): a deterministic count of its work."""
    count = 0

    def trace(frame: object, event: str, _arg: object) -> Callable:
        nonlocal count
        count += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        fn(arg)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILIES.keys())
def test_python_work_is_linear(family: str) -> None:
    small, large = FAMILIES[family](100), FAMILIES[family](400)
    ratios = {}
    for name, fn in FUNCTIONS.items():
        fn(small), fn(large)  # warm-up: lexicons, compiled patterns, per-character caches
        ratios[name] = python_work(fn, large) / max(1, python_work(fn, small))
    # 4× the input: 4× the work plus a little (fixed costs make it less, never more).
    assert max(ratios.values()) <= 4.5, ratios


def best_time(fn: Callable[[str], object], arg: str, repeats: int = 5) -> float:
    """The least CPU time this process spent in fn(arg): other processes' load does not count."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        fn(arg)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILIES.keys())
def test_time_in_c_code_is_not_quadratic(family: str) -> None:
    # Regular expressions, lxml and OpenCC run in C, where the count above sees nothing: compare
    # the best of repeated timings at n and 8n. Linear is 8, quadratic 64; the bound leaves room
    # for a loaded machine without letting a quadratic pass.
    small, large = FAMILIES[family](60), FAMILIES[family](480)
    ratios = {}
    for name, fn in FUNCTIONS.items():
        fn(small), fn(large)
        ratios[name] = best_time(fn, large) / max(best_time(fn, small), 1e-4)
    assert max(ratios.values()) <= 24, ratios
