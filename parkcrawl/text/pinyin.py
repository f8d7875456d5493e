"""Strip the mirror's pinyin annotations: ``園區(qū)`` → ``園區``, ``?(fù)`` → ``?``.

The mirror converted the Simplified original to Traditional and wrote the tone-marked
reading of every converted character in parentheses after it. An annotation is removed only
when its reading is a valid reading of the character before it and the text as a whole shows
the artifact, so real parentheses (``中新(南通)``, ``人工智能(AI)``, ``(2024)``) and a
deliberate gloss on a clean page (``王喆(zhé)``) survive.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter, ne, not_
from pathlib import Path

from parkcrawl.text.script import CJK_CLASS

# Letters a mirror reading can contain: lowercase ASCII, ü/v, tone-marked vowels, ê, and
# combining marks (pypinyin writes ê̄ and m̄ with U+0304 etc.). Uppercase is never a reading
# (the mirror writes lowercase; ``李(Li)`` is a romanised name).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜếềńňǹḿ\u0300\u0301\u0304\u030c"
TONE_MARKS = _TONED  # public: clean.py's screen of a page looks for them too
_READING = f"[a-zü{_TONED}ê]{{1,8}}"
_OPEN, _CLOSE = "[(（]", "[)）]"

# A parenthesised reading, split into (group, reading). The ASCII-only variant has a literal
# prefix, which lets the regex engine skip text quickly; full-width parentheses switch to the
# charset variant.
_SPLIT_ASCII_RE = re.compile(f"(\\(({_READING}){_CLOSE})")
_SPLIT_ANY_RE = re.compile(f"({_OPEN}({_READING}){_CLOSE})")
# The full-width half of _SPLIT_ANY_RE, literal prefix too: whether a page holds any group at all
# is asked with the two literal-prefix scans, each far faster than one scan for a class (most
# Simplified pages hold a "（" and a "(letters)" somewhere, in a script if not in the text).
_WIDE_GROUP_RE = re.compile(f"（{_READING}{_CLOSE}")
# Where the mirror lost a character it also lost the opening parenthesis: ``重?fù)?dān)``.
# A tone-marked syllable there gets its parenthesis back, then goes through the main pass.
_BARE_ASCII_RE = re.compile(f"\\?({_READING}){_CLOSE}")
_BARE_ANY_RE = re.compile(f"[?？\ufffd]({_READING}){_CLOSE}")
_LAST_CHAR = itemgetter(slice(-1, None))
# anchors an HTML annotation looks back through: a tag's end, whitespace, an adjacent group
_LOOK_BACK = frozenset((">", " ", "\n", "\t", "\r", ""))
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_TONE_MARK_RE = re.compile(f"[{_TONED}]")
# A group that could be an annotation: only a hanzi or a lost mark has readings, and an HTML
# annotation looks back only through whitespace, tags and the groups before it, so its group
# follows one of those, a ">", whitespace or another group's ")". Script and style text is full
# of "(e)" groups after letters (``function(e)``): one scan with a literal first character (the
# look-behind runs only at each parenthesis) rules such a page out before it is split.
_MAYBE_BEFORE = f"[{CJK_CLASS}?？\ufffd> \t\r\n)）]"
_MAYBE_ASCII_RE = re.compile(f"\\((?<={_MAYBE_BEFORE}\\()(?:{_READING}){_CLOSE}")
_MAYBE_WIDE_RE = re.compile(f"（(?<={_MAYBE_BEFORE}（)(?:{_READING}){_CLOSE}")

# Characters the mirror left where it lost the original (it kept the annotation).
LOST_MARKS = frozenset("?？\ufffd")

# The one-pass form of the common case (issue 16), for pages whose groups open with an ASCII "(".
# A group can be valid only after a hanzi or a lost mark (the "anchor"): one split with the
# literal "(" first splits the page at those groups and hands out their anchor and reading, so
# no Python code runs per group. Groups after anything else stay in the text, as the general
# pass keeps them (INVALID). The split also takes the groups the general pass would look back
# from (in HTML after whitespace, ">" or a ")" that ends another group; in plain text only after
# another group): their key is INVALID, and a page with an INVALID key goes to the general pass,
# which decides those and groups that are no reading of their character.
_ANCHOR = f"[{CJK_CLASS}?？\ufffd]"
# The capture is "anchor(reading" as one string, one object and one dict key per group: the
# look-behind steps back over the anchor (a line break too: "(?s:..)") and "(", and a
# look-ahead inside it captures forward.
_FAST_SPLIT_HTML_RE = re.compile(
    f"\\((?<=(?=([{CJK_CLASS}?？\ufffd> \\t\\r\\n)）]\\({_READING}))(?s:..)){_READING}{_CLOSE}"
)
_FAST_SPLIT_TEXT_RE = re.compile(
    f"\\((?<=(?=([{CJK_CLASS}?？\ufffd)）]\\({_READING}))(?s:..)){_READING}{_CLOSE}"
)
# A stretch inside a tag (from a "<" to the next "<" or ">": the general pass's in-tag rule) that
# holds an anchored group: the mirror annotated alt and title values too, and those are kept. The
# possessive loop steps over every "(" that opens no anchored group, so the scan never backtracks.
# The classes are [^<>(] and [^<>] written as ranges: the regex engine tests a positive range
# class faster than a negated one (-30% on this scan).
_NOT_ANGLE_OR_OPEN = "[\\x00-')-;=?-\\U0010ffff]"
_NOT_ANGLE = "[\\x00-;=?-\\U0010ffff]"
_ANCHORED = f"\\((?<={_ANCHOR}\\(){_READING}{_CLOSE}"
_IN_TAG_RE = re.compile(
    f"(<{_NOT_ANGLE_OR_OPEN}*+(?:\\((?!(?<={_ANCHOR}\\(){_READING}{_CLOSE}){_NOT_ANGLE_OR_OPEN}*+)*+"
    f"{_ANCHORED}{_NOT_ANGLE}*)"
)

# The artifact is present when at least this many tone-marked annotations validate, or when
# one does and tone-marked plus toneless reach it.
MIN_ANNOTATIONS = 3
# Toneless readings alone count as the artifact only when there are this many.
MIN_TONELESS_ONLY = 6
# Fewer annotations still show the artifact when every one of them (at least this many, one
# tone-marked) sits on a Traditional-only character or a lost one: the mirror annotated only
# characters it converted, while a deliberate gloss explains a rare character that both
# scripts share (王喆(zhé), 李堃(kūn)). A short title such as 推進(jìn)跨江通道建設(shè) is
# then cleaned even outside its page.
MIN_SIGNATURE = 2


@dataclass(frozen=True)
class StripResult:
    """Text with annotations removed, and what was removed."""

    text: str
    stripped: int  # annotations removed (each reading counts once)
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


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[int, str]:
    """pypinyin's per-character readings, code point → "zhōng,zhòng" (tone-marked).

    Loaded from its module file without importing the pypinyin package: the package's import
    loads its phrase dictionary (~45 MB, ~0.1 s) and its first ``pinyin()`` call trains a
    segmenter, neither of which a per-character reading check uses. The file's cached bytecode
    is used as for a normal import. Should pypinyin move the table, the package import is the
    fallback (same table, slower start)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is not None and spec.origin:
        path = Path(spec.origin).with_name("pinyin_dict.py")
        table_spec = importlib.util.spec_from_file_location("parkcrawl._pypinyin_table", path)
        if path.is_file() and table_spec is not None and table_spec.loader is not None:
            module = importlib.util.module_from_spec(table_spec)
            table_spec.loader.exec_module(module)
            table = getattr(module, "pinyin_dict", None)
            if isinstance(table, dict):
                return table
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=16384)
def readings_of(ch: str) -> frozenset[str]:
    """Every accepted reading of ``ch`` (tone-marked and toneless, ü and v), also via its Simplified form."""
    from parkcrawl.text.script import to_simplified

    table = _pinyin_table()
    out: set[str] = set()
    for c in {ch, to_simplified(ch)}:
        if not _CJK_RE.fullmatch(c):
            continue
        # pypinyin's pinyin(c, heteronym=True) for one character reads this table; its toneless
        # style is the tone-stripped reading, which _strip_tones gives below
        for reading in (table.get(ord(c)) or "").split(","):
            if not reading or reading == c:
                continue
            for variant in _variants(reading):
                out.add(variant)
                out.add(_strip_tones(variant))
    return frozenset(out)


@lru_cache(maxsize=1)
def all_syllables() -> frozenset[str]:
    """Every reading pypinyin knows, tone-marked and toneless: valid annotations of a lost character."""
    out: set[str] = set()
    for value in set(_pinyin_table().values()):
        for reading in value.split(","):
            for variant in _variants(reading):
                out.add(variant)
                out.add(_strip_tones(variant))
    return frozenset(out)


# kind of an annotation, by (character, reading)
INVALID, TONED, TONELESS = 0, 1, 2
# kinds of the one-split form's keys: TONED and TONELESS after a lost mark
LOST_TONED, LOST_TONELESS = TONED + 2, TONELESS + 2
_KINDS: dict[tuple[str, str], int] = {}
_MAX_KINDS = 200_000


def _kind(ch: str, reading: str) -> int:
    """INVALID, TONED or TONELESS: whether ``reading`` is a reading of ``ch`` (cached)."""
    key = (ch, reading)
    kind = _KINDS.get(key)
    if kind is None:
        norm = unicodedata.normalize("NFC", reading)
        if ch in LOST_MARKS:
            valid = norm in all_syllables()
        elif len(ch) == 1 and _CJK_RE.match(ch):
            valid = norm in readings_of(ch)
        else:
            valid = False
        if not valid:
            kind = INVALID
        else:
            kind = TONED if _TONE_MARK_RE.search(norm) else TONELESS
        if len(_KINDS) >= _MAX_KINDS:
            _KINDS.clear()
        _KINDS[key] = kind
    return kind


@lru_cache(maxsize=16384)
def _converted(ch: str) -> bool:
    """Whether the mirror could have produced ``ch``: a lost mark or a Traditional-only character."""
    from parkcrawl.text.script import to_simplified

    return ch in LOST_MARKS or to_simplified(ch) != ch


def _reopen(match: re.Match[str]) -> str:
    """``?fù)`` → ``?(fù)`` when the reading is a tone-marked syllable (``?ok)`` stays)."""
    whole = match.group()
    mark = whole[0]
    if _kind(mark, match.group(1)) == TONED:
        return f"{mark}({whole[1:]}"
    return whole


def _html_anchor(pieces: list[str], i: int, anchors: list[str]) -> str:
    """The character an annotation after ``pieces[i]`` belongs to, looking through tags."""
    piece = pieces[i]
    while True:
        piece = piece.rstrip(" \t\r\n")
        if piece.endswith(">"):
            lt = piece.rfind("<")
            if lt < 0:
                return ">"
            piece = piece[:lt]
            continue
        if piece:
            return piece[-1]
        # only tags between this group and the previous one: the same character
        return anchors[i - 1] if i > 0 else ""


def _page_shows_artifact(toned: int, toneless: int, anchors: list[str], kinds: list[int]) -> bool:
    """Whether the valid annotations found show the mirror's artifact (see MIN_* above).

    ``anchors[i]`` starts with the character group i follows (the rest, if any, is ignored).
    """
    if toned >= MIN_ANNOTATIONS or (toned and toned + toneless >= MIN_ANNOTATIONS):
        return True  # the page shows tone-marked annotations: toneless ones are accepted too
    if toneless >= MIN_TONELESS_ONLY and not toned:
        return True
    return bool(
        toned
        and toned + toneless >= MIN_SIGNATURE
        and all(_converted(a[0]) for a, k in zip(anchors, kinds) if k)
    )


def _strip_anchored(text: str, work: str, html: bool) -> StripResult | None:
    """The common case in C-level passes; None where the general pass must decide.

    ``work`` is ``text`` after the lost-parenthesis repair; groups open with an ASCII "(".
    """
    # [outside, in-tag stretch, outside, ...]: the stretches are kept whole
    parts = _IN_TAG_RE.split(work) if html and "<" in work else [work]
    split_re = _FAST_SPLIT_HTML_RE if html else _FAST_SPLIT_TEXT_RE
    found: list[str] = []  # "anchor(reading" of every anchored group outside tags, in order
    kept: list[str] = []  # the text without them, in pieces
    for k in range(0, len(parts), 2):
        split = split_re.split(parts[k])
        found += split[1::2]
        kept += split[0::2]
        kept += parts[k + 1 : k + 2]
    kinds = list(map(_KINDS_BY_GROUP.get, found))
    seen = set(kinds)
    if None in seen:
        kinds = [_group_kind(g) if k is None else k for k, g in zip(kinds, found)]
        seen = set(kinds)
    if INVALID in seen:
        return None  # a group that looks back, or is no reading of its character
    toned = kinds.count(TONED)
    lost = 0
    if LOST_TONED in seen or LOST_TONELESS in seen:
        lost_toned = kinds.count(LOST_TONED)
        toned += lost_toned
        lost = lost_toned + kinds.count(LOST_TONELESS)
    toneless = len(kinds) - toned
    if not _page_shows_artifact(toned, toneless, found, kinds):
        return StripResult(text, 0, 0)
    return StripResult("".join(kept), toned + toneless, lost)


_KINDS_BY_GROUP: dict[str, int] = {}


def _group_kind(group: str) -> int:
    """The kind of an "anchor(reading" key of the split (cached under the key)."""
    anchor = group[0]
    kind = _kind(anchor, group[2:])
    if kind and anchor in LOST_MARKS:
        kind += 2
    if len(_KINDS_BY_GROUP) >= _MAX_KINDS:
        _KINDS_BY_GROUP.clear()
    _KINDS_BY_GROUP[group] = kind
    return kind


def _strip(text: str, html: bool, tone_marks: bool = True) -> StripResult:
    if ")" not in text and "）" not in text:
        return StripResult(text, 0, 0)
    # The ASCII variants have a literal first character, which the regex engine finds far faster
    # than a class: the full-width forms are looked for only on pages that hold them.
    # Only a full-width group needs the charset variant: a page with a "（" but no "（reading）"
    # (a Traditional page's "（記者…）") splits into the same groups with the ASCII one. The bare
    # pass below only inserts "(", so the answer holds for the text it rewrites too.
    # The bare pass rewrites only where its search finds something: most pages hold a "?" (in a
    # URL) and no "?reading)", and a search costs less than a sub that rebuilds the page. It
    # reopens only a tone-marked reading, so a text without tone marks skips it.
    work = text
    if tone_marks:
        bare_re = _BARE_ANY_RE if ("？" in text or "\ufffd" in text) else _BARE_ASCII_RE
        if bare_re.search(text):
            work = bare_re.sub(_reopen, text)
    # No group that could be an annotation (a "(letters)" after a hanzi, a lost mark, whitespace,
    # ">" or ")"; one C-level scan each for "(" and "（"): most pages stop here. The bare pass
    # inserts only "(", so a full-width group in ``work`` is one in ``text``.
    if not _MAYBE_ASCII_RE.search(work) and not ("（" in work and _MAYBE_WIDE_RE.search(work)):
        return StripResult(text, 0, 0)  # every group would be INVALID: the page is kept
    wide = "（" in text and _WIDE_GROUP_RE.search(text) is not None
    split_re = _SPLIT_ANY_RE if wide else _SPLIT_ASCII_RE
    if not wide:
        fast = _strip_anchored(text, work, html)
        if fast is not None:
            return fast
    parts = split_re.split(work)
    pieces = parts[0::3]  # text between groups: one more than groups
    groups = parts[1::3]
    readings = parts[2::3]
    n = len(groups)
    anchors = list(map(_LAST_CHAR, pieces[:n]))
    if html:
        # str.rfind through map with a repeated argument: no Python-level call per piece
        lts = list(map(str.rfind, pieces[:n], repeat("<", n)))
        gts = list(map(str.rfind, pieces[:n], repeat(">", n)))
        # Most pieces between groups hold no tag: a group inherits the in-tag state of the last
        # piece that holds one. Only the pieces with a "<" or ">" are visited in Python.
        in_tag = bytearray(n)
        changes = list(compress(range(n), map(ne, lts, gts)))
        for k, i in enumerate(changes):
            if lts[i] > gts[i]:
                j = changes[k + 1] if k + 1 < len(changes) else n
                anchors[i:j] = [""] * (j - i)  # inside a tag: an attribute value is never altered
                in_tag[i:j] = b"\x01" * (j - i)
        # in order: a look-back reads the anchor of the group before, already settled
        for i in compress(range(n), map(_LOOK_BACK.__contains__, anchors)):
            if not in_tag[i]:
                anchors[i] = _html_anchor(pieces, i, anchors)
    elif "" in anchors:
        for i in range(1, n):  # repeated groups 政(zheng)(zheng): the first group's character
            if not anchors[i] and groups[i - 1]:
                anchors[i] = anchors[i - 1]
    kinds = list(map(_KINDS.get, zip(anchors, readings)))
    if None in kinds:
        kinds = [_kind(a, r) if k is None else k for k, a, r in zip(kinds, anchors, readings)]
    toned = kinds.count(TONED)
    toneless = kinds.count(TONELESS)
    if not _page_shows_artifact(toned, toneless, anchors, kinds):
        return StripResult(text, 0, 0)
    if INVALID in kinds:
        for i in compress(range(n), map(not_, kinds)):  # the INVALID groups only
            pieces[i + 1] = groups[i] + pieces[i + 1]  # kept: back in front of the next piece
    lost = 0
    if not LOST_MARKS.isdisjoint(anchors):
        lost = sum(map(anchors.count, LOST_MARKS))
        if INVALID in kinds:
            lost -= sum(1 for a, k in zip(anchors, kinds) if not k and a in LOST_MARKS)
    return StripResult("".join(pieces), toned + toneless, lost)


def strip_annotations(text: str) -> StripResult:
    """Remove the mirror's ``(reading)`` annotations from plain text."""
    return _strip(text, html=False)


def strip_annotations_html(html: str, *, tone_marks: bool = True) -> StripResult:
    """Remove annotations from an HTML string, leaving tags and attribute values untouched.

    ``tone_marks=False`` says the caller knows ``html`` holds no tone-marked letter (TONE_MARKS),
    which spares the repair of lost parentheses a scan: it needs a tone-marked reading.
    """
    return _strip(html, html=True, tone_marks=tone_marks)
