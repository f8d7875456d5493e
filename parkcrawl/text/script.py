"""Script handling: Traditional → Simplified conversion with OpenCC, and script detection."""

from __future__ import annotations

import re
from typing import Any

# Config chosen by measurement (tests/text/test_script.py::test_config_measurement re-checks it).
# On the seed article, after stripping annotations (2,424 characters):
#   t2s   : 4 errors, 著 left in 著手 / 向著 / 著重 / 著力 (Taiwan usage the mirror produced)
#   hk2s  : the same 4 errors
#   tw2s  : 0 errors
#   tw2sp : 0 character errors but 2 vocabulary swaps (智慧化→智能化, 核心→内核): wrong for
#           a text whose original was Simplified
# On the labelled set (tests/text/annotation_cases.tsv, the authored Simplified originals
# against tw2s of their Traditional form) see the same test for the current figures.
# Speed on the seed: t2s ≈ 0.31 ms, tw2s ≈ 0.54 ms per call.
OPENCC_CONFIG = "tw2s"

_converter: Any = None

# CJK unified ideographs (BMP blocks, compatibility block, supplementary planes).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{CJK_CLASS}]")

# Share of distinct CJK characters that must change under to_simplified for a text to count
# as Traditional. Simplified prose loses at most a variant or two under tw2s (著 in 著手);
# Traditional prose loses 20–40% of its distinct characters (measured in test_script.py).
HANT_SHARE = 0.05


def _get_converter() -> Any:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC(OPENCC_CONFIG)
    return _converter


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with the module's OpenCC converter."""
    if text.isascii():
        return text
    converter = _get_converter()
    if "\x00" in text:  # OpenCC stops at a NUL (C string); convert around it
        return "\x00".join(str(converter.convert(part)) for part in text.split("\x00"))
    return str(converter.convert(text))


def changed_share(original: str, converted: str) -> float:
    """Share of the distinct CJK characters of ``original`` that ``converted`` no longer contains.

    Counting distinct characters keeps this to set operations (fast on long pages).
    """
    if original == converted:
        return 0.0
    chars = set(original)
    cjk = sum(1 for ch in chars if ch >= "\u3400" and _CJK_RE.match(ch))
    if not cjk:
        return 0.0
    return len(chars.difference(converted)) / cjk


def script_of(original: str, converted: str) -> str:
    """"Hant" or "Hans" given a text and its to_simplified conversion."""
    return "Hant" if changed_share(original, converted) > HANT_SHARE else "Hans"


def detect_script(text: str) -> str:
    """"Hans" or "Hant": Traditional when annotations show the mirror artifact or many characters change."""
    from parkcrawl.text.pinyin import strip_annotations

    if strip_annotations(text).stripped:
        return "Hant"
    return script_of(text, to_simplified(text))
