"""Precision and recall of annotation removal over the labelled set and the seed article."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from parkcrawl.text.pinyin import strip_annotations

CASES = Path(__file__).resolve().parent / "annotation_cases.tsv"

# Every parenthesised span (innermost) and every ``?reading)`` tail: the units we score.
_CANDIDATE = re.compile(r"[(（][^()（）\n]{0,24}[)）]|(?<=[?？\ufffd])[^\W\d_]{1,8}[)）]")
# Independent oracle for the seed: every parenthesised lowercase (tone-marked) syllable is the
# mirror's, and so is a syllable after ``?`` whose opening parenthesis was lost.
_SEED_ANNOTATION = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+[)）]|(?<=\?)[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")


def load_cases() -> list[tuple[str, str, str]]:
    with CASES.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        next(reader)
        return [(row[0], row[1], row[2]) for row in reader]


def removed_spans(source: str, target: str) -> set[int] | None:
    """Indexes of the candidate spans of ``source`` that ``target`` dropped; None if they differ otherwise."""
    removed: set[int] = set()
    pos = 0  # in target
    last = 0  # in source
    for index, match in enumerate(_CANDIDATE.finditer(source)):
        between = source[last : match.start()]
        if not target.startswith(between, pos):
            return None
        pos += len(between)
        if target.startswith(match.group(), pos):
            pos += len(match.group())
        else:
            removed.add(index)
        last = match.end()
    if target[pos:] != source[last:]:
        return None
    return removed


def score(cases: list[tuple[str, str]]) -> tuple[int, int, int, list[str]]:
    """(true positives, false positives, false negatives, failures) of annotation removal."""
    tp = fp = fn = 0
    failures: list[str] = []
    for source, expected in cases:
        output = strip_annotations(source).text
        want = removed_spans(source, expected)
        assert want is not None, f"labelled case is not source minus spans: {source!r}"
        got = removed_spans(source, output)
        if got is None:  # the stripper changed something else: count everything as wrong
            fp += 1
            fn += len(want)
            failures.append(source)
            continue
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            failures.append(source)
    return tp, fp, fn, failures


def seed_cases(seed: str) -> list[tuple[str, str]]:
    """Every line of the seed that carries annotations, with the oracle's expected text."""
    return [
        (line, _SEED_ANNOTATION.sub("", line))
        for line in seed.splitlines()
        if _SEED_ANNOTATION.search(line)
    ]


def test_labelled_set_shape() -> None:
    cases = load_cases()
    assert len(cases) >= 300
    assert sum(1 for _s, _e, note in cases if note.startswith("legit")) >= 80


def test_precision_and_recall(record_property: pytest.RecordProperty, seed_text: str) -> None:
    labelled = [(source, expected) for source, expected, _note in load_cases()]
    seed = seed_cases(seed_text)
    assert len(seed) >= 15  # every annotated line of the seed is scored
    tp, fp, fn, failures = score(labelled + seed)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\nannotation removal over {len(labelled)} labelled cases + {len(seed)} seed lines: "
        f"precision {precision:.4f}, recall {recall:.4f} (tp={tp} fp={fp} fn={fn})"
    )
    record_property("annotation_precision", round(precision, 6))
    record_property("annotation_recall", round(recall, 6))
    assert precision == 1.0, failures
    assert recall >= 0.995, failures


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # the scorer itself: one span removed
        ("園(yuán)區", "園區", {0}),
        # a kept real parenthesis
        ("中新(南通)園(yuán)", "中新(南通)園", {1}),
        # bare lost-character tail
        ("重?fù)沖", "重?沖", {0}),
        # other text changed: not comparable
        ("園(yuán)區", "园区", None),
    ],
)
def test_removed_spans(source: str, target: str, expected: set[int] | None) -> None:
    assert removed_spans(source, target) == expected
