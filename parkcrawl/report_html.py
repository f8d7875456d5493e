"""The run report as one self-contained HTML page: no script, no CDN, the chart in inline SVG.

:func:`render_report` is pure (a run report dict in, HTML text out). The run report extension
writes it beside the JSON report at the end of every crawl (PARKCRAWL_HTML_REPORT_ENABLED, on by
default); ``parkcrawl report [RUN.json | RUNS_DIR]`` renders one afterwards.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from typing import Any

# The chart: one bar per month, scaled to the busiest month.
CHART_HEIGHT = 160
BAR_WIDTH = 48
BAR_GAP = 20
EXAMPLES_PER_REASON = 3

STYLE = """
body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem auto;
       max-width: 60rem; color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.status { display: inline-block; padding: .1rem .6rem; border-radius: .3rem; color: #fff; }
.ok { background: #2e7d32; } .failed { background: #c62828; } .interrupted { background: #ef6c00; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25rem .5rem;
        border-bottom: 1px solid #e0e0e0; vertical-align: top; } td.n { text-align: right; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; }
.card { border: 1px solid #e0e0e0; border-radius: .4rem; padding: .5rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; } code { font-size: .85em; word-break: break-all; }
svg text { font-size: 12px; fill: #444; } rect.bar { fill: #1565c0; }
"""


def status_label(report: dict[str, Any]) -> tuple[str, str]:
    """("ok" | "failed" | "interrupted", the words shown)."""
    status = report.get("exit_status", 1 if report.get("failure") else 0)
    if report.get("interrupted"):
        return "interrupted", f"interrupted by {report['interrupted']} (exit {status})"
    if report.get("failure"):
        return "failed", f"failed (exit {status})"
    return "ok", f"finished (exit {status})"


def month_chart(per_month: dict[str, int]) -> str:
    """An inline SVG bar chart, one ``rect.bar`` per month with data-month and data-count."""
    if not per_month:
        return "<p>No article was written.</p>"
    top = max(per_month.values()) or 1
    width = len(per_month) * (BAR_WIDTH + BAR_GAP) + BAR_GAP
    parts = [
        f'<svg class="chart" role="img" aria-label="articles per month" width="{width}" '
        f'height="{CHART_HEIGHT + 40}" viewBox="0 0 {width} {CHART_HEIGHT + 40}">'
    ]
    for i, (month, count) in enumerate(per_month.items()):
        height = round(CHART_HEIGHT * count / top, 1)
        x = BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        y = CHART_HEIGHT - height + 16
        parts.append(
            f'<rect class="bar" data-month="{escape(month)}" data-count="{count}" x="{x}" '
            f'y="{y}" width="{BAR_WIDTH}" height="{height}"><title>{escape(month)}: {count}'
            "</title></rect>"
            f'<text x="{x + BAR_WIDTH / 2}" y="{y - 4}" text-anchor="middle">{count}</text>'
            f'<text x="{x + BAR_WIDTH / 2}" y="{CHART_HEIGHT + 32}" text-anchor="middle">'
            f"{escape(month)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _rows(rows: list[list[str]], header: list[str]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(rows_cell) + "</tr>" for rows_cell in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value: Any, numeric: bool = False) -> str:
    return f'<td class="n">{escape(str(value))}</td>' if numeric else f"<td>{escape(str(value))}</td>"


def render_report(report: dict[str, Any]) -> str:
    """One self-contained HTML page for a run report (see RunReport.report)."""
    kind, words = status_label(report)
    articles = report.get("articles", {})
    cards = [
        ("written", report.get("articles_written", 0)),
        ("new", articles.get("new", 0)),
        ("changed", articles.get("changed", 0)),
        ("unchanged", articles.get("unchanged", 0)),
        ("duplicates", articles.get("duplicates", 0)),
        ("dropped", len(report.get("dropped", []))),
        ("pages fetched", report.get("pages_fetched", 0)),
    ]
    reasons: dict[str, list[str]] = {}
    for dropped in report.get("dropped", []):
        reasons.setdefault(dropped["reason"], []).append(dropped["url"])
    reason_rows = [
        [_td(reason), _td(len(urls), True),
         "<td>" + "<br>".join(f"<code>{escape(u)}</code>" for u in urls[:EXAMPLES_PER_REASON])
         + "</td>"]
        for reason, urls in sorted(reasons.items(), key=lambda kv: -len(kv[1]))
    ]
    stops = [*report.get("walk_cut", []),
             *(f"list page lost: {lost['reason']}: {lost['url']}"
               for lost in report.get("lost_list_pages", []))]
    versions = report.get("versions", {})
    arguments = report.get("spider_arguments", {})
    sections = [
        f"<h1>{escape(report.get('spider', 'parknews'))} run report</h1>",
        f'<p><span class="status {kind}">{escape(words)}</span> '
        f"started {escape(report.get('started_at', '?'))}, finished "
        f"{escape(report.get('finished_at', '?'))}, {report.get('duration_s', 0):.1f} s</p>",
        f"<p><b>Failure:</b> {escape(report['failure'])}</p>" if report.get("failure") else "",
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{n}</b>{escape(label)}</div>' for label, n in cards)
        + "</div>",
        "<h2>Articles per month</h2>",
        month_chart(report.get("articles_per_month", {})),
        "<h2>Dropped articles and why</h2>",
        _rows(reason_rows, ["reason", "articles", "examples"]),
        "<h2>Walk</h2>",
        f"<p>walk complete: {'yes' if report.get('walk_complete') else 'no'}; "
        f"{report.get('list_pages', 0)} list pages</p>",
        _rows([[_td(stop)] for stop in stops], ["stopped or cut"]) if stops else "",
        # A page worker that died (the OOM killer, a crash in a C library) lost nothing, but an
        # operator should see that it happened (PARKCRAWL_PAGE_PROCESSES, parkcrawl/workers.py).
        f"<p>page workers restarted {report['page_worker_restarts']} time(s); the pages in hand "
        "were read in the crawl's process</p>" if report.get("page_worker_restarts") else "",
        "<h2>Sites</h2>",
        _rows([[_td(site), _td(n, True)] for site, n in report.get("articles_per_site", {}).items()],
              ["site", "articles written"]),
        "<h2>Most named participants</h2>",
        _rows([[_td(p["name"]), _td(p.get("role") or "—"), _td(p["articles"], True)]
               for p in report.get("top_participants", [])], ["name", "role", "mentions"]),
        "<h2>Slowest pages</h2>",
        _rows([[f"<td><code>{escape(p['url'])}</code></td>", _td(f"{p['seconds']:.2f} s", True)]
               for p in report.get("slowest_pages", [])], ["page", "download"]),
        "<h2>Run</h2>",
        _rows([[_td(k), f"<td><code>{escape(json.dumps(v, ensure_ascii=False))}</code></td>"]
               for k, v in arguments.items()], ["spider argument", "value"]),
        f"<p>parkcrawl {escape(str(versions.get('parkcrawl', '?')))}, "
        f"Scrapy {escape(str(versions.get('scrapy', '?')))}</p>",
        "<p>Output files: "
        + ", ".join(f"<code>{escape(f)}</code>"
                    for group in report.get("output_files", {}).values() for f in group)
        + "</p>",
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(report.get('spider', 'parknews'))} run {escape(report.get('started_at', ''))}"
        f"</title><style>{STYLE}</style></head><body>\n" + "\n".join(s for s in sections if s)
        + "\n</body></html>\n"
    )


def main_report(argv: list[str]) -> int:
    """``parkcrawl report [RUN.json | RUNS_DIR]``: write RUN.html beside the JSON report."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="parkcrawl report", description="Render a run report as a self-contained HTML page."
    )
    parser.add_argument("source", nargs="?", type=Path, default=Path("output/runs"),
                        help="a run report (.json) or a folder of them (the newest is taken)")
    parser.add_argument("--out", type=Path, help="where to write (default: beside the JSON)")
    args = parser.parse_args(argv)
    source: Path = args.source
    if source.is_dir():
        reports = sorted(source.glob("*.json"))
        if not reports:
            print(f"parkcrawl report: error: no run report (*.json) in {source}", file=sys.stderr)
            return 2
        source = reports[-1]
    try:
        report = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"parkcrawl report: error: cannot read {source}: {exc}", file=sys.stderr)
        return 2
    out = args.out or source.with_suffix(".html")
    out.write_text(render_report(report), encoding="utf-8")
    print(out)
    return 0
