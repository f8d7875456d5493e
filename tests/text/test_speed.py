"""Cleaning cost against OpenCC conversion alone on the seed (figures printed with -s)."""

from __future__ import annotations

import timeit

import opencc
import pytest

from parkcrawl.text import clean_text
from parkcrawl.text.script import to_simplified

# Generous: the target is ≤ 2× t2s; tw2s alone costs 1.5–2× t2s, and shared test machines
# are noisy. This bound catches a per-character Python loop, not a few percent.
MAX_RATIO_TO_T2S = 5.0


def _best(fn: object, arg: str) -> float:
    call = lambda: fn(arg)  # noqa: E731
    call()
    return min(timeit.repeat(call, number=20, repeat=7)) / 20


def test_clean_text_speed(record_property: pytest.RecordProperty, seed_text: str) -> None:
    t2s = opencc.OpenCC("t2s").convert
    base = _best(t2s, seed_text)
    tw2s = _best(to_simplified, seed_text)
    clean = _best(clean_text, seed_text)
    print(
        f"\nseed: t2s {base * 1e6:.0f} µs, tw2s {tw2s * 1e6:.0f} µs, clean_text {clean * 1e6:.0f} µs "
        f"({clean / base:.2f}× t2s, {clean / tw2s:.2f}× tw2s)"
    )
    record_property("clean_to_t2s", round(clean / base, 3))
    assert clean / base <= MAX_RATIO_TO_T2S
