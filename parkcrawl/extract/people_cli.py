"""`parkcrawl people [FILE…]`: print the people named in article texts, one JSON line per input.

Each input (a file, or stdin when no FILE or FILE is "-") may be Traditional or Simplified,
with or without pinyin annotations; it is cleaned with :func:`parkcrawl.text.clean_text` first.
Output: ``{"file": "<path or ->", "participants": [{"name": ..., "role": ...}]}``.
Exit status: 0; 2 when an input cannot be read (one line on stderr each; the others still run).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from parkcrawl.extract.participants import extract_participants
from parkcrawl.text import clean_text, decode_html

STDIN = "-"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parkcrawl people",
        description="List the people named in article texts, with the titles given them.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help='article text files; stdin when none or "-"')
    return parser


def _read(path: str) -> bytes:
    if path == STDIN:
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def people_record(label: str, raw: bytes) -> dict:
    """The output record for one input's bytes."""
    text = clean_text(decode_html(raw).text).text
    return {
        "file": label,
        "participants": [asdict(p) for p in extract_participants(text)],
    }


def main_people(argv: list[str]) -> int:
    """Entry point for `parkcrawl people`; ``argv`` excludes the subcommand name."""
    args = _parser().parse_args(argv)
    status = 0
    for path in args.files or [STDIN]:
        try:
            raw = _read(path)
        except OSError as exc:
            print(f"parkcrawl people: error: cannot read {path}: {exc.strerror or exc}",
                  file=sys.stderr)
            status = 2
            continue
        print(json.dumps(people_record(path, raw), ensure_ascii=False), flush=True)
    return status
