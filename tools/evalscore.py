"""Score extracted article fields against the real-page evaluation set (see its README.md).

Pure scoring functions (``body_f1``, ``title_exact``, ``date_exact``, ``snippet_scores``) plus a
small runner: ``python -m tools.evalscore [--eval-dir DIR] [--extractor NAME]``.
The runner needs only the standard library and OpenCC for the scoring itself; ``trafilatura``
and ``gne`` are imported only when asked for (they live in a separate venv, never in ours).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# Default location of the evaluation set, relative to the repository root (a sibling checkout).
DEFAULT_EVAL_DIR = Path("..") / "shared" / "eval" / "real"

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    try:
        import opencc
    except ImportError:  # scoring still works, only traditional characters would not match
        return lambda text: text
    return opencc.OpenCC("t2s").convert


def _is_ignored(ch: str) -> bool:
    """Whitespace, punctuation, symbols and control characters do not count in bigrams."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in ("P", "Z", "C") or cat in ("Sm", "Sc", "Sk", "So")


def normalize_for_score(text: str) -> str:
    """NFKC, Simplified, with whitespace, punctuation and control characters removed."""
    text = _t2s()(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if not _is_ignored(ch))


def bigrams(text: str) -> Counter[str]:
    """Multiset of character bigrams of the normalised text."""
    norm = normalize_for_score(text)
    if len(norm) == 1:
        return Counter([norm])
    return Counter(norm[i : i + 2] for i in range(len(norm) - 1))


def body_prf(pred: str | None, truth: str) -> tuple[float, float, float]:
    """Precision, recall and F1 over character bigrams (multisets)."""
    if not pred:
        return 0.0, 0.0, 0.0
    p, t = bigrams(pred), bigrams(truth)
    overlap = sum((p & t).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision = overlap / sum(p.values())
    recall = overlap / sum(t.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def body_f1(pred: str | None, truth: str) -> float:
    """F1 over character bigrams; an empty or missing prediction scores 0."""
    return body_prf(pred, truth)[2]


def _title_key(text: str) -> str:
    # Simplified on both sides, as for bodies: a crawler that converts to Simplified
    # (PARKCRAWL t2s) must not lose a Traditional page's title for it.
    return _t2s()(_WS.sub("", text))


def title_exact(pred: str | None, truth: str) -> bool:
    """Exact match once all whitespace is removed (both sides converted with OpenCC t2s)."""
    return pred is not None and _title_key(pred) == _title_key(truth)


def title_contains(pred: str | None, truth: str) -> bool:
    """The extracted title contains the truth (whitespace removed, both sides t2s)."""
    return pred is not None and _title_key(truth) in _title_key(pred)


def date_exact(pred: str | None, truth: str) -> bool:
    """The YYYY-MM-DD part of the extracted date equals the truth."""
    return pred is not None and pred[:10] == truth[:10]


def snippet_scores(
    body: str | None, with_: Iterable[str], without: Iterable[str]
) -> tuple[float | None, float | None]:
    """Share of ``with`` snippets found and of ``without`` snippets absent (whitespace ignored)."""
    flat = _WS.sub("", body or "")
    with_list, without_list = list(with_), list(without)
    found = sum(_WS.sub("", s) in flat for s in with_list) / len(with_list) if with_list else None
    absent = (
        sum(_WS.sub("", s) not in flat for s in without_list) / len(without_list)
        if without_list
        else None
    )
    return found, absent


def decode_page(raw: bytes) -> str:
    """Decode saved page bytes: the project's decoder when present, else UTF-8 then GB18030."""
    try:
        from parkcrawl.text import decode_html
    except ImportError:  # the project's decoder is not there yet
        decode_html = None
    if decode_html is not None:
        return decode_html(raw).text
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


@dataclass
class Prediction:
    """What an extractor returned for one page (None: no value)."""

    title: str | None = None
    body: str | None = None
    published_at: str | None = None


@dataclass
class PageScore:
    """Per-page scores; None where the truth has no value for the field."""

    name: str
    body_f1: float | None = None
    body_precision: float | None = None
    body_recall: float | None = None
    title_exact: bool | None = None
    title_contains: bool | None = None
    date_exact: bool | None = None
    with_found: float | None = None
    without_absent: float | None = None
    pred: Prediction = field(default_factory=Prediction)


def score_page(name: str, pred: Prediction, truth: dict) -> PageScore:
    """Score one page's prediction against its truth record."""
    score = PageScore(name=name, pred=pred)
    if truth.get("body"):
        score.body_precision, score.body_recall, score.body_f1 = body_prf(pred.body, truth["body"])
    if truth.get("title") is not None:
        score.title_exact = title_exact(pred.title, truth["title"])
        score.title_contains = title_contains(pred.title, truth["title"])
    if truth.get("published_at"):
        score.date_exact = date_exact(pred.published_at, truth["published_at"])
    if truth.get("with") or truth.get("without"):
        score.with_found, score.without_absent = snippet_scores(
            pred.body, truth.get("with", []), truth.get("without", [])
        )
    return score


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(scores: list[PageScore]) -> dict[str, float | int | None]:
    """Overall figures: mean body F1, title/date accuracy, snippet shares, and page counts."""
    bodies = [s.body_f1 for s in scores if s.body_f1 is not None]
    titles = [s.title_exact for s in scores if s.title_exact is not None]
    dates = [s.date_exact for s in scores if s.date_exact is not None]
    withs = [s.with_found for s in scores if s.with_found is not None]
    withouts = [s.without_absent for s in scores if s.without_absent is not None]
    return {
        "body_f1": _mean(bodies),
        "body_pages": len(bodies),
        "title_exact": _mean([float(t) for t in titles]),
        "title_pages": len(titles),
        "date_exact": _mean([float(d) for d in dates]),
        "date_pages": len(dates),
        "with_found": _mean(withs),
        "without_absent": _mean(withouts),
    }


def load_splits(eval_dir: Path) -> dict[str, str]:
    """Page name -> its truth's ``split`` ("tune", "heldout"); pages without one are left out."""
    out = {}
    for truth_path in sorted((eval_dir / "truth").glob("*.json")):
        split = json.loads(truth_path.read_text(encoding="utf-8")).get("split")
        if split:
            out[truth_path.stem] = split
    return out


def load_parts(eval_dir: Path) -> dict[str, str]:
    """Page name -> its truth's ``part`` (e.g. "gov" for eval/real2's government pages)."""
    out = {}
    for truth_path in sorted((eval_dir / "truth").glob("*.json")):
        part = json.loads(truth_path.read_text(encoding="utf-8")).get("part")
        if part:
            out[truth_path.stem] = part
    return out


def load_cases(eval_dir: Path) -> list[tuple[str, bytes, dict]]:
    """(name, raw bytes, truth) for every page of the set, sorted by name."""
    cases = []
    for truth_path in sorted((eval_dir / "truth").glob("*.json")):
        name = truth_path.stem
        raw = (eval_dir / "pages" / f"{name}.html").read_bytes()
        cases.append((name, raw, json.loads(truth_path.read_text(encoding="utf-8"))))
    return cases


# -- extractors the runner can call ------------------------------------------------------------


def _ours(html: str, url: str) -> Prediction:
    from parkcrawl.extract.article import extract_article

    fields = extract_article(_t2s()(html), url)
    return Prediction(fields.title, fields.body, fields.published_at)


def _ours_cleaned(html: str, url: str) -> Prediction:
    """Ours behind the project's own cleaner, as the crawler runs it."""
    from parkcrawl.extract.article import extract_article
    from parkcrawl.text import clean_html

    fields = extract_article(clean_html(html).html, url)
    return Prediction(fields.title, fields.body, fields.published_at)


def _trafilatura(html: str, url: str) -> Prediction:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return Prediction()
    get = doc.get if isinstance(doc, dict) else lambda key: getattr(doc, key, None)
    return Prediction(get("title"), get("text"), get("date"))


def _gne(html: str, url: str) -> Prediction:
    from gne import GeneralNewsExtractor

    result = GeneralNewsExtractor().extract(html)
    date = result.get("publish_time") or None
    if date:
        match = re.search(r"(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})", date)
        date = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None
    return Prediction(result.get("title"), result.get("content"), date)


EXTRACTORS: dict[str, Callable[[str, str], Prediction]] = {
    "ours": _ours,
    "ours-cleaned": _ours_cleaned,
    "trafilatura": _trafilatura,
    "gne": _gne,
}


def run(eval_dir: Path, extractor: str) -> list[PageScore]:
    """Run one extractor over the set and score every page (a crash counts as no output)."""
    extract = EXTRACTORS[extractor]
    scores = []
    for name, raw, truth in load_cases(eval_dir):
        url = f"http://127.0.0.1/dtyw/yqxx/{name}.html"
        try:
            pred = extract(decode_page(raw), url)
        except Exception as exc:  # noqa: BLE001 - a failing page must not stop the run
            print(f"{extractor}: {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            pred = Prediction()
        scores.append(score_page(name, pred, truth))
    return scores


def _fmt(value: float | bool | None) -> str:
    if value is None:
        return "    -"
    if isinstance(value, bool):
        return "   ok" if value else "  BAD"
    return f"{value:5.3f}"


def format_table(scores: list[PageScore]) -> str:
    """A plain-text per-page table plus the overall line."""
    lines = [
        f"{'page':34} {'F1':>5} {'P':>5} {'R':>5} {'title':>5} {'date':>5} {'with':>5} {'w/o':>5}"
    ]
    for s in scores:
        lines.append(
            f"{s.name:34} {_fmt(s.body_f1)} {_fmt(s.body_precision)} {_fmt(s.body_recall)} "
            f"{_fmt(s.title_exact)} {_fmt(s.date_exact)} {_fmt(s.with_found)} "
            f"{_fmt(s.without_absent)}"
        )
    lines.append(json.dumps(summarize(scores), ensure_ascii=False))
    return "\n".join(lines)


def _cell(value: float | bool | None, width: int) -> str:
    if value is None:
        return "-".rjust(width)
    if isinstance(value, bool):
        return ("ok" if value else "BAD").rjust(width)
    return f"{value:.3f}".rjust(width) if width >= 5 else f"{value:.2f}".rjust(width)


def _count(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)}" if values else "-"


# Per extractor: body F1, title exact, date exact, share of `with` found, of `without` absent.
_COLUMNS = (("F1", 5), ("title", 5), ("date", 5), ("with", 4), ("w/o", 4))


def format_comparison(columns: dict[str, list[PageScore]]) -> str:
    """One table, extractors side by side: per page, then the overall line (mean F1, k/n right)."""
    names = [s.name for s in next(iter(columns.values()))]
    name_width = max([len("page"), len("overall"), *map(len, names)])
    group_width = sum(w for _, w in _COLUMNS) + len(_COLUMNS) - 1
    head1 = " " * name_width + "".join(
        f" | {label[:group_width]:^{group_width}}" for label in columns
    )
    head2 = "page".ljust(name_width) + (
        " | " + " ".join(h.rjust(w) for h, w in _COLUMNS)
    ) * len(columns)
    rule = "-" * len(head2)
    lines = [head1, head2, rule]
    by_name = [{s.name: s for s in scores} for scores in columns.values()]
    for name in names:
        row = name.ljust(name_width)
        for scores in by_name:
            s = scores[name]
            values = (s.body_f1, s.title_exact, s.date_exact, s.with_found, s.without_absent)
            row += " | " + " ".join(_cell(v, w) for v, (_, w) in zip(values, _COLUMNS))
        lines.append(row)
    lines.append(rule)
    row = "overall".ljust(name_width)
    for scores in columns.values():
        summary = summarize(scores)
        cells = (
            _cell(summary["body_f1"], 5),
            _count([s.title_exact for s in scores if s.title_exact is not None]).rjust(5),
            _count([s.date_exact for s in scores if s.date_exact is not None]).rjust(5),
            _cell(summary["with_found"], 4),
            _cell(summary["without_absent"], 4),
        )
        row += " | " + " ".join(cells)
    lines.append(row)
    first = next(iter(columns.values()))
    lines.append(
        f"(body F1: mean over {summarize(first)['body_pages']} pages with body truth; "
        "title/date: exact, pages with truth; with/w/o: share of snippets found/absent)"
    )
    return "\n".join(lines)


# -- the beautifulsoup4 question (issue 19) -----------------------------------------------------

# Parsers measured by --parsers: how much of the truth's text each one's tree still holds.
PARSERS = ("lxml", "bs4 (soupparser)", "html5lib")


def _tree_text(html: str, parser: str) -> str:
    """The visible text of the whole page as one parser's lxml tree holds it."""
    from lxml import etree
    from lxml import html as lxml_html

    if parser == "lxml":
        root = lxml_html.document_fromstring(html)
    elif parser == "bs4 (soupparser)":
        from lxml.html import soupparser  # needs beautifulsoup4

        root = soupparser.fromstring(html)
    else:
        from lxml.html import html5parser  # needs html5lib

        root = html5parser.document_fromstring(html)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("script", "style"):
            el.text = None
    return " ".join(root.itertext())


def parser_recovery(eval_dir: Path) -> list[dict]:
    """Per page with body truth: the share of the truth's bigrams each parser's tree holds
    (whole-page text, so 1.0 = nothing lost), and its parse time in ms."""
    import time

    rows = []
    for name, raw, truth in load_cases(eval_dir):
        if not truth.get("body"):
            continue
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_page(raw).lstrip("\ufeff"), count=1)
        row: dict = {"page": name}
        for parser in PARSERS:
            started = time.perf_counter()
            try:
                text = _tree_text(html, parser)
            except Exception:  # noqa: BLE001 - a parser that fails on a page recovers nothing
                text = ""
            row[f"{parser} ms"] = 1000 * (time.perf_counter() - started)
            row[parser] = body_prf(text, truth["body"])[1]
        rows.append(row)
    return rows


def format_parser_recovery(rows: list[dict]) -> str:
    """Mean recall and ms per parser, and the pages where lxml holds less than another."""
    lines = []
    for parser in PARSERS:
        recall = _mean([r[parser] for r in rows]) or 0.0
        ms = _mean([r[f"{parser} ms"] for r in rows]) or 0.0
        lines.append(f"{parser:18} truth text held {recall:.4f}  parse {ms:6.1f} ms/page")
    for r in rows:
        best = max(r[p] for p in PARSERS[1:])
        if best - r["lxml"] > 0.005:
            lines.append(
                f"  lxml loses text on {r['page']}: "
                + ", ".join(f"{p} {r[p]:.3f}" for p in PARSERS)
            )
    lines.append(f"({len(rows)} pages with body truth)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS), default="ours")
    parser.add_argument("--json", action="store_true", help="print per-page scores as JSON")
    parser.add_argument("--show", metavar="PAGE", help="print one page's prediction")
    parser.add_argument(
        "--parsers", action="store_true",
        help="compare the text lxml, bs4 and html5lib trees keep (needs bs4 and html5lib)",
    )
    args = parser.parse_args(argv)
    if not (args.eval_dir / "truth").is_dir():
        print(f"no evaluation set at {args.eval_dir}", file=sys.stderr)
        return 2
    if args.parsers:
        print(format_parser_recovery(parser_recovery(args.eval_dir)))
        return 0
    scores = run(args.eval_dir, args.extractor)
    if args.show:
        for s in scores:
            if s.name == args.show:
                print(json.dumps(s.pred.__dict__, ensure_ascii=False, indent=1))
        return 0
    if args.json:
        print(json.dumps([s.__dict__ | {"pred": None} for s in scores], ensure_ascii=False))
    else:
        print(format_table(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
