"""Participants: the people named in a cleaned park-news article, with the title given them.

Two readers combined (docs/participants.md). The title grammar: a name is a surname from
``data/people_surnames.txt`` plus one or two given characters, accepted when it stands right
after an office title (``data/people_titles.txt``) or, without a title, when what follows makes
it surely a person (a verb from ``data/people_verbs.txt``, or a name list ending in one);
``data/people_not_names.txt`` keeps places, units and companies out. The name model
(:mod:`parkcrawl.extract.names_crf`, a character CRF), where a trained model is installed
(PARKCRAWL_PEOPLE_MODEL; none ships, see docs/participants.md), then corrects where names end
and adds the names no title or verb announces. The role is the title chunk as written just before the
name, organisation included ("园区党工委委员、管委会副主任"), or a title right after it
("习近平总书记"); by-line names (记者 李明) have role null.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from parkcrawl.extract import names_crf, names_lac
from parkcrawl.extract.lexicons import read_sections

__all__ = ["Participant", "extract_participants", "participants_of"]


@dataclass(frozen=True)
class Participant:
    """One person named in an article."""

    name: str  # as written, without inner spaces: "王强" for "王 强"
    role: str | None  # the office title written before the name, or None when none was given


@dataclass(frozen=True)
class _Lexicon:
    compound_surnames: frozenset[str]
    surnames: frozenset[str]
    titles: frozenset[str]
    title_lengths: tuple[int, ...]
    title_last_chars: frozenset[str]
    name_initials: frozenset[str]
    bylines: frozenset[str]
    breakers: _Words
    false_titles: _Words
    verbs: _Words
    particles: _Words
    leaders: _Words
    left: _Words
    stops: _Words
    protected: _Words
    suffixes: _Words
    not_name_starts: _Words
    bad_given: frozenset[str]
    honorifics: _Words
    not_after: frozenset[str]
    given_words: frozenset[str]


class _Words:
    """A word set looked up by slice length, longest first (fast prefix/suffix tests)."""

    __slots__ = ("lengths", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.lengths = tuple(sorted({len(w) for w in self.words}, reverse=True))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.words)


def _longest_first(words: Iterable[str]) -> _Words:
    return _Words(words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    surnames = read_sections("people_surnames.txt")
    titles = read_sections("people_titles.txt")
    verbs = read_sections("people_verbs.txt")
    not_names = read_sections("people_not_names.txt")
    all_titles = set(titles["titles"]) | set(titles["byline"])
    return _Lexicon(
        compound_surnames=frozenset(surnames["compound"]),
        surnames=frozenset(surnames["single"]),
        titles=frozenset(all_titles),
        title_lengths=tuple(sorted({len(t) for t in all_titles}, reverse=True)),
        title_last_chars=frozenset(t[-1] for t in all_titles),
        name_initials=frozenset(surnames["single"]) | {w[0] for w in surnames["compound"]},
        bylines=frozenset(titles["byline"]),
        breakers=_longest_first(titles["breakers"]),
        false_titles=_longest_first(titles["false_titles"]),
        verbs=_longest_first(verbs["verbs"]),
        particles=_longest_first(verbs["particles"]),
        leaders=_longest_first(verbs["leaders"]),
        left=_longest_first(verbs["left"]),
        stops=_longest_first(verbs["stops"]),
        protected=_longest_first(verbs["protected"]),
        suffixes=_longest_first(not_names["suffixes"]),
        not_name_starts=_longest_first(not_names["words"]),
        bad_given=frozenset(not_names["given_chars"]),
        honorifics=_longest_first(not_names["honorifics"]),
        not_after=frozenset(titles["not_after"]),
        given_words=frozenset(not_names["given_words"]) | frozenset(verbs["verbs"]),
    )


_SPACE = " \u3000\t"
# Separators between a title and a name, and inside a name padded to three cells ("王  强").
_MAX_GAP = 2
_MAX_ROLE = 40
_DOTS = "·•‧・"
_FOREIGN = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•‧・][\u4e00-\u9fff]{1,10}){1,2}")
# "王强三位同志": a count of people right after a name list.
_COUNT = re.compile(r"[一二三四五六七八九十两\d]+[位名人]")
# "陈思远激动地说": a short adverb with 地/着 before the verb.
_ADVERB = re.compile(r"[\u4e00-\u9fff]{1,4}?[地着]")
_OPEN = "（("
_CLOSE = "）)"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _starts_any(text: str, pos: int, words: _Words) -> str | None:
    """The longest word of ``words`` starting at ``pos``."""
    for n in words.lengths:
        w = text[pos : pos + n]
        if len(w) == n and w in words.words:
            return w
    return None


def _ends_any(text: str, end: int, words: _Words) -> str | None:
    """The longest word of ``words`` ending at ``end``."""
    for n in words.lengths:
        if end >= n and text[end - n : end] in words.words:
            return text[end - n : end]
    return None


def _title_ending_at(text: str, end: int, lex: _Lexicon) -> str | None:
    """The longest title that ends exactly at ``end`` (not "总领事" in "总领事馆")."""
    if end == 0 or text[end - 1] not in lex.title_last_chars:
        return None
    for n in lex.title_lengths:
        if end >= n and text[end - n : end] in lex.titles:
            if _starts_any(text, end, lex.breakers) or _ends_any(text, end, lex.false_titles):
                return None
            if _ends_any(text, end + 1, lex.false_titles):
                return None  # 市长江: the next character turns the title into another word
            if any(text[end - n : end + m] in lex.titles for m in (1, 2)):
                return None  # 摄影师: the title goes on, the name starts later
            return text[end - n : end]
    return None


def _skip_space_left(text: str, end: int) -> int:
    k = end
    while k > 0 and end - k < _MAX_GAP and text[k - 1] in _SPACE:
        k -= 1
    if k > 0 and text[k - 1] in ":：":
        # "编辑:周晓 通讯员:孙可": a label, a colon, then the name
        k -= 1
        while k > 0 and text[k - 1] in _SPACE:
            k -= 1
    return k


def _is_protected(text: str, i: int, lex: _Lexicon) -> bool:
    """True when text[i] lies inside an org-name word such as 有限 or 和社会保障."""
    for n in lex.protected.lengths:
        for start in range(max(0, i - n + 1), i + 1):
            if text[start : start + n] in lex.protected.words:
                return True
    return False


def _role_left(text: str, title_start: int, title_end: int, limit: int, lex: _Lexicon) -> str:
    """The title chunk ending at ``title_end``: organisation words and 、-joined titles before it."""
    j = title_start
    while j > limit and title_end - j < _MAX_ROLE:
        ch = text[j - 1]
        if ch == "、":
            # "党工委副书记、管委会主任" stays one role; "虞越嵩、副市长" does not.
            before = _title_ending_at(text, j - 1, lex)
            if before is None:
                break
            j -= 1
            continue
        if ch in _CLOSE:
            # "中新（南通）产业合作区管委会主任": keep a short parenthesised qualifier.
            opening = max(text.rfind(o, max(limit, j - 12), j - 1) for o in _OPEN)
            if opening < 0 or not all(_is_han(c) for c in text[opening + 1 : j - 1]):
                break
            j = opening
            continue
        if not (_is_han(ch) or ch.isascii() and ch.isalpha()):
            break
        stop = _ends_any(text, j, lex.stops)
        if stop is not None and not _is_protected(text, j - 1, lex):
            break
        j -= 1
    # "22日园区党工委书记": a date's 日 is not part of the role.
    while j < title_start and text[j] in "日号年月时" and j > 0 and text[j - 1].isdigit():
        j += 1
    return text[j:title_end]


def _follow_kind(text: str, pos: int, lex: _Lexicon) -> str | None:
    """Classify what follows a candidate name: "strong", "weak", "list", or None (reject)."""
    if pos >= len(text):
        return "weak"
    ch = text[pos]
    if ch in "、":
        return "list"
    if _COUNT.match(text, pos):
        return "strong"
    if not _is_han(ch) and ch not in _DOTS:
        return "weak"  # punctuation, space, line end, digits
    if text.startswith("等", pos):
        rest = pos + 1
        while rest < len(text) and text[rest].isdigit():
            rest += 1  # "等3人"
        if _starts_any(text, rest, lex.leaders) or _starts_any(text, rest, lex.verbs):
            return "strong"
        return None
    if text.startswith("的", pos) and _starts_any(text, pos + 1, lex.verbs):
        return "strong"  # "在王某某的陪同下"
    if _starts_any(text, pos, lex.verbs):
        return "strong"
    if _starts_any(text, pos, lex.suffixes):
        return None
    adverb = _ADVERB.match(text, pos)
    if adverb is not None and _starts_any(text, adverb.end(), lex.verbs):
        return "strong"
    if ch in "和与及":
        return "list"
    if _starts_any(text, pos, lex.particles):
        return "weak"
    return None


def _given_ok(given: str, lex: _Lexicon) -> bool:
    if not given or not all(_is_han(c) for c in given):
        return False
    if given[-1] == "一":
        return False
    return not any(c in lex.bad_given and c != "一" for c in given)


def _candidates(text: str, i: int, lex: _Lexicon) -> list[tuple[str, int]]:
    """Possible (name, end) pairs starting at ``i``, preferred first (three characters first)."""
    out: list[tuple[str, int]] = []
    if _starts_any(text, i, lex.not_name_starts) is not None:
        return out  # 王府井, 黄海路, 高度评价: a known word, not a name
    surname = None
    if text[i : i + 2] in lex.compound_surnames:
        surname = text[i : i + 2]
    elif text[i] in lex.surnames:
        surname = text[i]
    if surname is None:
        return out
    s_end = i + len(surname)
    for n in (2, 1):
        given = text[s_end : s_end + n]
        if len(given) == n and _given_ok(given, lex):
            out.append((surname + given, s_end + n))
    # "王 强": a two-character name padded with spaces to line up in a column.
    k = s_end
    while k < len(text) and k - s_end < _MAX_GAP and text[k] in _SPACE:
        k += 1
    if k > s_end and k < len(text) and _given_ok(text[k], lex):
        if len(surname) == 1 and (k + 1 >= len(text) or not _is_han(text[k + 1])
                                  or _starts_any(text, k + 1, lex.verbs)
                                  or _starts_any(text, k + 1, lex.particles)):
            out.append((surname + text[k], k + 1))
    return out


def _at_boundary(text: str, i: int, lex: _Lexicon) -> bool:
    """May an untitled name start at ``i``?"""
    if i == 0:
        return True
    prev = text[i - 1]
    if prev in _DOTS:
        return False  # the second half of "马丁·魏斯"
    if not _is_han(prev):
        return not prev.isascii() or not prev.isalnum()
    return _ends_any(text, i, lex.left) is not None


def _list_ends_in_person(text: str, pos: int, lex: _Lexicon, depth: int = 0) -> bool:
    """After a name and a 、/和: does the rest of the list end in a verb or "等领导"?"""
    if depth > 8 or pos >= len(text):
        return False
    if text[pos] in "、和与及":
        pos += 1
    for _name, end in _candidates(text, pos, lex) if pos < len(text) else []:
        kind = _follow_kind(text, end, lex)
        if kind == "strong":
            return True
        if kind == "list" and _list_ends_in_person(text, end, lex, depth + 1):
            return True
    return False


@dataclass
class _Mention:
    name: str
    role: str | None
    start: int
    end: int
    sure: bool = False  # a verb or a name list right after it: the rules' end is trusted


@lru_cache(maxsize=4)
def _start_pattern(lex: _Lexicon) -> re.Pattern[str]:
    """Where a mention may start with no title or list carried over: a surname's first character,
    or a Han character right after a title's last character, a space or a colon."""
    after = "".join(sorted(lex.title_last_chars | set(_SPACE) | set(":：")))
    return re.compile(
        f"[{re.escape(''.join(sorted(lex.name_initials)))}]|(?<=[{re.escape(after)}])[\u4e00-\u9fff]"
    )


def _mentions(text: str, lex: _Lexicon) -> list[_Mention]:
    found: list[_Mention] = []
    last_end = 0
    byline_role: str | None = None
    chain_role: str | None = None
    n = len(text)
    # The positions where a mention may start (one regex scan): most characters of a text are
    # none of them, and the loop below jumped to the next one instead of testing each (its
    # tests start with the same conditions). Only right after a mention that carries a role
    # over (a by-line's further names, a listed name sharing a title) is every position read.
    starts = [m.start() for m in _start_pattern(lex).finditer(text)]
    ahead = 0  # starts[ahead:] are the starts not passed yet
    near = -1  # positions up to here follow a mention with a role to carry over
    i = starts[0] if starts else n
    while i < n:
        if i > near:
            while ahead < len(starts) and starts[ahead] < i:
                ahead += 1
            if ahead == len(starts):
                break
            i = starts[ahead]
        ch = text[i]
        if not _is_han(ch):
            i += 1
            continue
        k = _skip_space_left(text, i)
        title = _title_ending_at(text, k, lex) if k >= last_end else None
        mention: _Mention | None = None
        if title is not None:
            role = _role_left(text, k - len(title), k, last_end, lex)
            mention = _titled_at(text, i, role, lex, after_title=True)
        elif byline_role is not None and not text[last_end:i].strip(_SPACE + "、"):
            # "记者 李明 王芳": further names after a by-line label share it.
            mention = _titled_at(text, i, byline_role, lex)
        elif chain_role is not None and text[last_end:i] == "、":
            # "管委会副主任吴敏、季明": a bare name listed after a titled one shares the title.
            mention = _titled_at(text, i, chain_role, lex)
        elif ch in lex.name_initials and _at_boundary(text, i, lex):
            mention = _untitled_at(text, i, lex)
        if mention is None:
            i += 1
            continue
        found.append(mention)
        last_end = mention.end
        if mention.role is not None and (title in lex.bylines or mention.role == byline_role):
            byline_role = mention.role
        else:
            byline_role = None
        chain_role = mention.role
        i = mention.end
        if byline_role is not None or chain_role is not None:
            # the further names of a by-line or a list start after spaces and 、 only
            near = i
            while near < n and text[near] in _SPACE + "、":
                near += 1
        else:
            near = -1
    return found


def _foreign_at(text: str, i: int, lex: _Lexicon) -> tuple[str, int] | None:
    """A transliterated name such as "马丁·魏斯", its last part cut where a follower starts."""
    m = _FOREIGN.match(text, i)
    if m is None:
        return None
    last_dot = max(m.group().rfind(d) for d in _DOTS) + i
    for end in range(last_dot + 2, m.end() + 1):
        if _follow_kind(text, end, lex) is not None:
            return text[i:end], end
    return None


_RANK = {"strong": 0, "list": 1, "weak": 2}


def _titled_at(
    text: str, i: int, role: str, lex: _Lexicon, *, after_title: bool = False
) -> _Mention | None:
    foreign = _foreign_at(text, i, lex)
    if foreign is not None:
        return _Mention(foreign[0], role, i, foreign[1])
    # "局长王强认为": a name followed by a verb beats a longer one followed by a particle.
    best: tuple[int, str, int] | None = None
    for name, end in _candidates(text, i, lex):
        kind = _follow_kind(text, end, lex)
        if kind is not None and (best is None or _RANK[kind] < best[0]):
            best = (_RANK[kind], name, end)
    if best is None and text[i] in lex.name_initials and _given_ok(text[i + 1 : i + 4], lex):
        # "领事田中浩二一行": a four-character (Japanese) name, only after a title and before a verb
        if len(text[i + 1 : i + 4]) == 3 and _follow_kind(text, i + 4, lex) == "strong":
            best = (0, text[i : i + 4], i + 4)
    if best is None and after_title:
        # "书记周文博宣布…" with a verb the lexicon lacks: after a real title, three characters
        # that pass every name check are taken as the name (most names have three).
        for name, end in _candidates(text, i, lex):
            if end - i == 3 and len(name) == 3 and end < len(text) and _is_han(text[end]):
                best = (3, name, end)
                break
    return None if best is None else _Mention(best[1], role, i, best[2], best[0] <= 1)


def _untitled_at(text: str, i: int, lex: _Lexicon) -> _Mention | None:
    for name, end in _candidates(text, i, lex):
        kind = _follow_kind(text, end, lex)
        if kind == "strong" or kind == "list" and _list_ends_in_person(text, end, lex):
            return _Mention(name, None, i, end, True)
    return None


_NAME_SHAPE = re.compile(r"[\u4e00-\u9fff]{2,6}|[\u4e00-\u9fff]{1,8}(?:[·•‧・-][\u4e00-\u9fff]{1,10}){1,3}")


def _model_ok(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    """May the CRF span text[start:end] be reported as a person (shape and lexicon checks)?"""
    name = text[start:end]
    if not _NAME_SHAPE.fullmatch(name):
        return False
    if name[1:] in lex.given_words or name[-2:] in lex.given_words and len(name) == 3:
        return False  # 宣传周活动: the rest of the span is a word of the sentence
    if _ends_any(text, end, lex.honorifics) or _title_ending_at(text, end, lex) or any(
        text[end - n : end] in lex.titles for n in lex.title_lengths if n < end - start
    ):
        return False  # 王书记, 张女士: a surname and a form of address
    word = _starts_any(text, start, lex.not_name_starts)
    if word is not None and len(word) >= end - start:
        return False  # 黄海, 张家港; but 黄海涛 is a name
    tail = _ends_any(text, end, lex.suffixes)
    if tail is not None and (len(tail) > 1 or tail not in _NAME_ENDINGS):
        return False  # 司马光路, 张芝山镇: a place or a unit
    return not _starts_any(text, end, lex.suffixes)


# Where the rules and the model disagree on where a name ends, the rules' end wins unless the
# model finds its own end this many times likelier: much likelier when a verb or a list follows
# the rules' name (王强调研, 顾清和表示), less so after a bare title (沈立新拍板).
# An untitled name the rules found is kept when the model gives a name start there at least this
# probability (dev: precision 0.892 -> 0.909 at the same recall).
_MIN_BEGIN = 0.01
_SURE_BIAS = 100.0
# Conjunctions that are also given-name characters (顾清和, 李和平, 张与同).
_GIVEN_CONJ = frozenset("和与及同")
_UNSURE_BIAS = 10.0
# A name the model finds alone is used only when the model gives that whole reading (a name
# starts there, runs on to its end and stops) at least this probability. The shipped model learnt
# from a small corpus (Universal NER: ~3,000 names, plus copies with ~25,000 real names of jieba's
# dictionary in their place) and is unsure at many wrong ends (江泽, 罗干高). Chosen on dev as the
# best F1 whose precision is at least 0.883 (the Universal-NER-only model at gate 0.6 scored dev P
# 0.879 and held-out 0.859, 0.020 lower, under the grammar's 0.863): gate 0.6 P 0.864 R 0.611;
# 0.7 P 0.872 R 0.602; 0.8 P 0.890 R 0.585; 0.9 P 0.897 R 0.552 (the grammar alone: P 0.844
# R 0.337). A model named by PARKCRAWL_PEOPLE_MODEL is not gated: the one trained from the
# research-only news corpora (12,719 names) scores dev P 0.916 R 0.811 without the gate, 0.935 /
# 0.762 with 0.6.
_MIN_SPAN = 0.8
# A model span that ends right before one of these, where the rules' name starts right after it,
# is the first part of one foreign name (约翰·米勒-怀特).
_FOREIGN_JOINS = frozenset("-·•‧・")


def _with_model(text: str, lex: _Lexicon, found: list[_Mention]) -> list[_Mention]:
    """The rules' mentions corrected and completed by the CRF's name spans."""
    from parkcrawl.extract.names_crf import Tagged

    tagged = Tagged(text)
    # a span that meets a mention of the rules only corrects it (its end, a longer foreign name):
    # the gate is for the names the model finds alone
    ruled = {k for m in found for k in range(m.start, m.end)}
    starts = {m.start: m.end for m in found}
    # opt-in: LAC's persons (already gated by the CRF's agreement) in place of the CRF's spans
    lac = names_lac.enabled()
    raw = []
    for s, e in names_lac.name_spans(tagged) if lac else tagged.spans():
        if raw and s < raw[-1][1]:
            continue  # inside the foreign name joined just before: the sweep needs no overlaps
        if e + 1 in starts and text[e] in _FOREIGN_JOINS:
            e = starts[e + 1]  # 约翰·米勒 + - + 怀特 (the rules' name): one foreign name
        raw.append((s, e))
    gate = _MIN_SPAN if names_crf.shipped() and not lac else 0.0
    spans = [(s, e) for s, e in raw if _model_ok(text, s, e, lex) and (
        gate == 0.0 or not ruled.isdisjoint(range(s, e))
        or tagged.begin(s) * tagged.end_score(s, e) >= gate
    )]
    out: list[_Mention] = []
    j = 0  # both lists run left to right without overlaps: one sweep keeps this linear
    for m in found:
        while j < len(spans) and spans[j][1] <= m.start:
            j += 1
        if j >= len(spans) or spans[j][0] >= m.end:
            # the rules had a title, a verb or a list to go on; an untitled reading the model
            # all but rules out (文章指出, 全中国) is dropped, but compound surnames are rare in
            # its training text, so there the lexicon decides (上官燕代表…)
            # nor is a name that continues a list of names kept (张明、李华、王强三位同志)
            if (m.role is not None or tagged.begin(m.start) >= _MIN_BEGIN
                    or text[m.start : m.start + 2] in lex.compound_surnames
                    or out and text[out[-1].end : m.start] == "、"):
                out.append(m)
            continue
        s, e = spans[j]
        if s != m.start:
            if m.sure and not (s < m.start and m.end <= e):
                out.append(m)  # 司马晓东、…等企业家: the model saw only 马晓东
            elif s < m.start and m.end <= e:
                # 约翰·米勒-怀特: the rules saw only the last part; the title is still theirs
                out.append(_Mention(text[s:e], m.role, s, e))
            continue  # otherwise the model's span replaces the rules' reading
        # the rules found the start; the end is whichever the model finds likelier
        # (彭丹颇有遗憾地说 → 彭丹; 沈立新拍板 stays 沈立新)
        trust = _SURE_BIAS if m.sure else _UNSURE_BIAS
        if m.sure and text[e : m.end] in _GIVEN_CONJ and _starts_any(text, m.end, lex.verbs):
            out.append(m)  # 顾清和表示: 和 before a verb ends a name, it joins nothing
        elif tagged.end_score(s, m.end) * trust >= tagged.end_score(s, e):
            out.append(m)
        else:
            out.append(_Mention(text[s:e], m.role, s, e))
    kept = out
    out = []
    k_i = 0
    for s, e in spans:
        # the mentions kept so far that end before this span, then whether one overlaps it
        while k_i < len(kept) and kept[k_i].end <= s:
            out.append(kept[k_i])
            k_i += 1
        if k_i < len(kept) and kept[k_i].start < e:
            continue
        k = _skip_space_left(text, s)
        title = _title_ending_at(text, k, lex)
        limit = out[-1].end if out else 0
        role = _role_left(text, k - len(title), k, limit, lex) if title else None
        out.append(_Mention(text[s:e], role, s, e))
    out.extend(kept[k_i:])
    return out


_MAX_ROLE_AFTER = 6
# Place suffixes that end given names as often as places (王长江, 李湖): not a veto on their own.
_NAME_ENDINGS = frozenset("江河湖桥港湾州园门井家")


def _role_after(text: str, end: int, lex: _Lexicon) -> str | None:
    """A title written right after the name (习近平总书记, 何平教授, 张三区委书记), else None."""
    for n in range(min(_MAX_ROLE_AFTER, len(text) - end), 1, -1):
        chunk = text[end : end + n]
        if not all(_is_han(c) for c in chunk) or _starts_any(text, end, lex.stops):
            continue
        title = _title_ending_at(text, end + n, lex)
        # at most two characters of unit before the title (区委书记), none of them a stop
        if title is None or title in lex.not_after or n - len(title) > 2:
            continue
        if not _ends_any(text, end + n - len(title), lex.stops):
            return chunk
    return None


def extract_participants(text: str) -> list[Participant]:
    """Each person named in ``text``, once, in order of first appearance, with their title."""
    lex = _lexicon()
    order: list[str] = []
    roles: dict[str, str | None] = {}
    mentions = _mentions(text, lex)
    if names_crf.available():
        mentions = _with_model(text, lex, mentions)
    for mention in mentions:
        if mention.role is None:
            mention.role = _role_after(text, mention.end, lex)
        if mention.role in lex.bylines:
            # A by-line label (记者, 通讯员) says who wrote, not an office held: role null.
            mention.role = None
        if mention.name not in roles:
            order.append(mention.name)
            roles[mention.name] = mention.role
        elif roles[mention.name] is None and mention.role:
            roles[mention.name] = mention.role  # a later title fills a missing role
    return [Participant(name, roles[name]) for name in order]


def participants_of(text: str) -> list[dict[str, str | None]]:
    """The item's participants field for an article's text (title, newline, body): plain dicts,
    which the page workers send back (parkcrawl/workers.py) and the feed writes as they are."""
    return [{"name": person.name, "role": person.role} for person in extract_participants(text)]
