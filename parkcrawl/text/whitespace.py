"""Whitespace normalization for cleaned text: odd spaces, zero-width characters, blank-line runs."""

from __future__ import annotations

import re

# Zero-width space/non-joiner/joiner, word joiner and BOM carry no text; drop them.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# Every other horizontal space (ideographic U+3000, no-break U+00A0, the U+2000 block, narrow
# no-break, medium mathematical, Ogham, tabs) becomes an ASCII space.
_SPACES = dict.fromkeys(
    map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
             "\u200a\u202f\u205f\u3000"),
    " ",
)
# Line and paragraph separators, vertical tab, form feed and NEL end a line.
_NEWLINES = dict.fromkeys(map(ord, "\u2028\u2029\x0b\x0c\x85"), "\n")
_TABLE = {**_ZERO_WIDTH, **_SPACES, **_NEWLINES}

_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    """Unify spaces, drop zero-width characters, trim lines and keep at most one blank line.

    Single spaces inside a line survive (a name written ``王 强`` stays split for the
    participants extractor); Chinese punctuation is never touched.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
    text = _SPACE_RUN.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip(" \n")
