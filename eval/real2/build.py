#!/usr/bin/env python3
"""Rebuild eval/real2 (pages/, truth/) from the two source repositories, byte for byte.

    python3 eval/real2/build.py CWCED_CHECKOUT MAGIC_HTML_CHECKOUT

CWCED_CHECKOUT is immortal-autumn/Chinese-Web-Content-Extraction-Dataset at 99d0ef0,
MAGIC_HTML_CHECKOUT is opendatalab/magic-html at 47d4a7f (see README.md).  Pages already in
../shared/eval/real are left out (by source id, listed below), as are pages in Japanese.
The held-out third is drawn with random.Random(19) over the sorted names, before any page was
looked at; truth/<name>.json says "split": "tune" or "heldout".  Titles (and the magic-html
dates) are labelled by hand in labels.json; the other truth is the source's.
Standard library only.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 19
# Source pages that ../shared/eval/real already holds (kept out: that set is the other check).
SHARED_CWCED = {
    "500b350d", "e8847578", "d232c5df", "274a65d9", "91bdf33e", "b26fbb82", "3e1af229",
    "aefcf136", "c4d032a1", "36efbc69", "9890f458", "a0cb0242", "f70d9c97", "ecbe8d49",
}
SHARED_MAGIC = {
    "4e55eac42f", "9af148c801", "090704b0cb", "39ab22e747", "5da9b27b0b", "a28ede747c",
    "14b709df54", "1e20e02712", "9c642bd57e",
}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(text: str) -> str | None:
    match = _DATE.match(text.strip())
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def cwced_cases(root: Path) -> dict[str, tuple[Path, dict]]:
    """name -> (page path, truth) for the CWCED pages not in the shared set."""
    out = {}
    for page in sorted((root / "original").glob("*.html")):
        uid = page.stem
        if uid[:8] in SHARED_CWCED:
            continue
        body = (root / "cleaned" / f"{uid}.txt").read_text(encoding="utf-8", errors="replace")
        date = (root / "date" / f"{uid}.txt").read_text(encoding="utf-8", errors="replace")
        truth = {
            "title": None, "body": body.strip() or None, "published_at": _date(date),
            "truth_kind": "human", "source": "immortal-autumn/Chinese-Web-Content-Extraction-Dataset",
            "source_path": f"original/{uid}.html",
        }
        out[f"cwced-{uid[:8]}"] = (page, truth)
    return out


def magic_cases(root: Path) -> dict[str, tuple[Path, dict]]:
    """name -> (page path, truth) for magic-html's Chinese article pages not in the shared set."""
    base = json.loads((root / "benchmark/data/article/base.json").read_text(encoding="utf-8"))
    out = {}
    for key, record in sorted(base.items()):
        content = record.get("content") or ""
        han = len(re.findall(r"[\u4e00-\u9fff]", content))
        kana = len(re.findall(r"[\u3040-\u30ff]", content))
        if han < 50 or kana > 10 or key[:10] in SHARED_MAGIC:
            continue
        page = root / "benchmark/data/article/htmls" / f"{key}.html"
        truth = {
            "title": None, "body": content.strip(), "published_at": None,
            "truth_kind": "human", "source": "opendatalab/magic-html",
            "source_path": f"benchmark/data/article/htmls/{key}.html", "url": record.get("url"),
        }
        out[f"mh-{key[:10]}"] = (page, truth)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    cases = cwced_cases(Path(argv[1])) | magic_cases(Path(argv[2]))
    names = sorted(cases)
    heldout = set(random.Random(SEED).sample(names, len(names) // 3))
    labels_path = HERE / "labels.json"
    labels = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else {}
    for sub in ("pages", "truth"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
        (HERE / sub).mkdir()
    for name in names:
        page, truth = cases[name]
        shutil.copyfile(page, HERE / "pages" / f"{name}.html")
        truth["split"] = "heldout" if name in heldout else "tune"
        for field, value in labels.get(name, {}).items():
            truth[field] = value
            truth.setdefault("labelled", []).append(field)
        (HERE / "truth" / f"{name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"{len(names)} pages, {len(heldout)} held out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
