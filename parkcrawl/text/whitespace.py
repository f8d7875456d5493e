"""Whitespace normalization for cleaned text: odd spaces, zero-width characters, blank-line runs."""

from __future__ import annotations

import re

# Zero-width space/non-joiner/joiner, word joiner and BOM carry no text: dropped. Every other
# horizontal space (ideographic U+3000, no-break U+00A0, the U+2000 block, narrow no-break,
# medium mathematical, Ogham, tab) becomes an ASCII space; line and paragraph separators,
# vertical tab, form feed, NEL and CR end a line.
_REPLACEMENTS = {
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict.fromkeys(
        "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
        "\u200a\u202f\u205f\u3000",
        " ",
    ),
    **dict.fromkeys("\u2028\u2029\x0b\x0c\x85\r", "\n"),
}
_ODD_RE = re.compile("[" + "".join(_REPLACEMENTS) + "]")

_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    """Unify spaces, drop zero-width characters, trim lines and keep at most one blank line.

    Single spaces inside a line survive (a name written ``王 强`` stays split for the
    participants extractor); Chinese punctuation is never touched.
    """
    # each pass runs only when a cheap check says it has something to do
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if _ODD_RE.search(text):
        text = _ODD_RE.sub(lambda m: _REPLACEMENTS[m.group()], text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip(" \n")
