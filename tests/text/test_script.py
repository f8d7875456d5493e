"""Script conversion and detection, and the measurement behind the OpenCC config choice."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import opencc
import pytest

from parkcrawl.text.pinyin import strip_annotations
from parkcrawl.text.script import OPENCC_CONFIG, to_simplified

_GENERATOR = Path(__file__).resolve().parent / "make_annotation_cases.py"


def _authored_sentences() -> list[str]:
    spec = importlib.util.spec_from_file_location("make_annotation_cases", _GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [s for s in module.SENTENCES if s] + [s for s, _note in module.LEGIT_IN_ANNOTATED]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("蘇錫通園區召開工作會議", "苏锡通园区召开工作会议"),
        # Taiwan usage the mirror produced: t2s would leave 著
        ("從三個方面著手，向著目標，著力推進", "从三个方面着手，向着目标，着力推进"),
        # vocabulary is not swapped (tw2sp would write 智能化)
        ("精細化、智慧化管理", "精细化、智慧化管理"),
        # Simplified text passes through; rare characters kept
        ("王喆、李堃、蓝叒叒、朱镕基", "王喆、李堃、蓝叒叒、朱镕基"),
        # ASCII and markup unchanged
        ('<a href="/x?y=1">A&nbsp;B</a>', '<a href="/x?y=1">A&nbsp;B</a>'),
        # a NUL does not cut the text short (OpenCC works on C strings)
        ("園\x00區", "园\x00区"),
        ("", ""),
    ],
)
def test_to_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected



def _errors(config: str, pairs: list[tuple[str, str]]) -> int:
    converter = opencc.OpenCC(config)
    return sum(
        sum(a != b for a, b in zip(converter.convert(trad), simp)) for trad, simp in pairs
    )


def test_config_measurement(seed_text: str) -> None:
    """tw2s makes no errors where t2s leaves 著 and tw2sp swaps vocabulary (see script.py)."""
    assert OPENCC_CONFIG == "tw2s"
    # labelled set: authored Simplified → s2t (the mirror's conversion) → back
    s2t = opencc.OpenCC("s2t")
    pairs = [(s2t.convert(s), s) for s in _authored_sentences()]
    labelled = {c: _errors(c, pairs) for c in ("t2s", "tw2s", "tw2sp")}
    # seed: after stripping, count characters each config leaves Traditional or rewrites
    stripped = strip_annotations(seed_text).text
    reference = opencc.OpenCC("tw2s").convert(stripped)
    residual_zhe = {
        c: len(re.findall("著[手力重]|向著", opencc.OpenCC(c).convert(stripped)))
        for c in ("t2s", "tw2s", "tw2sp")
    }
    swaps = sum(a != b for a, b in zip(opencc.OpenCC("tw2sp").convert(stripped), reference))
    print(f"\nlabelled set errors: {labelled}; seed residual 著: {residual_zhe}; tw2sp swaps: {swaps}")
    assert residual_zhe == {"t2s": 4, "tw2s": 0, "tw2sp": 0}
    assert swaps >= 2  # 智慧化→智能化, 核心→内核
    assert labelled["tw2s"] <= labelled["t2s"]
    assert labelled["tw2s"] <= labelled["tw2sp"]
