"""`parkcrawl stats FILE…`: what a crawl's JSONL holds — articles per month, top participants,
pages with no date.

An incremental feed holds one line per emitted revision; the stats count each article (URL) once,
at its newest revision. Exit status: 0; 2 when a file cannot be read or a line is not a JSON
object with a ``url`` (one line on stderr naming the file and line).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

NO_DATE = "no date"

# Characters of the busiest month's bar in the terminal summary.
BAR_WIDTH = 30


class InputError(ValueError):
    """A file or line that is not a parkcrawl output line; the message is one line."""


@dataclass
class FeedStats:
    """Counts over the newest revision of every article in the given feeds."""

    lines: int = 0
    articles: int = 0
    per_month: dict[str, int] = field(default_factory=dict)
    participants: list[dict[str, Any]] = field(default_factory=list)
    undated: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "articles": self.articles,
            "per_month": self.per_month,
            "top_participants": self.participants,
            "undated": self.undated,
        }


def read_lines(path: str) -> list[dict[str, Any]]:
    """The JSON objects of one JSONL file (blank lines skipped)."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    records = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("url"), str):
            raise InputError(f"{path}:{number}: not an article line (no url)")
        records.append(record)
    return records


def newest_revisions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per URL: the highest revision, the later line on a tie; first-seen order."""
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        known = newest.get(record["url"])
        if known is None or (record.get("revision") or 1) >= (known.get("revision") or 1):
            newest[record["url"]] = record
    return list(newest.values())


def feed_stats(records: list[dict[str, Any]], top: int = 10) -> FeedStats:
    """Articles per month (by published_at), the most named people, and the undated pages."""
    articles = newest_revisions(records)
    months: Counter[str] = Counter()
    undated = []
    named: Counter[str] = Counter()
    roles: dict[str, Counter[str]] = {}
    for article in articles:
        published = article.get("published_at")
        if published:
            months[published[:7]] += 1
        else:
            undated.append({"url": article["url"], "title": article.get("title") or ""})
        seen_here = set()
        for person in article.get("participants") or []:
            name = person.get("name")
            if not name:
                continue
            role = person.get("role")
            if role:
                roles.setdefault(name, Counter())[role] += 1
            if name not in seen_here:  # an article counts once per person
                seen_here.add(name)
                named[name] += 1
    ranked = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    participants = [
        {
            "name": name,
            "articles": count,
            # the role most often given, the first given on a tie
            "role": roles[name].most_common(1)[0][0] if name in roles else None,
        }
        for name, count in ranked
    ]
    return FeedStats(
        lines=len(records),
        articles=len(articles),
        per_month=dict(sorted(months.items())),
        participants=participants,
        undated=undated,
    )


def render(stats: FeedStats, files: list[str]) -> list[str]:
    """The human-readable report."""
    earlier = stats.lines - stats.articles
    lines = [
        f"articles: {stats.articles} in {', '.join(files)}"
        + (f" ({stats.lines} lines, {earlier} earlier revisions)" if earlier else "")
    ]
    lines.append("articles per month:")
    if not stats.per_month:
        lines.append("  (none dated)")
    top = max(stats.per_month.values(), default=1)
    width = max((len(str(count)) for count in stats.per_month.values()), default=1)
    for month, count in stats.per_month.items():
        # A text bar per month, BAR_WIDTH characters for the busiest (at least one for any).
        bar = "█" * max(1, round(BAR_WIDTH * count / top))
        lines.append(f"  {month}  {count:<{width}}  {bar}")
    lines.append("top participants:")
    if not stats.participants:
        lines.append("  (none)")
    for person in stats.participants:
        role = f" ({person['role']})" if person["role"] else ""
        lines.append(f"  {person['articles']:>3}  {person['name']}{role}")
    lines.append(f"pages with no date: {len(stats.undated)}")
    for page in stats.undated:
        lines.append(f"  {page['url']}  {page['title']}")
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parkcrawl stats",
        description="Summarise parknews JSONL: articles per month, top participants, pages with "
        "no date. Each article counts once, at its newest revision.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSONL written by the crawl")
    parser.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="how many participants to list (default 10)",
    )
    parser.add_argument("--json", action="store_true", help="print the stats as one JSON object")
    return parser


def main_stats(argv: list[str]) -> int:
    """Entry point for `parkcrawl stats`; ``argv`` excludes the subcommand name."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage error
        return int(exc.code or 0)
    try:
        records = [record for path in args.files for record in read_lines(path)]
    except InputError as exc:
        print(f"parkcrawl stats: error: {exc}", file=sys.stderr)
        return 2
    stats = feed_stats(records, top=max(args.top, 0))
    if args.json:
        print(json.dumps(stats.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(render(stats, args.files)))
    return 0
