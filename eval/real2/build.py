#!/usr/bin/env python3
"""Rebuild eval/real2 (pages/, truth/) from the two source repositories, byte for byte.

    python3 eval/real2/build.py CWCED_CHECKOUT MAGIC_HTML_CHECKOUT [--gov CHECKOUTS_DIR]

CWCED_CHECKOUT is immortal-autumn/Chinese-Web-Content-Extraction-Dataset at 99d0ef0,
MAGIC_HTML_CHECKOUT is opendatalab/magic-html at 47d4a7f (see README.md).
CHECKOUTS_DIR holds one directory per repository that gov.json names, called `owner+name`
(extracted at the commit gov.json gives for the source, or for the page where a page names its
own "commit"); those pages form the government part (issue 19).  Pages already in
../shared/eval/real are left out (by source id, listed below), as are pages in Japanese.
The held-out third is drawn with random.Random(19) over the sorted names, before any page was
looked at; truth/<name>.json says "split": "tune" or "heldout".  Titles (and the magic-html
dates) are labelled by hand in labels.json; the other truth is the source's.
Government pages (gov.json, ours) get their own held-out third, drawn the same way over their
own sorted names, so adding them never moves a page of the first 98 between splits.  Their body
truth is cut from the page's own text between two short anchors that gov.json gives (see
`cut_between`), so no page text needs to be committed.
Standard library only.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import sys
from html.parser import HTMLParser
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
GOV_MANIFEST = HERE / "gov.json"
# An anchor is a short marker, not a copy of the page: longer ones are refused.
ANCHOR_MAX = 12
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


_SKIP = {"head", "script", "style", "noscript", "template", "title"}
_BLOCK = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "ul", "ol", "dd", "dt", "center",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


class _TextParser(HTMLParser):
    """The page's visible text, one line per block element (what a reader sees, roughly)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def decode_page(raw: bytes) -> str:
    """The declared charset (GB2312/GBK read as GB18030), else UTF-8, else GB18030."""
    match = _CHARSET.search(raw[:4096])
    tried = []
    if match:
        name = match[1].decode("ascii").lower()
        tried.append("gb18030" if name in ("gb2312", "gbk", "gb18030") else name)
    for encoding in [*tried, "utf-8", "gb18030"]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", errors="replace")


def page_text(raw: bytes) -> str:
    """Visible text of a saved page: lines stripped, blank lines dropped."""
    parser = _TextParser()
    parser.feed(decode_page(raw))
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\u3000\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def cut_between(text: str, start: str, end: str) -> str | None:
    """The text from the first `start` to the first `end` after it, both anchors included.

    None when either anchor is missing (the build then fails loudly rather than score a page
    against a wrong body).
    """
    begin = text.find(start)
    if begin < 0:
        return None
    stop = text.find(end, begin + len(start))
    if stop < 0:
        return None
    return text[begin : stop + len(end)].strip()


def gov_cases(checkouts: Path, manifest: dict) -> dict[str, tuple[Path, dict]]:
    """name -> (page path, truth) for the government pages gov.json lists."""
    out = {}
    for name, entry in sorted(manifest.get("pages", {}).items()):
        source = manifest["sources"][entry["source"]]
        start, end = entry["body_start"], entry["body_end"]
        if max(len(start), len(end)) > ANCHOR_MAX:
            raise SystemExit(f"{name}: body anchors are at most {ANCHOR_MAX} characters")
        page = checkouts / entry["source"].replace("/", "+") / entry["path"]
        body = cut_between(page_text(page.read_bytes()), start, end)
        if body is None:
            raise SystemExit(f"{name}: body anchors not found in {page}")
        truth = {
            "title": entry.get("title"), "body": body,
            "published_at": entry.get("published_at"), "truth_kind": "human",
            # gov.json names one commit per source; a page read at another commit of the
            # same repository says so with its own "commit".
            "source": entry["source"], "source_commit": entry.get("commit") or source["commit"],
            "source_path": entry["path"], "url": entry.get("url"), "part": "gov",
            "labelled": [f for f in ("title", "published_at") if entry.get(f)] + ["body"],
        }
        out[name] = (page, truth)
    return out


def draw_heldout(names: list[str]) -> set[str]:
    """A third of the names, drawn with the set's seed over their sorted order."""
    names = sorted(names)
    return set(random.Random(SEED).sample(names, len(names) // 3))


def main(argv: list[str]) -> int:
    gov_dir = None
    if "--gov" in argv:
        at = argv.index("--gov")
        gov_dir = Path(argv[at + 1]) if at + 1 < len(argv) else None
        argv = argv[:at] + argv[at + 2 :]
        if gov_dir is None:
            print(__doc__, file=sys.stderr)
            return 2
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    cases = cwced_cases(Path(argv[1])) | magic_cases(Path(argv[2]))
    # The first 98 pages keep the split they were given before any government page existed.
    heldout = draw_heldout(list(cases))
    manifest = json.loads(GOV_MANIFEST.read_text(encoding="utf-8")) if GOV_MANIFEST.exists() else {}
    if gov_dir is not None:
        gov = gov_cases(gov_dir, manifest)
        heldout |= draw_heldout(list(gov))
        cases |= gov
    elif manifest.get("pages"):
        print(f"government part skipped: --gov CHECKOUTS_DIR not given ({len(manifest['pages'])} pages)")
    names = sorted(cases)
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
            if field not in truth.setdefault("labelled", []):
                truth["labelled"].append(field)
        (HERE / "truth" / f"{name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    gov_count = sum(1 for name in names if cases[name][1].get("part") == "gov")
    print(f"{len(names)} pages, {len(heldout)} held out, {gov_count} government pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
