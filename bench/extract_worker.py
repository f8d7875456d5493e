"""One extractor in a process of its own, timed on command (for ``bench/run.py``).

    python bench/extract_worker.py EXTRACTOR PAGES.json

EXTRACTOR is ``parkcrawl`` (clean_html + extract_article, as the crawl's pipelines run them on
a decoded page), ``parkcrawl-extract`` (extract_article alone, on the same decoded page, no
cleaning) or a peer of :data:`tools.evalscore.EXTRACTORS` (``trafilatura``,
``gne``); the peers run in ``.venv-bench``, so this file imports nothing from the project at
module level. PAGES.json maps a set name to a list of ``{"name", "url", "html"}``. Commands,
one per line on stdin, each answered by one JSON line on stdout:

* ``time SET`` — run the extractor over every page of SET once; ``{"seconds": …, "pages": …}``;
* ``predict SET`` — ``{"NAME": {"title", "body", "published_at"}, …}`` (a crash: all None);
* ``quit``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any


def load_extractor(name: str) -> Callable[[str, str], Any]:
    """A function (html, url) -> object with title, body and published_at."""
    if name == "parkcrawl":
        from parkcrawl.extract.article import extract_article
        from parkcrawl.text import clean_html

        return lambda html, url: extract_article(clean_html(html).html, url)
    if name == "parkcrawl-extract":
        from parkcrawl.extract.article import extract_article

        return extract_article
    from tools.evalscore import EXTRACTORS

    return EXTRACTORS[name]


def main(argv: list[str]) -> int:
    name, pages_path = argv[1], argv[2]
    with open(pages_path, encoding="utf-8") as fh:
        sets: dict[str, list[dict[str, str]]] = json.load(fh)
    extract = load_extractor(name)
    # Warm-up: imports, lexicons, caches are a one-off cost, not a per-page one.
    for page in [p for pages in sets.values() for p in pages[:3]]:
        try:
            extract(page["html"], page["url"])
        except Exception:  # noqa: BLE001, S110 - timing only; predict reports failures
            pass
    print(json.dumps({"ready": name}), flush=True)
    for line in sys.stdin:
        command, _, set_name = line.strip().partition(" ")
        pages = sets.get(set_name, [])
        if command == "quit":
            break
        if command == "time":
            failures = 0
            begin = time.perf_counter()
            for page in pages:
                try:
                    extract(page["html"], page["url"])
                except Exception:  # noqa: BLE001 - a crash is counted, the clock runs on
                    failures += 1
            seconds = time.perf_counter() - begin
            print(
                json.dumps({"seconds": seconds, "pages": len(pages), "failures": failures}),
                flush=True,
            )
        elif command == "predict":
            out: dict[str, dict[str, str | None]] = {}
            for page in pages:
                try:
                    pred = extract(page["html"], page["url"])
                    out[page["name"]] = {
                        "title": getattr(pred, "title", None),
                        "body": getattr(pred, "body", None),
                        "published_at": getattr(pred, "published_at", None),
                    }
                except Exception as exc:  # noqa: BLE001 - one failing page must not stop the run
                    print(f"{name}: {page['name']}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    out[page["name"]] = {"title": None, "body": None, "published_at": None}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
