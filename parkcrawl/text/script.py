"""Script handling: Traditional → Simplified conversion with OpenCC, and script detection."""

from __future__ import annotations

import re
from typing import Any

# Config chosen by measurement (tests/text/test_script.py::test_config_measurement re-checks it).
# Seed article, after stripping annotations (2,424 characters):
#   t2s   : 4 errors, 著 left in 著手 / 向著 / 著重 / 著力 (Taiwan usage the mirror produced);
#           hk2s the same
#   tw2s  : 0 errors
#   tw2sp : 3 characters rewritten by vocabulary swaps (智慧化→智能化, 核心→内核): wrong for a
#           text whose original was Simplified
# Labelled set (245 authored Simplified sentences → s2t → back), character errors:
#   t2s 0, tw2s 0, tw2sp 28
# Speed on the seed (4,906 characters with annotations): t2s ≈ 0.2–0.3 ms, tw2s ≈ 0.35–0.55 ms.
OPENCC_CONFIG = "tw2s"

_converter: Any = None
_s2t: Any = None

# CJK unified ideographs (BMP blocks, compatibility block, supplementary planes).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{CJK_CLASS}]")


def _get_converter() -> Any:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC(OPENCC_CONFIG)
    return _converter


_convertible: re.Pattern[str] | None = None
_convertible_chars: str | None = None


def convertible_class() -> str:
    """The BMP ideographs the converter changes on their own, escaped for a regex class."""
    global _convertible_chars
    if _convertible_chars is None:
        chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
        converted = str(_get_converter().convert("\n".join(chars))).split("\n")
        changed = [c for c, out in zip(chars, converted, strict=False) if out != c]
        _convertible_chars = "".join(re.escape(c) for c in changed)
    return _convertible_chars


def _convertible_re() -> re.Pattern[str]:
    """A class of the BMP ideographs the converter changes on their own.

    Most pages are Simplified already: one regex search (in C) saves them the OpenCC call,
    which for tw2s costs ten times t2s. Phrase rules only fire on pages that also hold such a
    character, which every Traditional page does.
    """
    global _convertible
    if _convertible is None:
        _convertible = re.compile("[" + convertible_class() + "]")
    return _convertible


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with the module's OpenCC converter."""
    if text.isascii() or not _convertible_re().search(text):
        return text
    converter = _get_converter()
    if "\x00" in text:  # OpenCC stops at a NUL (C string); convert around it
        return "\x00".join(str(converter.convert(part)) for part in text.split("\x00"))
    return str(converter.convert(text))


def to_simplified_visible(text: str) -> str:
    """to_simplified for text that holds no NUL (cleaned text: invisible characters removed).

    The NUL scan is a tenth of a Traditional page's conversion time outside OpenCC itself.
    """
    if text.isascii() or not _convertible_re().search(text):
        return text
    return str(_get_converter().convert(text))


def _to_traditional(text: str) -> str:
    global _s2t
    if _s2t is None:
        import opencc

        _s2t = opencc.OpenCC("s2t")
    return str(_s2t.convert(text))


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) distinct CJK characters of ``text``, character by character."""
    chars = "".join(sorted(c for c in set(text) if c >= "\u3400" and _CJK_RE.match(c)))
    if not chars:
        return 0, 0
    simplified = to_simplified(chars)
    traditional = _to_traditional(chars)
    if len(simplified) != len(chars) or len(traditional) != len(chars):  # a phrase matched
        simplified = "".join(to_simplified(c) for c in chars)
        traditional = "".join(_to_traditional(c) for c in chars)
    hant = sum(1 for a, b in zip(chars, simplified) if a != b)
    hans = sum(1 for a, b in zip(chars, traditional) if a != b)
    return hant, hans


def script_of(original: str, converted: str) -> str:
    """"Hant" or "Hans" given a text and its to_simplified conversion.

    Unchanged text is Simplified. Otherwise compare distinct Traditional-only with
    Simplified-only characters: a Simplified page quoting a Traditional name, or using a
    Taiwan variant (著手), has many more of the latter.
    """
    if original == converted:
        return "Hans"
    hant, hans = script_counts(original)
    return "Hant" if hant > hans else "Hans"
