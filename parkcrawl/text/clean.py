"""The cleaning contract the crawler relies on.

CONTRACT (keep these names and signatures):

@dataclass(frozen=True)
class CleanedText:
    text: str                      # annotations stripped, Simplified if convert, whitespace normalized
    script: str                    # "Hans" or "Hant": the script of the input as served
    quality_flags: tuple[str, ...] # e.g. ("pinyin_annotations",), ("lost_characters",)

@dataclass(frozen=True)
class CleanedPage:
    html: str                      # the page's HTML with every text node cleaned (annotations
                                   # stripped, Simplified if convert); markup kept so selectors work
    encoding: str                  # the codec the bytes were decoded with, e.g. "utf-8", "gb18030"
    script: str                    # "Hans" or "Hant"
    quality_flags: tuple[str, ...]

def clean_text(text: str, *, convert: bool = True) -> CleanedText
def clean_html(html: str, *, convert: bool = True) -> CleanedPage   # encoding = "" (already text)
def clean_page(body: bytes, content_type: str | None = None, *, convert: bool = True) -> CleanedPage

Order: repair mojibake → remove invisible characters (controls, bidi controls, zero-width; see
parkcrawl.text.invisible) → strip annotations (before converting: the mirror wrote the first
reading even where context wants another, 拉長(zhǎng)) → convert → whitespace (text only; in
HTML whitespace is left to extraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parkcrawl.text.decoding import decode_html
from parkcrawl.text.invisible import (
    REMOVED_CLASS,
    strip_invisible,
    strip_invisible_html,
    strip_references,
)
from parkcrawl.text.mojibake import (
    SCREEN_FIRST,
    SCREEN_GB_FIRST,
    SCREEN_GB_TAIL,
    SCREEN_LATIN,
    SCREEN_TAIL,
    repair_mojibake,
)
from parkcrawl.text.pinyin import (
    TONE_MARKS,
    StripResult,
    strip_annotations,
    strip_annotations_html,
)
from parkcrawl.text.script import (
    convertible_class,
    script_of,
    to_simplified,
    to_simplified_visible,
)
from parkcrawl.text.whitespace import normalize_whitespace

FLAG_ANNOTATIONS = "pinyin_annotations"
FLAG_LOST = "lost_characters"
FLAG_MOJIBAKE = "mojibake_repaired"

# Quoted attribute values (literal "=" prefix keeps the scan fast). Those holding non-ASCII
# (an href with raw hanzi, a title) are put back from the original after OpenCC converts the
# page in one call, so attribute values and URLs come back byte for byte.
_ATTR_VALUE = re.compile(r"""=("[^"<>]*"|'[^'<>]*')""")
_TAG_SPLIT = re.compile(r"(<[^<>]*>)")
# The same values as _ATTR_VALUE's left-to-right scan, but only the non-ASCII ones come out to
# Python (a page has ~100 quoted values and a handful hold hanzi): the loop steps over text
# without "=", over ASCII-only values whole, and over an "=" that starts no value, as
# _ATTR_VALUE's scan does, then captures a non-ASCII value or ends at the end of the page
# (so a search never restarts inside the tail). Possessive: the loop never gives back.
# The value classes are written as positive ranges ("[^"<>]" is "[\x00-!#-;=?-\U0010ffff]",
# the ASCII-only ones stop at \x7f), which the regex engine tests faster than negated classes
# (-25% on this scan, issue 16); "[^=]" stays negated, a single character it skips fastest.
_VALUE = r"""(?:"[\x00-!#-;=?-\U0010ffff]*"|'[\x00-&(-;=?-\U0010ffff]*')"""
_NON_ASCII_VALUE = re.compile(
    r"""(?:[^=]++|="[\x00-!#-;=?-\x7f]*+"|='[\x00-&(-;=?-\x7f]*+'|=(?!"""
    + _VALUE
    + r"""))*+(?:=("""
    + _VALUE
    + r""")|\Z)"""
)


@dataclass(frozen=True)
class CleanedText:
    """Cleaned plain text, the script it was served in, and what cleaning found."""

    text: str  # annotations stripped, Simplified if convert, whitespace normalized
    script: str  # "Hans" or "Hant": the script of the input as served
    quality_flags: tuple[str, ...]  # e.g. ("pinyin_annotations",), ("lost_characters",)


@dataclass(frozen=True)
class CleanedPage:
    """A page's HTML with its text cleaned and markup kept, plus how it was decoded."""

    html: str  # text nodes cleaned (annotations stripped, Simplified if convert); markup kept
    encoding: str  # the codec the bytes were decoded with, "" when given text
    script: str  # "Hans" or "Hant"
    quality_flags: tuple[str, ...]


def _flags(repaired: bool, stripped: StripResult) -> tuple[str, ...]:
    flags: list[str] = []
    if repaired:
        flags.append(FLAG_MOJIBAKE)
    if stripped.stripped:
        flags.append(FLAG_ANNOTATIONS)
    if stripped.lost:
        flags.append(FLAG_LOST)
    return tuple(flags)


def clean_text(text: str, *, convert: bool = True) -> CleanedText:
    """Repair mojibake, drop invisible characters, strip pinyin annotations, convert to Simplified
    (if convert), normalize whitespace."""
    repaired = repair_mojibake(text)
    stripped = strip_annotations(strip_invisible(repaired))
    body = stripped.text
    simplified = to_simplified(body)
    script = "Hant" if stripped.stripped else script_of(body, simplified)
    out = simplified if convert else body
    return CleanedText(normalize_whitespace(out), script, _flags(repaired != text, stripped))


def _convert_html(html: str) -> str:
    """to_simplified over the whole page, attribute values kept as they were.

    ``html`` has been through invisible-character removal, so it holds no NUL.
    """
    converted = to_simplified_visible(html)
    if converted == html:
        return html
    spans = [m.span(1) for m in _NON_ASCII_VALUE.finditer(html) if m.start(1) >= 0]
    if not spans:
        return converted
    if len(converted) == len(html) and all(converted[a] == html[a] for a, _b in spans):
        pieces: list[str] = []
        last = 0
        for start, end in spans:
            pieces.append(converted[last:start])
            pieces.append(html[start:end])
            last = end
        pieces.append(converted[last:])
        return "".join(pieces)
    # a phrase conversion changed the length: convert the text between tags piece by piece
    return "".join(
        part if part.startswith("<") else to_simplified(part) for part in _TAG_SPLIT.split(html)
    )


_screen: re.Pattern[str] | None = None


def _needs_work(html: str) -> bool:
    """Whether mojibake repair, invisible-character removal or conversion could change ``html``,
    or ``html`` holds a tone-marked letter (which the lost-parenthesis repair needs).

    One scan of the page (of its residue, see _residue) instead of one per step: its class is
    the union of the steps' screens (an invisible character, a character the converter changes,
    the first character of mojibake, a tone-marked letter), and the mojibake screen's own test
    follows a hit on its first character. A Simplified page, most pages, is then scanned once.
    Stripping annotations and removing character references only delete text, so they cannot
    bring a convertible character in.
    """
    global _screen
    if _screen is None:
        own = f"{REMOVED_CLASS}{convertible_class()}{re.escape(TONE_MARKS)}"
        _screen = re.compile(
            f"[{own}{SCREEN_FIRST}](?:(?<=[{own}])|{SCREEN_TAIL})"
        )
    # no ASCII shortcut: C0 controls and DEL are ASCII yet removed
    return _screen.search(html) is not None


# The same without convertible characters, for a page that needs conversion (every Traditional
# page): whether mojibake repair or invisible-character removal has anything to do. Two scans,
# not one over the union: an annotated page's toned readings (á, è) are cp1252 leads, which a
# scan keyed on leads would try one by one; the cp1252 part is keyed on its continuation.
_DAMAGE_GB = re.compile(
    f"[{REMOVED_CLASS}{SCREEN_GB_FIRST}](?:(?<=[{REMOVED_CLASS}])|{SCREEN_GB_TAIL})"
)
_DAMAGE_LATIN = re.compile(SCREEN_LATIN)


def _damaged(residue: str) -> bool:
    """Whether an invisible character or mojibake may be in the page ``residue`` comes from."""
    return _DAMAGE_GB.search(residue) is not None or _DAMAGE_LATIN.search(residue) is not None


# Bytes no screen looks for: tab to carriage return and printable ASCII (issue 16).
_PLAIN_ASCII = bytes(range(0x09, 0x0E)) + bytes(range(0x20, 0x7F))


def _residue(html: str) -> str:
    """The characters of ``html`` a screen can hit (non-ASCII, controls, DEL), in order.

    A page is mostly ASCII markup, and a regex class costs the same on every character, while
    encoding and bytes.translate are several times cheaper: the screens then scan a fifth of the
    page. Both screens hit only on non-ASCII characters, controls and DEL, and a mojibake tail
    is a run of non-ASCII characters, which stays contiguous here; so a screen that misses the
    residue misses the page. Dropping ASCII can only bring characters together, a false hit, and
    a false hit costs only time: the full passes change nothing on such a page.
    """
    raw = html.encode("utf-8", "surrogatepass")
    return raw.translate(None, _PLAIN_ASCII).decode("utf-8", "surrogatepass")


def _clean_markup(html: str, convert: bool, encoding: str) -> CleanedPage:
    residue = _residue(html)
    if not _needs_work(residue):
        stripped = strip_annotations_html(strip_references(html), tone_marks=False)
        # nothing to convert: the page as served, Simplified unless the mirror annotated it
        script = "Hant" if stripped.stripped else "Hans"
        return CleanedPage(stripped.text, encoding, script, _flags(False, stripped))
    if not _damaged(residue):
        repaired, visible = html, strip_references(html)
    else:
        repaired = repair_mojibake(html)
        visible = strip_invisible_html(repaired)
    stripped = strip_annotations_html(visible)
    body = stripped.text
    if convert or not stripped.stripped:
        simplified = _convert_html(body)
    else:
        simplified = body
    script = "Hant" if stripped.stripped else script_of(body, simplified)
    out = simplified if convert else body
    return CleanedPage(out, encoding, script, _flags(repaired != html, stripped))


def clean_html(html: str, *, convert: bool = True) -> CleanedPage:
    """Clean every text node of an HTML string (tags and attribute values untouched); encoding is ""."""
    return _clean_markup(html, convert, "")


def clean_page(body: bytes, content_type: str | None = None, *, convert: bool = True) -> CleanedPage:
    """Decode a page's bytes (see decode_html) and clean its HTML."""
    decoded = decode_html(body, content_type)
    return _clean_markup(decoded.text, convert, decoded.encoding)
