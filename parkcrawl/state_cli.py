"""`parkcrawl state check [DIR]`: is the incremental state usable, and what does it hold?

Exit status 0: usable (an older schema is migrated on the way); 1: not usable, with one line on
stderr naming the file and what to do; 2: bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parkcrawl.state import WALK_COMPLETE
from parkcrawl.storage import ArticleStateStore, StateError

DEFAULT_STATE_DIR = Path("output/state")


def main_state(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="parkcrawl state", description="Check the incremental state a crawl keeps."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="open, check and (if older) migrate the state")
    check.add_argument(
        "directory", nargs="?", type=Path, default=DEFAULT_STATE_DIR,
        help="the state folder (PARKCRAWL_STATE_DIR; default output/state)",
    )
    args = parser.parse_args(argv)
    store = ArticleStateStore(args.directory)
    if not store.path.exists():
        print(f"parkcrawl state: no state at {store.path} (the next crawl starts one)")
        return 0
    try:
        with store:
            walk = "yes" if store.get_meta(WALK_COMPLETE) == "1" else "no"
            print(
                f"state OK: {store.path}: {len(store)} articles, schema {store.schema_version()}, "
                f"last walk complete: {walk}"
            )
    except StateError as exc:
        print(f"parkcrawl state: {exc}", file=sys.stderr)
        return 1
    return 0
