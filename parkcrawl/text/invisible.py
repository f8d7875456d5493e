"""Invisible characters that must never reach the output: controls, bidi controls, zero-width.

They carry no text, and some do harm where the output is shown: ESC starts a terminal escape
sequence, BEL rings, U+202E reverses the rest of a line (the "Trojan Source" trick), and a
zero-width space splits a word for search and dedup while looking like nothing. They are removed,
not turned into spaces: a space between two hanzi would split a word that was never split.
Cleaning (:func:`parkcrawl.text.clean_text`, :func:`parkcrawl.text.clean_page`) removes them from
text and from HTML, where character references to them (``&#x202E;``, ``&rlm;``) go too.
"""

from __future__ import annotations

import re
from html.entities import html5

# C0 controls and DEL, except the whitespace ones (tab, line feed, vertical tab, form feed,
# carriage return), which whitespace normalization turns into spaces and line breaks.
_C0 = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x20), 0x7F))
# C1 controls, except NEL (U+0085), a line break to whitespace normalization. Run after mojibake
# repair: UTF-8 read as Latin-1 is full of C1 bytes that the repair turns back into hanzi.
_C1 = "".join(chr(c) for c in range(0x80, 0xA0) if c != 0x85)
# Bidi controls: marks (LRM, RLM, ALM), embeddings and overrides (LRE, RLE, PDF, LRO, RLO),
# isolates (LRI, RLI, FSI, PDI).
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Zero-width space, non-joiner and joiner, word joiner, and the BOM / zero-width no-break space.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

REMOVED = frozenset(_C0 + _C1 + _BIDI + _ZERO_WIDTH)

_TABLE = dict.fromkeys(map(ord, REMOVED))
# A terminal escape sequence goes whole (CSI "ESC [ 31 m", OSC "ESC ] 0 ; title BEL", and the
# two-character ones), so no "[31m" is left behind in the text.
# An OSC string counts only when terminated, within 256 characters, so a stray "ESC ]" never
# takes the text after it along.
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|[@-Z\\-_])"
)
# The class is public so that clean.py can fold it into its one scan of a page.
REMOVED_CLASS = re.escape("".join(sorted(REMOVED)))
_ANY = re.compile("[" + REMOVED_CLASS + "]")
# Named references that stand for one of them (&lrm; &rlm; &zwj; &zwnj; &ZeroWidthSpace; …).
_NAMED = sorted(name for name, value in html5.items() if value in REMOVED and name.endswith(";"))
# After "&", a look-ahead for "#" or a name's first letter: a page holds many "&amp;" and
# "&nbsp;", and each is then turned away with one test instead of one per alternative (issue 16).
_REFERENCE = re.compile(
    "&(?=["
    + re.escape("#" + "".join(sorted({name[0] for name in _NAMED})))
    + r"])(?:#[xX](?P<hex>[0-9a-fA-F]{1,6});?|#(?P<dec>[0-9]{1,7});?|(?P<name>"
    + "|".join(map(re.escape, _NAMED))
    + "))"
)


def strip_invisible(text: str) -> str:
    """Remove control (but tab and line breaks), bidi-control and zero-width characters."""
    if not _ANY.search(text):
        return text
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return text.translate(_TABLE)


def _referenced(match: re.Match[str]) -> str:
    if match.group("name"):
        return ""
    digits = match.group("hex") or match.group("dec")
    code = int(digits, 16 if match.group("hex") else 10)
    if 0x80 <= code <= 0x9F:
        # HTML reads &#128;–&#159; as windows-1252 (&#150; is an en dash), as lxml does.
        try:
            return match.group() if bytes([code]).decode("cp1252") else ""
        except UnicodeDecodeError:
            return ""
    if code > 0x10FFFF or chr(code) not in REMOVED:
        return match.group()
    return ""


def strip_invisible_html(html: str) -> str:
    """strip_invisible over an HTML string, character references to those characters included."""
    return strip_references(strip_invisible(html))


def strip_references(html: str) -> str:
    """Remove the character references to invisible characters (the characters themselves stay)."""
    return _REFERENCE.sub(_referenced, html) if "&" in html else html
