"""trafilatura over the article pages of WARC files, as `parkcrawl reextract` reads them.

Runs in the peer venv (.venv-bench: trafilatura and warcio, no parkcrawl), so it cannot import
parkcrawl: the record filter is written again here — response records whose
``Parkcrawl-Page-Kind`` header is ``article``, HTTP status 2xx, in file-name order — and warcio's
``content_stream()`` undoes chunking and Content-Encoding, as parkcrawl's reader does. The raw
payload goes to trafilatura undecoded (it detects the encoding itself, as parkcrawl does).

    .venv-bench/bin/python bench/reextract_peer.py OUT.jsonl WARC_OR_FOLDER…

Prints one JSON line: pages, written, seconds (the loop alone), import_s.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

began = time.perf_counter()
import trafilatura  # noqa: E402 - timed: the import is part of the peer's start-up
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

imported = time.perf_counter()
KIND_FIELD = "Parkcrawl-Page-Kind"  # parkcrawl.archive.warc.KIND_FIELD
ARTICLE_KIND = "article"  # parkcrawl.archive.reextract.ARTICLE_KIND


def warc_files(args: list[str]) -> list[Path]:
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        found.extend(sorted(path.glob("*.warc.gz")) if path.is_dir() else [path])
    return sorted(dict.fromkeys(found), key=lambda p: p.name)


def main(argv: list[str]) -> int:
    out_path, inputs = Path(argv[0]), argv[1:]
    pages = written = 0
    loop_began = time.perf_counter()
    with out_path.open("w", encoding="utf-8") as out:
        for path in warc_files(inputs):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type != "response":
                        continue
                    if record.rec_headers.get_header(KIND_FIELD) != ARTICLE_KIND:
                        continue
                    status = int(record.http_headers.get_statuscode() or 0)
                    if not 200 <= status < 300:
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    body = record.content_stream().read()
                    pages += 1
                    result = trafilatura.extract(
                        body, url=url, output_format="json", with_metadata=True
                    )
                    if result:
                        out.write(result.replace("\n", " ") + "\n")
                        written += 1
    seconds = time.perf_counter() - loop_began
    report = {
        "pages": pages,
        "written": written,
        "seconds": round(seconds, 3),
        "import_s": round(imported - began, 3),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
