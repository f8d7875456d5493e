"""Pure text cleaning: decoding, pinyin-annotation stripping, script conversion, whitespace.

Nothing here imports Scrapy; every function takes and returns plain values.
"""

from __future__ import annotations

from parkcrawl.text.clean import CleanedPage, CleanedText, clean_html, clean_page, clean_text
from parkcrawl.text.decoding import Decoded, decode_html
from parkcrawl.text.whitespace import normalize_whitespace

__all__ = [
    "CleanedPage",
    "CleanedText",
    "Decoded",
    "clean_html",
    "clean_page",
    "clean_text",
    "decode_html",
    "normalize_whitespace",
]
