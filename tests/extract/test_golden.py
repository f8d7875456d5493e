"""Golden pages: every field compared on its own, plus key sentences in and boilerplate out."""

from __future__ import annotations

import re

import pytest

from tests.extract.golden import FIELDS, case_names, current_output, load_case

CASES = case_names()
_WS = re.compile(r"\s+")


def test_every_required_layout_has_a_case() -> None:
    assert set(CASES) >= {
        "trs-editor",
        "hanweb-zoom",
        "table-2005",
        "title-suffix-div-headline",
        "written-date",
        "body-year-first",
        "park-demo",
    }


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", CASES)
def test_field_matches_expected(name: str, field: str) -> None:
    case = load_case(name)
    got = current_output(case)[field]
    assert got == case.expected[field], f"{name}: field {field!r} differs"


@pytest.mark.parametrize("name", CASES)
def test_key_sentences_in_and_boilerplate_out(name: str) -> None:
    case = load_case(name)
    body = _WS.sub("", current_output(case)["body"])
    missing = [s for s in case.meta.get("body_with", []) if _WS.sub("", s) not in body]
    leaked = [s for s in case.meta.get("body_without", []) if _WS.sub("", s) in body]
    assert not missing, f"{name}: body lacks {missing}"
    assert not leaked, f"{name}: body keeps boilerplate {leaked}"


@pytest.mark.parametrize("name", CASES)
def test_expected_files_are_complete(name: str) -> None:
    case = load_case(name)
    assert set(case.expected) == set(FIELDS), f"{name}: expected.json must name every field"
    assert case.meta.get("url", "").startswith("http"), f"{name}: meta.json needs a url"
