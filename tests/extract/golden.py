"""Golden cases under fixtures/pages/<case>/: load them, and print current output on purpose.

``python -m tests.extract.golden CASE`` prints what the extractor returns now, as JSON shaped
like expected.json, so a golden is updated by a person reading the diff, never blindly.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from parkcrawl.extract.article import ArticleFields, extract_article

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
FIELDS = tuple(f.name for f in dataclasses.fields(ArticleFields))


@dataclass(frozen=True)
class GoldenCase:
    """One saved page: its HTML, its meta.json and its hand-written expected.json."""

    name: str
    html: str
    meta: dict
    expected: dict


def load_case(name: str) -> GoldenCase:
    folder = PAGES / name
    return GoldenCase(
        name=name,
        html=(folder / "input.html").read_text(encoding="utf-8"),
        meta=json.loads((folder / "meta.json").read_text(encoding="utf-8")),
        expected=json.loads((folder / "expected.json").read_text(encoding="utf-8")),
    )


def case_names() -> list[str]:
    return sorted(p.name for p in PAGES.iterdir() if (p / "expected.json").is_file())


def current_output(case: GoldenCase) -> dict:
    """What the extractor returns now, as a dict in expected.json's shape."""
    return dataclasses.asdict(extract_article(case.html, case.meta["url"]))


def main(argv: list[str]) -> int:
    for name in argv or case_names():
        print(f"== {name}")
        print(json.dumps(current_output(load_case(name)), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
