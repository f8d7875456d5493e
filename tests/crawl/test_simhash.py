"""The near-duplicate threshold, measured on labelled pairs built from the demo's authored bodies."""

from __future__ import annotations

import itertools
import json

import pytest

from parkcrawl.extract.simhash import NEAR_DUPLICATE_BITS, distance, simhash
from tests.support import ROOT

BODIES = [
    json.loads(line)["body"]
    for line in (ROOT / "tests" / "golden" / "demo_parknews.jsonl").read_text("utf-8").splitlines()
]

# How a copy of an article differs from the original on these sites (labelled: near duplicate).
NEAR_EDITS = {
    "print page footer": lambda b: b + "\n【打印本页】【关闭窗口】",
    "print time header": lambda b: "打印时间：2024年12月1日\n" + b,
    "re-post with a source line": lambda b: b + "\n（来源：南通日报 编辑：张华）",
    "re-post with an editor line": lambda b: b + "\n责任编辑：王小明",
    "one sentence reworded": lambda b: b.replace("，", "，进一步", 1),
}


def near_pairs() -> list[tuple[str, int]]:
    return [(name, distance(simhash(b), simhash(edit(b))))
            for b in BODIES for name, edit in NEAR_EDITS.items()]


def different_pairs() -> list[int]:
    hashes = [simhash(b) for b in BODIES]
    return [distance(a, b) for a, b in itertools.combinations(hashes, 2)]


def test_threshold_separates_labelled_pairs() -> None:
    near = near_pairs()
    different = different_pairs()
    worst_near = max(d for _, d in near)
    closest_different = min(different)
    print(f"\nsimhash: {len(near)} near-duplicate pairs, max distance {worst_near}; "
          f"{len(different)} different pairs, min distance {closest_different}; "
          f"threshold {NEAR_DUPLICATE_BITS}")
    assert worst_near <= NEAR_DUPLICATE_BITS < closest_different


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        # identical text, different whitespace and punctuation
        ("园区召开会议，部署重点工作。", "园区召开会议 部署重点工作", True),
        # a recurring meeting with a different agenda is a different article
        ("园区召开党工委会议，研究部署安全生产、防汛防台和重点项目推进工作，听取各部门汇报。",
         "园区召开党工委会议，学习传达全省经济工作会议精神，审议年度财政预算草案和人才政策。",
         False),
    ],
)
def test_simhash_cases(a: str, b: str, near: bool) -> None:
    assert (distance(simhash(a), simhash(b)) <= NEAR_DUPLICATE_BITS) is near
