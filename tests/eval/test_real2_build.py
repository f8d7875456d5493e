"""eval/real2/build.py's government part: the page text, the anchor cut and the split draw.

Written on our own markup (no page of any set is needed).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_BUILD = Path(__file__).resolve().parents[2] / "eval" / "real2" / "build.py"
_spec = importlib.util.spec_from_file_location("real2_build", _BUILD)
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>园区召开安全生产会议_某县人民政府</title><script>var t = "脚本里的字";</script></head>
<body><div class="nav">首页 &gt; 政务要闻</div>
<h1>园区召开安全生产会议</h1><div class="info">发布时间：2024-03-05 来源：县应急局</div>
<div class="TRS_Editor"><p>　　3月4日，园区召开安全生产工作会议。</p>
<p>会议要求各企业落实主体责任。</p></div>
<div class="foot">打印本页 关闭窗口</div></body></html>"""


def test_page_text_decodes_the_declared_gbk_and_drops_head_and_scripts() -> None:
    text = build.page_text(_PAGE.encode("gbk"))
    assert text.splitlines() == [
        "首页 > 政务要闻",
        "园区召开安全生产会议",
        "发布时间：2024-03-05 来源：县应急局",
        "3月4日，园区召开安全生产工作会议。",
        "会议要求各企业落实主体责任。",
        "打印本页 关闭窗口",
    ]


def test_undeclared_gbk_bytes_fall_back_from_utf8() -> None:
    raw = "<p>园区新闻</p>".encode("gbk")
    assert build.page_text(raw) == "园区新闻"


def test_cut_between_keeps_both_anchors_and_nothing_outside() -> None:
    text = build.page_text(_PAGE.encode("gbk"))
    body = build.cut_between(text, "3月4日，园区", "落实主体责任。")
    assert body == "3月4日，园区召开安全生产工作会议。\n会议要求各企业落实主体责任。"


@pytest.mark.parametrize(("start", "end"), [("不在页中", "主体责任。"), ("3月4日", "不在页中")])
def test_cut_between_is_none_when_an_anchor_is_missing(start: str, end: str) -> None:
    text = build.page_text(_PAGE.encode("gbk"))
    assert build.cut_between(text, start, end) is None


def test_end_anchor_is_searched_after_the_start() -> None:
    # The end marker also occurs before the start: the cut must not run backwards.
    assert build.cut_between("甲结束乙开始丙结束丁", "开始", "结束") == "开始丙结束"


def _manifest(tmp_path: Path, start: str) -> dict:
    repo = tmp_path / "someone+gov-pages"
    (repo / "pages").mkdir(parents=True)
    (repo / "pages" / "a.html").write_bytes(_PAGE.encode("gbk"))
    return {
        "sources": {"someone/gov-pages": {"commit": "0" * 40, "licence": "none stated"}},
        "pages": {
            "gov-a": {
                "source": "someone/gov-pages", "path": "pages/a.html",
                "title": "园区召开安全生产会议", "published_at": "2024-03-05",
                "body_start": start, "body_end": "落实主体责任。",
            }
        },
    }


def test_gov_cases_write_truth_from_labels_and_anchors(tmp_path: Path) -> None:
    cases = build.gov_cases(tmp_path, _manifest(tmp_path, "3月4日，园区"))
    page, truth = cases["gov-a"]
    assert page == tmp_path / "someone+gov-pages" / "pages" / "a.html"
    assert truth["title"] == "园区召开安全生产会议"
    assert truth["published_at"] == "2024-03-05"
    assert truth["body"] == "3月4日，园区召开安全生产工作会议。\n会议要求各企业落实主体责任。"
    assert truth["part"] == "gov"
    assert truth["labelled"] == ["title", "published_at", "body"]
    json.dumps(truth)  # the truth file must be writable as JSON


def test_gov_page_commit_overrides_the_source_commit(tmp_path: Path) -> None:
    # Pages of one repository read at different commits: the page's own commit is recorded.
    manifest = _manifest(tmp_path, "3月4日，园区")
    assert build.gov_cases(tmp_path, manifest)["gov-a"][1]["source_commit"] == "0" * 40
    manifest["pages"]["gov-a"]["commit"] = "1" * 40
    assert build.gov_cases(tmp_path, manifest)["gov-a"][1]["source_commit"] == "1" * 40


def test_gov_cases_refuse_long_anchors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="at most 12"):
        build.gov_cases(tmp_path, _manifest(tmp_path, "3月4日，园区召开安全生产工作"))


def test_gov_cases_fail_loudly_when_an_anchor_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="not found"):
        build.gov_cases(tmp_path, _manifest(tmp_path, "不在页中"))


def test_government_draw_leaves_the_first_split_alone() -> None:
    first = [f"cwced-{i:02d}" for i in range(30)]
    gov = [f"gov-{i:02d}" for i in range(12)]
    before = build.draw_heldout(first)
    # The first set's draw is the same whatever government pages exist...
    assert build.draw_heldout(list(reversed(first))) == before
    # ...and the government third is drawn over the government names only.
    gov_held = build.draw_heldout(gov)
    assert len(before) == 10 and len(gov_held) == 4
    assert gov_held <= set(gov)
