"""The evaluation's scoring and matching, on hand-written values (no evaluation set needed)."""

from __future__ import annotations

import pytest

from tools.evalrun import Matched, match_items, verdicts
from tools.evalscore import (
    PageScore,
    Prediction,
    body_f1,
    date_exact,
    format_comparison,
    score_page,
    snippet_scores,
    summarize,
    title_exact,
)


@pytest.mark.parametrize(
    ("pred", "truth", "expected"),
    [
        ("园区开工", "园区开工", 1.0),
        # whitespace and punctuation do not count
        ("园区，开工。\n", "园区 开工", 1.0),
        # Traditional on one side is converted before counting
        ("園區開工", "园区开工", 1.0),
        # full-width letters and digits are NFKC-folded
        ("ＡＢ１２", "AB12", 1.0),
        # 3 of the truth's 7 bigrams and nothing else: P 1, R 3/7, F1 0.6
        ("园区开工", "园区开工建设项目", 0.6),
        ("", "园区开工", 0.0),
        (None, "园区开工", 0.0),
        ("完全无关", "园区开工", 0.0),
    ],
)
def test_body_f1_over_character_bigrams(pred: str | None, truth: str, expected: float) -> None:
    assert body_f1(pred, truth) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("pred", "truth", "expected"),
    [
        ("园区召开 推进会", "园区召开推进会", True),  # whitespace ignored
        ("园区召开推进会_新华网", "园区召开推进会", False),  # a site suffix is wrong
        (None, "园区召开推进会", False),
    ],
)
def test_title_exact(pred: str | None, truth: str, expected: bool) -> None:
    assert title_exact(pred, truth) is expected


@pytest.mark.parametrize(
    ("pred", "truth", "expected"),
    [
        ("2024-05-09T16:05+08:00", "2024-05-09", True),
        ("2024-05-09", "2024-05-09", True),
        ("2024-01-08", "2024-01-10", False),
        (None, "2024-01-10", False),
    ],
)
def test_date_exact_compares_the_day(pred: str | None, truth: str, expected: bool) -> None:
    assert date_exact(pred, truth) is expected


def test_snippets_found_and_absent_ignore_whitespace() -> None:
    found, absent = snippet_scores("园区 开工\n责任编辑", ["园区开工", "竣工"], ["责任 编辑", "分享到"])
    assert (found, absent) == (0.5, 0.5)
    assert snippet_scores("正文", [], []) == (None, None)


def test_a_missing_prediction_scores_wrong() -> None:
    truth = {"title": "标题", "body": "正文内容", "published_at": "2024-01-10"}
    score = score_page("p", Prediction(), truth)
    assert (score.body_f1, score.title_exact, score.date_exact) == (0.0, False, False)


def test_output_lines_are_matched_by_url_path() -> None:
    routes = {"/dtyw/yqxx/content_aa.html": "one", "/dtyw/yqxx/content_bb.html": "two"}
    items = [
        {"url": "http://127.0.0.1:8000/dtyw/yqxx/content_aa.html", "title": "甲"},
        {"url": "http://127.0.0.1:8000/dtyw/yqxx/other.html", "title": "乙"},
        # the same page twice: the second line is an extra, not a replacement
        {"url": "http://127.0.0.1:8000/dtyw/yqxx/content_aa.html", "title": "丙"},
    ]
    matched = match_items(items, routes)
    assert {name: item["title"] for name, item in matched.by_name.items()} == {"one": "甲"}
    assert matched.missing == ["two"]
    assert matched.extra == [
        "http://127.0.0.1:8000/dtyw/yqxx/other.html",
        "http://127.0.0.1:8000/dtyw/yqxx/content_aa.html",
    ]


def _score(name: str, f1: float | None, title: bool | None, date: bool | None) -> PageScore:
    return PageScore(name=name, body_f1=f1, title_exact=title, date_exact=date)


def test_targets_need_a_higher_f1_than_every_peer_and_every_title_and_date() -> None:
    ours = [_score("a", 0.9, True, True), _score("b", 0.8, None, True)]
    peers = {"peer1": [_score("a", 0.7, True, True), _score("b", 0.9, None, True)]}
    complete = Matched({"a": {}, "b": {}}, [], [])
    met = {v.target: v.met for v in verdicts(ours, peers, complete, 2, 0)}
    assert met == {
        "the crawl finds every page and exits 0": True,
        "body F1 above peer1": True,  # 0.85 > 0.80
        "every title right": True,
        "every date right": True,
    }
    worse = [_score("a", 0.6, False, True), _score("b", 0.8, None, False)]
    partial = Matched({"a": {}}, ["b"], [])
    met = {v.target: v.met for v in verdicts(worse, peers, partial, 2, 0)}
    assert not any(met.values())


@pytest.mark.parametrize(
    ("right", "met"),
    [
        # 97 of 100 titles and dates right meets a 97% target
        (97, True),
        # 96 does not
        (96, False),
    ],
)
def test_share_targets_for_the_second_set(right: int, met: bool) -> None:
    ours = [_score(f"p{i}", 0.9, i < right, i < right) for i in range(100)]
    complete = Matched({f"p{i}": {} for i in range(100)}, [], [])
    found = {v.target: v.met for v in verdicts(ours, {}, complete, 100, 0, min_exact=0.97)}
    assert found == {
        "the crawl finds every page and exits 0": True,
        "97% of titles right": met,
        "97% of dates right": met,
    }


def test_comparison_table_puts_extractors_side_by_side() -> None:
    ours = [_score("page-a", 0.95, True, None), _score("page-b", 1.0, None, True)]
    peer = [_score("page-a", 0.5, False, None), _score("page-b", 0.0, None, False)]
    table = format_comparison({"ours": ours, "peer": peer}).splitlines()
    assert table[1] == (
        "page    |    F1 title  date with  w/o |    F1 title  date with  w/o"
    )
    assert table[3] == "page-a  | 0.950    ok     -    -    - | 0.500   BAD     -    -    -"
    assert table[4] == "page-b  | 1.000     -    ok    -    - | 0.000     -   BAD    -    -"
    assert table[6] == "overall | 0.975   1/1   1/1    -    - | 0.250   0/1   0/1    -    -"
    assert summarize(ours)["body_pages"] == 2


def _truth_dir(tmp_path, pages: dict[str, dict]):
    import json

    (tmp_path / "truth").mkdir()
    for name, truth in pages.items():
        (tmp_path / "truth" / f"{name}.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_split_lines_report_a_part_alone_and_by_split(tmp_path) -> None:
    from tools.evalrun import split_lines

    eval_dir = _truth_dir(
        tmp_path,
        {
            "a": {"split": "tune"},
            "b": {"split": "heldout"},
            "gov-a": {"split": "tune", "part": "gov"},
            "gov-b": {"split": "heldout", "part": "gov"},
            "gov-c": {"split": "tune", "part": "gov"},
        },
    )
    scores = [
        PageScore(name="a", body_f1=1.0, title_exact=True),
        PageScore(name="b", body_f1=0.5, date_exact=False),
        PageScore(name="gov-a", body_f1=0.2, title_exact=False, date_exact=True),
        PageScore(name="gov-b", body_f1=0.9, title_exact=True),
        PageScore(name="gov-c", body_f1=0.4, title_exact=True, date_exact=True),
    ]
    lines = split_lines(eval_dir, {"ours": scores})
    assert lines == [
        "split heldout (2 pages):",
        "  ours                         body F1 0.700  title 1/1  date 0/1",
        "split tune (3 pages):",
        "  ours                         body F1 0.533  title 2/3  date 2/2",
        "part gov (3 pages):",
        "  ours                         body F1 0.500  title 2/3  date 2/2",
        "part gov, split heldout (1 pages):",
        "  ours                         body F1 0.900  title 1/1  date 0/0",
        "part gov, split tune (2 pages):",
        "  ours                         body F1 0.300  title 1/2  date 2/2",
    ]


def test_split_lines_unchanged_for_a_set_without_parts(tmp_path) -> None:
    from tools.evalrun import split_lines

    eval_dir = _truth_dir(tmp_path, {"a": {"split": "tune"}, "b": {"split": "heldout"}})
    scores = [PageScore(name="a", body_f1=1.0), PageScore(name="b", body_f1=0.0)]
    assert [line for line in split_lines(eval_dir, {"ours": scores}) if "pages):" in line] == [
        "split heldout (1 pages):",
        "split tune (1 pages):",
    ]
