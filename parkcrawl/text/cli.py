"""``parkcrawl clean [--keep-script] [FILE…]``: clean text files (or stdin) to stdout in UTF-8."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parkcrawl.text.clean import clean_text
from parkcrawl.text.decoding import decode_html


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parkcrawl clean",
        description="Strip the mirror's pinyin annotations, convert to Simplified, normalize "
        "whitespace. Reads FILEs (any encoding decode_html recognises) or stdin; writes UTF-8.",
    )
    parser.add_argument(
        "--keep-script",
        action="store_true",
        help="strip annotations but keep the text's script (no Traditional→Simplified conversion)",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files to clean (default: stdin)")
    return parser


def _write(text: str) -> None:
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(text)
    else:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def main_clean(argv: list[str]) -> int:
    """Run ``parkcrawl clean``; returns the exit status (2 on a usage error or a missing file)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return int(exc.code or 0)
    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.is_file():
            print(f"parkcrawl clean: {path}: no such file", file=sys.stderr)
            return 2
    sources = [path.read_bytes() for path in paths] if paths else [sys.stdin.buffer.read()]
    for raw in sources:
        text = decode_html(raw).text
        cleaned = clean_text(text, convert=not args.keep_script).text
        _write(cleaned + "\n" if cleaned else "")
    return 0
