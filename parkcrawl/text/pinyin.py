"""Strip the mirror's pinyin annotations: ``園區(qū)`` → ``園區``, ``?(fù)`` → ``?``.

The mirror converted the Simplified original to Traditional and wrote the tone-marked
reading of every converted character in parentheses after it. An annotation is removed only
when its reading is a valid reading of the character before it and the text as a whole shows
the artifact, so real parentheses (``中新(南通)``, ``人工智能(AI)``, ``(2024)``) and a
deliberate gloss on a clean page (``王喆(zhé)``) survive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parkcrawl.text.script import CJK_CLASS

# Letters a mirror reading can contain: lowercase ASCII, ü/v, tone-marked vowels, ê, and
# combining marks (pypinyin writes ê̄ and m̄ with U+0304 etc.). Uppercase is never a reading
# (the mirror writes lowercase; ``李(Li)`` is a romanised name).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜếềńňǹḿ\u0300\u0301\u0304\u030c"
_READING = f"[a-zü{_TONED}ê]{{1,8}}"
_OPEN, _CLOSE = "[(（]", "[)）]"
_GROUP = f"{_OPEN}({_READING}){_CLOSE}"
_TAG = r"<[^<>]*>"

# Where the mirror lost a character it also lost the opening parenthesis: ``重?fù)?dān)``.
_LOST = "[?？\ufffd]"
_BARE = f"(?P<mark>{_LOST})(?P<bare>{_READING}){_CLOSE}"
# Plain text: a run of one or more groups; the annotated character is the one before the run.
_TEXT_RE = re.compile(f"(?P<run>(?:{_OPEN}{_READING}{_CLOSE})+)|{_BARE}")
_TEXT_GROUP_RE = re.compile(_GROUP)
# HTML: groups may be separated from each other (and from their character) by tags:
# 園<span>(yuán)</span>, 園</a>(yuán), 政<i>(zheng)</i><i>(zheng)</i>.
_HTML_RE = re.compile(
    f"(?P<run>{_OPEN}{_READING}{_CLOSE}(?:(?:\\s*{_TAG}\\s*)*{_OPEN}{_READING}{_CLOSE})*)|{_BARE}"
)
_HTML_GROUP_RE = re.compile(f"{_TAG}|{_GROUP}")
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_TONE_MARK_RE = re.compile(f"[{_TONED}]")

# Characters the mirror left where it lost the original (it kept the annotation).
LOST_MARKS = frozenset("?？\ufffd")

# The artifact is present when at least this many tone-marked annotations validate, or when
# one does and tone-marked plus toneless reach it.
MIN_ANNOTATIONS = 3
# Toneless readings alone count as the artifact only when there are this many.
MIN_TONELESS_ONLY = 6


@dataclass(frozen=True)
class StripResult:
    """Text with annotations removed, and what was removed."""

    text: str
    stripped: int  # annotations removed (each parenthesised reading counts once)
    lost: int  # of those, annotations that followed a lost character (``?``)


def _strip_tones(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    # keep the diaeresis of ü (U+0308), drop tone marks
    kept = "".join(c for c in decomposed if c not in "\u0300\u0301\u0304\u030c")
    return unicodedata.normalize("NFC", kept)


def _variants(reading: str) -> set[str]:
    reading = unicodedata.normalize("NFC", reading)
    out = {reading, reading.replace("ü", "v")}
    for tone, plain in (("ǖ", "v"), ("ǘ", "v"), ("ǚ", "v"), ("ǜ", "v")):
        if tone in reading:
            out.add(reading.replace(tone, plain))
    return out


@lru_cache(maxsize=16384)
def readings_of(ch: str) -> frozenset[str]:
    """Every accepted reading of ``ch`` (tone-marked and toneless, ü and v), also via its Simplified form."""
    from pypinyin import Style, pinyin

    from parkcrawl.text.script import to_simplified

    chars = {ch, to_simplified(ch)}
    out: set[str] = set()
    for c in chars:
        if not _CJK_RE.fullmatch(c):
            continue
        for style in (Style.TONE, Style.NORMAL):
            for reading in pinyin(c, style=style, heteronym=True)[0]:
                if reading == c:
                    continue
                for variant in _variants(reading):
                    out.add(variant)
                    out.add(_strip_tones(variant))
    return frozenset(out)


@lru_cache(maxsize=1)
def all_syllables() -> frozenset[str]:
    """Every reading pypinyin knows, tone-marked and toneless: valid annotations of a lost character."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for value in set(pinyin_dict.values()):
        for reading in value.split(","):
            for variant in _variants(reading):
                out.add(variant)
                out.add(_strip_tones(variant))
    return frozenset(out)


def _valid(ch: str, reading: str) -> bool:
    reading = unicodedata.normalize("NFC", reading)
    if ch in LOST_MARKS:
        return reading in all_syllables()
    return reading in readings_of(ch)


def _anchor_html(html: str, pos: int) -> int:
    """Index just after the character an annotation at ``pos`` belongs to, skipping tags."""
    while pos > 0:
        prev = html[pos - 1]
        if prev == ">":
            lt = html.rfind("<", 0, pos - 1)
            if lt < 0:
                return pos
            pos = lt
        elif prev in " \t\r\n" and pos > 1 and html[pos - 2] in "> \t\r\n":
            pos -= 1  # whitespace between tags
        else:
            return pos
    return pos


def _inside_tag(html: str, pos: int) -> bool:
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos)


def _strip(text: str, html: bool) -> StripResult:
    if ")" not in text and "）" not in text:
        return StripResult(text, 0, 0)
    run_re, group_re = (_HTML_RE, _HTML_GROUP_RE) if html else (_TEXT_RE, _TEXT_GROUP_RE)
    # (start, end, toned, lost) of each validated annotation
    found: list[tuple[int, int, bool, bool]] = []
    for run in run_re.finditer(text):
        bare = run.group("bare")
        if bare is not None:
            # only a tone-marked syllable counts here: ``?ok)`` is not an annotation
            if _TONE_MARK_RE.search(bare) and _valid(run.group("mark"), bare):
                if not (html and _inside_tag(text, run.start())):
                    found.append((run.end("mark"), run.end(), True, True))
            continue
        start = run.start()
        if html:
            if _inside_tag(text, start):
                continue  # an attribute value: never altered
            anchor = _anchor_html(text, start)
        else:
            anchor = start
        if anchor == 0:
            continue
        ch = text[anchor - 1]
        lost = ch in LOST_MARKS
        if not lost and not _CJK_RE.match(ch):
            continue
        for group in group_re.finditer(text, start, run.end()):
            reading = group.group(1)
            if reading is None:  # a tag between groups
                continue
            if _valid(ch, reading):
                toned = _TONE_MARK_RE.search(reading) is not None
                found.append((group.start(), group.end(), toned, lost))
    if not found:
        return StripResult(text, 0, 0)
    toned_count = sum(1 for f in found if f[2])
    plain_count = len(found) - toned_count
    if toned_count >= MIN_ANNOTATIONS or (toned_count and len(found) >= MIN_ANNOTATIONS):
        remove = found  # the page shows tone-marked annotations: toneless ones are accepted too
    elif plain_count >= MIN_TONELESS_ONLY and not toned_count:
        remove = found
    else:
        return StripResult(text, 0, 0)
    parts: list[str] = []
    last = 0
    for start, end, _toned, _lost in remove:
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return StripResult("".join(parts), len(remove), sum(1 for f in remove if f[3]))


def strip_annotations(text: str) -> StripResult:
    """Remove the mirror's ``(reading)`` annotations from plain text."""
    return _strip(text, html=False)


def strip_annotations_html(html: str) -> StripResult:
    """Remove annotations from an HTML string, leaving tags and attribute values untouched."""
    return _strip(html, html=True)
