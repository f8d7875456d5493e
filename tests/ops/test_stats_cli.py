"""`parkcrawl stats`: counting rules on literal lines, its report on the demo crawl, its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parkcrawl.stats_cli import feed_stats, main_stats, newest_revisions
from tests.ops.conftest import DemoOutput
from tests.support import ROOT


def line(
    url: str,
    published_at: str | None = "2024-10-16",
    revision: int = 1,
    participants: tuple[tuple[str, str | None], ...] = (),
    title: str = "标题",
) -> dict:
    return {
        "url": url,
        "title": title,
        "published_at": published_at,
        "revision": revision,
        "participants": [{"name": n, "role": r} for n, r in participants],
    }


@pytest.mark.parametrize(
    ("records", "urls_and_revisions"),
    [
        # a later revision replaces the earlier one, wherever it stands in the feed
        ([line("a", revision=1), line("b"), line("a", revision=2)], [("a", 2), ("b", 1)]),
        # an earlier revision appended after a later one (two feeds read in the wrong order)
        ([line("a", revision=3), line("a", revision=2)], [("a", 3)]),
        # lines without a revision (older feeds) count as revision 1, the later line wins
        ([{"url": "a", "title": "x"}, {"url": "a", "title": "y"}], [("a", None)]),
    ],
)
def test_newest_revision_per_url(records: list[dict], urls_and_revisions: list) -> None:
    newest = newest_revisions(records)
    assert [(r["url"], r.get("revision")) for r in newest] == urls_and_revisions
    if records[0].get("revision") is None:
        assert newest[0]["title"] == "y"


def test_months_undated_and_revisions() -> None:
    records = [
        line("a", "2024-10-16T09:15+08:00"),
        line("b", "2024-10-01"),
        line("c", "2024-11-20"),
        line("d", None, title="无日期"),
        line("c", "2024-12-02", revision=2),  # the newest revision's date counts
    ]
    stats = feed_stats(records)
    assert stats.lines == 5
    assert stats.articles == 4
    assert stats.per_month == {"2024-10": 2, "2024-12": 1}
    assert stats.undated == [{"url": "d", "title": "无日期"}]


def test_participants_ranked_by_articles_then_name() -> None:
    records = [
        line("a", participants=(("周文博", "园区党工委书记"), ("许静", None))),
        line(
            "b", participants=(("许静", "管委会副主任"), ("许静", "管委会副主任"))
        ),  # once per article
        line("c", participants=(("周文博", "党工委书记"), ("李喆", "管委会副主任"))),
        line("d", participants=(("周文博", "园区党工委书记"),)),
    ]
    stats = feed_stats(records, top=2)
    assert stats.participants == [
        # the role given most often; a tie goes to the role given first
        {"name": "周文博", "articles": 3, "role": "园区党工委书记"},
        {"name": "许静", "articles": 2, "role": "管委会副主任"},
    ]


def test_on_the_demo_crawl(demo_output: DemoOutput, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_output.feed
    assert main_stats([str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:8] == [
        f"articles: 29 in {path}",
        "articles per month:",
        # a text bar per month, 30 characters for the busiest: 7/13 and 9/13 of it, rounded
        "  2024-10  7   " + "█" * 16,
        "  2024-11  13  " + "█" * 30,
        "  2024-12  9   " + "█" * 21,
        "top participants:",
        "    7  周文博 (园区党工委书记)",
        "    5  陈立群 (党工委副书记、管委会主任)",
    ]
    assert lines[-1] == "pages with no date: 0"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ('{"url": "a"}\n{"url": \n', ":2: not JSON"),
        ("[1, 2]\n", ":1: not an article line (no url)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "feed.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main_stats([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(
        f"parkcrawl stats: error: {path}" if content else "parkcrawl stats: error: "
    )
    assert message in err


def test_exit_status_through_the_console_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parkcrawl.cli", "stats", str(tmp_path / "missing.jsonl")],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert (
        proc.stderr == f"parkcrawl stats: error: cannot read {tmp_path / 'missing.jsonl'}: "
        "No such file or directory\n"
    )


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps(
            line("a", "2024-10-16", participants=(("许静", "管委会副主任"),)), ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    assert main_stats(["--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "lines": 1,
        "articles": 1,
        "per_month": {"2024-10": 1},
        "top_participants": [{"name": "许静", "articles": 1, "role": "管委会副主任"}],
        "undated": [],
    }
