"""Quality gate: precision, recall and role accuracy on the hand-labelled cases in cases.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

from parkcrawl.extract.participants import extract_participants

CASES = Path(__file__).with_name("cases.jsonl")

MIN_PRECISION = 0.97
MIN_RECALL = 0.93
MIN_ROLE_ACCURACY = 0.90


def _load() -> list[dict]:
    with CASES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score() -> tuple[float, float, float, list[str]]:
    """(precision, recall, role accuracy on matched names, per-case differences)."""
    tp = fp = fn = role_ok = 0
    diffs: list[str] = []
    for case in _load():
        expected = {p["name"]: p["role"] for p in case["participants"]}
        got = {p.name: p.role for p in extract_participants(case["text"])}
        for name, role in got.items():
            if name in expected:
                tp += 1
                if expected[name] == role:
                    role_ok += 1
                else:
                    diffs.append(f"role {name}: {role!r} != {expected[name]!r}")
            else:
                fp += 1
                diffs.append(f"extra {name} in {case['text'][:30]!r}")
        for name in expected.keys() - got.keys():
            fn += 1
            diffs.append(f"missed {name} in {case['text'][:30]!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    roles = role_ok / tp if tp else 1.0
    return precision, recall, roles, diffs


def test_cases_file_is_big_and_balanced() -> None:
    cases = _load()
    assert len(cases) >= 80
    empty = sum(1 for c in cases if not c["participants"])
    assert empty >= len(cases) / 3 - 1  # about a third name nobody


def test_quality_gate() -> None:
    precision, recall, roles, diffs = score()
    print(f"\npeople eval: precision={precision:.3f} recall={recall:.3f} role_accuracy={roles:.3f}")
    for line in diffs:
        print("  " + line)
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL
    assert roles >= MIN_ROLE_ACCURACY
