"""SimHash over character shingles, for near-duplicate articles (pure).

A print page with one extra line, or a re-post with a changed footer, keeps the title and
differs from the original in a few shingles, so its 64-bit SimHash differs in a few bits.
Near duplicates are therefore looked for only among articles with the same normalized title,
and the distance threshold is measured on labelled pairs (tests/crawl/test_simhash.py).
"""

from __future__ import annotations

import hashlib
import re

SHINGLE = 3
BITS = 64
# Hamming distance at or below which two same-title bodies are near duplicates. Measured on the
# labelled pairs: near duplicates reach 10 bits on 150-character bodies, different articles
# start at 21; 12 leaves room on both sides.
NEAR_DUPLICATE_BITS = 12
_NOT_TEXT = re.compile(r"[\W_]+")

# Each bit of a hash is spread into its own 16-bit lane of a big integer, so summing the spread
# integers counts every bit position at once (8 table look-ups per shingle instead of 64 tests).
_LANE = 24  # counts up to 16M shingles per text
_SPREAD = [sum(1 << (_LANE * bit) for bit in range(8) if byte >> bit & 1) for byte in range(256)]
_LANE_MASK = (1 << _LANE) - 1


def normalize_text(text: str) -> str:
    """Text as compared: whitespace and punctuation removed."""
    return _NOT_TEXT.sub("", text)


def simhash(text: str) -> int:
    """64-bit SimHash of the text's character shingles, whitespace and punctuation ignored."""
    chars = normalize_text(text)
    if len(chars) <= SHINGLE:
        shingles = {chars}
    else:
        shingles = {chars[i : i + SHINGLE] for i in range(len(chars) - SHINGLE + 1)}
    # All hashes side by side; byte i of each (from the least significant end: big-endian digest
    # byte 7 - i) is one stride of the joined bytes, spread and summed in C, not per shingle.
    digests = b"".join(
        hashlib.blake2b(shingle.encode(), digest_size=8).digest() for shingle in shingles
    )
    total = 0
    for i in range(8):
        total += sum(map(_SPREAD.__getitem__, digests[7 - i :: 8])) << (_LANE * 8 * i)
    half = len(shingles) / 2
    out = 0
    for bit in range(BITS):
        if (total >> (_LANE * bit)) & _LANE_MASK > half:
            out |= 1 << bit
    return out


def distance(a: int, b: int) -> int:
    """Hamming distance of two SimHashes."""
    return (a ^ b).bit_count()


def is_near_duplicate(a: int, b: int) -> bool:
    return distance(a, b) <= NEAR_DUPLICATE_BITS
