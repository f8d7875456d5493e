"""CPU per article: the participants stage against cleaning + extraction, on the demo site.

Usage: python eval/people/cost.py [--rounds 5]
Times ``clean_html`` + ``extract_article`` on every article page of fixtures/site, then
``extract_participants`` on the extracted bodies (title + body, as the pipeline passes them);
prints the median ms per article of each over the rounds: wall time, and the process's CPU time
(what the issue's budget is about; on a shared, loaded machine wall time also counts the time
the process waited for a core).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from parkcrawl.extract.article import extract_article
from parkcrawl.extract.participants import extract_participants
from parkcrawl.text import clean_html
from parkcrawl.text.decoding import decode_html

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    pages = []
    for path in sorted(SITE.rglob("*.htm*")):
        if path.name.startswith("index"):
            continue  # sections and listings, not articles
        pages.append((decode_html(path.read_bytes()).text, path.as_uri()))
    extract_ms, people_ms, extract_cpu, people_cpu = [], [], [], []
    texts: list[str] = []
    for _ in range(args.rounds):
        begin, cpu = time.perf_counter(), time.process_time()
        texts = []
        for html, url in pages:
            fields = extract_article(clean_html(html).html, url)
            texts.append(f"{fields.title or ''}\n{fields.body or ''}")
        extract_ms.append(1000 * (time.perf_counter() - begin) / len(pages))
        extract_cpu.append(1000 * (time.process_time() - cpu) / len(pages))
        begin, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            extract_participants(text)
        people_ms.append(1000 * (time.perf_counter() - begin) / len(pages))
        people_cpu.append(1000 * (time.process_time() - cpu) / len(pages))
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"{len(pages)} article pages, {chars:.0f} characters of text each on average")
    print(f"clean_html + extract_article: {statistics.median(extract_ms):.2f} ms per article "
          f"(CPU {statistics.median(extract_cpu):.2f} ms)")
    print(f"extract_participants:         {statistics.median(people_ms):.2f} ms per article "
          f"(CPU {statistics.median(people_cpu):.2f} ms)")


if __name__ == "__main__":
    main()
