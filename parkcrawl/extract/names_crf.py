"""Person-name spans from a character CRF (python-crfsuite).

The model that ships, ``parkcrawl/data/people_names.crfsuite.gz``, is trained by
``eval/people/train_names.py`` from Universal NER v1 (zh_gsdsimp, zh_pud), whose CC BY-SA
licences allow redistributing what is learnt from them, and copies of its sentences with person
names of jieba's dictionary (MIT) in place of theirs; the model file is CC BY-SA 4.0
(``parkcrawl/data/people_names.LICENSE.txt``). ``PARKCRAWL_PEOPLE_MODEL`` (environment) names
another model file instead (a model trained from research-only corpora, docs/participants.md),
or ``off`` for the title grammar alone. :mod:`parkcrawl.extract.participants` uses the model to
correct where names end and to find names no title or verb announces. The features below are
shared by training and tagging, so they must change together (retrain).
"""

from __future__ import annotations

import gzip
import itertools
import os
import re
from bisect import bisect_right
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from parkcrawl.extract.lexicons import read_sections

__all__ = ["Tagged", "available", "char_features", "model_path", "name_spans", "shipped"]

_PAD = "\x02"
_SURROGATE = re.compile("[\ud800-\udfff]")
# The environment variable that names another model file (or "off": the grammar alone).
MODEL_ENV = "PARKCRAWL_PEOPLE_MODEL"
# The model parkcrawl ships (CC BY-SA 4.0, trained from Universal NER v1 by eval/people).
SHIPPED_MODEL = "people_names.crfsuite.gz"


# The in-memory models' bytes, by file (see _open_tagger).
_MODEL_BYTES: dict[str, bytes] = {}


@lru_cache(maxsize=1)
def _shipped() -> Traversable:
    # Made once: importlib.resources' lookup cost ~25 µs, twice an article in the page worker.
    # The packaged file (a path, or an entry of the zipped Scrapyd egg): read, never written out,
    # so a full disk or a file-size limit cannot stop the model from loading.
    return files("parkcrawl") / "data" / SHIPPED_MODEL


def model_path() -> Traversable | None:
    """The model file PARKCRAWL_PEOPLE_MODEL names, else the shipped one; None when "off"."""
    value = os.environ.get(MODEL_ENV)
    if value and value.strip().lower() == "off":
        return None
    return Path(value) if value else _shipped()


def shipped() -> bool:
    """Is the model in use the one parkcrawl ships (not another named by PARKCRAWL_PEOPLE_MODEL)?"""
    return not os.environ.get(MODEL_ENV)


@lru_cache(maxsize=4)
def _available(path: Traversable | None) -> bool:
    if path is None:
        return False
    if not path.is_file():
        raise FileNotFoundError(f"{MODEL_ENV} names {path}, which is not a file")
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        raise ImportError(
            "the name model needs python-crfsuite (a parkcrawl dependency), not installed: "
            "pip install python-crfsuite"
        ) from None
    return True


def available() -> bool:
    """Is a name model installed (and usable)? A wrong path or a missing package is an error."""
    return _available(model_path())


def _kind(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff":
        return "h"
    if ch.isdigit():
        return "d"
    if ch.isascii() and ch.isalpha():
        return "a"
    if ch in "·•‧・":
        return "."
    return "p"


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Surname initials, titles, verbs and particles from the participants lexicons."""
    surnames = read_sections("people_surnames.txt")
    titles = read_sections("people_titles.txt")
    verbs = read_sections("people_verbs.txt")
    return (
        frozenset(w[0] for w in surnames["compound"] + surnames["single"]),
        frozenset(titles["titles"] + titles["byline"]),
        frozenset(verbs["verbs"]),
        frozenset(verbs["particles"]),
    )


@lru_cache(maxsize=8)
def _starts_by_length(words: frozenset[str]) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """Per word length n, a pattern matching (empty) where some word of that length starts."""
    by_length: dict[int, list[str]] = {}
    for word in words:
        if word:
            by_length.setdefault(len(word), []).append(word)
    # The first characters as a class before the alternation: re tries the words one by one at
    # every position, and most positions start none of them (the scans 2.8x faster).
    return tuple(
        (n, re.compile(
            "(?=[" + re.escape("".join(sorted({word[0] for word in group}))) + "])"
            "(?=(?:" + "|".join(map(re.escape, sorted(group))) + "))"
        ))
        for n, group in sorted(by_length.items())
    )


def _marks(text: str, words: frozenset[str], *, at_end: bool) -> list[bool]:
    """For each position, whether a word of ``words`` ends (at_end) or starts there."""
    # One regex scan per word length (in C) instead of a slice and a set lookup per position
    # and length: 17% of the stage's time on news text.
    out = [False] * (len(text) + 2)
    for n, starts in _starts_by_length(words):
        shift = n if at_end else 0
        for match in starts.finditer(text):
            out[match.start() + shift] = True
    return out


def char_features(text: str) -> list[list[str]]:
    """One feature list per character: the characters around it, bigrams, surname and kind cues."""
    s = _PAD * 2 + text + _PAD * 2
    s3 = _PAD + s + _PAD
    sur, titles, verbs, particles = _cues()
    title_end = _marks(text, titles, at_end=True)  # title_end[i]: a title ends right before i
    verb_at = _marks(text, verbs, at_end=False)
    particle_at = _marks(text, particles, at_end=False)
    kinds = [_kind(ch) for ch in s]
    flags = ["1" if ch in sur else "0" for ch in s]
    cues = [
        ("t" if title_end[j] else "-") + ("v" if verb_at[j] else "-")
        + ("V" if verb_at[j + 1] else "P" if particle_at[j + 1] else "-")
        for j in range(len(text))
    ]
    # f-strings: one new string a feature, where "lc=" + b + c made two (10% of this function)
    return [
        [
            f"c={c}", f"l={b}", f"r={d}", f"ll={a}", f"rr={e}",
            f"lc={b}{c}", f"cr={c}{d}", f"lr={b}{d}", f"llc={a}{b}{c}", f"crr={c}{d}{e}",
            f"k={kb}{kc}{kd}", f"s={fc}{fb}{fa}", f"q={q}",
            f"l3={z}", f"r3={y}", f"rrr={d}{e}{y}", f"lll={z}{a}{b}",
        ]
        for a, b, c, d, e, kb, kc, kd, fa, fb, fc, q, z, y in zip(
            s, s[1:], s[2:], s[3:], s[4:], kinds[1:], kinds[2:], kinds[3:],
            flags, flags[1:], flags[2:], cues, s3, s3[6:],
        )
    ]


def _tagger():  # type: ignore[no-untyped-def]
    return _open_tagger(model_path())


@lru_cache(maxsize=4)
def _open_tagger(path: Traversable | None):  # type: ignore[no-untyped-def]
    import pycrfsuite

    if path is None:
        raise RuntimeError(f"no name model: set {MODEL_ENV} to a trained model file")
    tagger = pycrfsuite.Tagger()
    if path.name.endswith(".gz"):
        # the shipped model, gzipped (2.5 MB -> 1.0 MB in git, the wheel and the egg): opened
        # from memory, no temporary file
        # crfsuite reads the model in place: its bytes must outlive the tagger (a freed buffer
        # is a crash), so they are kept for the life of the process
        data = _MODEL_BYTES.setdefault(str(path), gzip.decompress(path.read_bytes()))
        tagger.open_inmemory(data)
    else:
        tagger.open(str(path))
    return tagger


# A text is tagged in windows of at most WINDOW characters, cut after a sentence end where the
# window has one: the features and crfsuite's lattice grow with the sequence (17 feature strings
# a character), so a hostile page's megabyte without a full stop held about a gigabyte as one
# sequence. An article's paragraph fits a window, so real text reads as before.
WINDOW = 2000
# The model reads at most this many characters of one text (tagging costs ~7 µs a character);
# beyond, the title grammar, linear and cheap, works alone: no real article is this long.
MAX_TAGGED = 100_000
_SENTENCE_ENDS = "。！？；!?\n"
_tokens = itertools.count()
# Which (Tagged instance, window) the shared tagger holds: marginals read the last sequence set.
_held: list[tuple[int, int] | None] = [None]


def windows(text: str) -> list[tuple[int, int]]:
    """(start, end) of the windows ``Tagged`` tags ``text`` in (see WINDOW, MAX_TAGGED)."""
    out: list[tuple[int, int]] = []
    start, limit = 0, min(len(text), MAX_TAGGED)
    while start < limit:
        end = min(start + WINDOW, limit)
        if end < limit:
            cut = max(text.rfind(ch, start, end) for ch in _SENTENCE_ENDS)
            if cut >= start:
                end = cut + 1
        out.append((start, end))
        start = end
    return out


class Tagged:
    """The model's reading of one text: its name spans, and how sure it is of other ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._tagger = _tagger()
        self._token = next(_tokens)
        # the model's strings must encode as UTF-8: a lone surrogate becomes "?", one for one
        self._safe = (
            text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text
        )
        self._windows = windows(self._safe)
        self._starts = [start for start, _ in self._windows]
        labels: list[str] = []
        for number, (start, end) in enumerate(self._windows):
            labels += self._tagger.tag(char_features(self._safe[start:end]))
            _held[0] = (self._token, number)
        self._tagged = len(labels)
        self.labels: list[str] = labels + ["O"] * (len(text) - len(labels))
        self._inside: dict[int, float] = {}

    def _marginal(self, label: str, pos: int) -> float:
        if pos >= self._tagged:
            return 0.0
        number = bisect_right(self._starts, pos) - 1
        start, end = self._windows[number]
        if _held[0] != (self._token, number):
            self._tagger.set(char_features(self._safe[start:end]))
            _held[0] = (self._token, number)
        return self._tagger.marginal(label, pos - start)

    def inside(self, pos: int) -> float:
        """Marginal probability that the character at ``pos`` continues a name."""
        if pos not in self._inside:
            self._inside[pos] = self._marginal("I", pos)
        return self._inside[pos]

    def begin(self, pos: int) -> float:
        """Marginal probability that a name starts at ``pos``."""
        return self._marginal("B", pos)

    def end_score(self, start: int, end: int) -> float:
        """How well text[start:end] reads as one whole name (characters inside, none after)."""
        score = 1.0 - self.inside(end)
        for k in range(start + 1, end):
            score *= self.inside(k)
        return score

    def spans(self) -> list[tuple[int, int]]:
        return _spans(self.labels)


def name_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each person name the model finds in ``text`` (one sentence or clause)."""
    return Tagged(text).spans()


def _spans(labels: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = -1
    for i, lab in enumerate([*labels, "O"]):
        if lab != "I" and start >= 0:
            spans.append((start, i))
            start = -1
        if lab == "B":
            start = i
    return spans
