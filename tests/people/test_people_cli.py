"""`parkcrawl people`: files or stdin, either script, one JSON line per input, exit 2 on a missing file."""

from __future__ import annotations

import io
import json
import sys

import pytest

from parkcrawl.extract.people_cli import main_people

ANNOTATED = "園(yuán)區(qū)黨(dǎng)工委書(shū)記(jì)顧(gù)雲(yún)峰(fēng)出席會(huì)議(yì)\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        # Traditional with pinyin annotations, as the mirror serves it
        (ANNOTATED, "utf-8"),
        # already clean Simplified
        ("园区党工委书记顾云峰出席会议\n", "utf-8"),
        # a GB18030 file
        ("园区党工委书记顾云峰出席会议\n", "gb18030"),
    ],
)
def test_file_input(tmp_path, capsys, content: str, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content.encode(encoding))
    assert main_people([str(path)]) == 0
    line = capsys.readouterr().out.strip()
    assert json.loads(line) == {
        "file": str(path),
        "participants": [{"name": "顾云峰", "role": "园区党工委书记"}],
    }


def test_stdin_input(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("记者 李明\n".encode())))
    assert main_people([]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "file": "-", "participants": [{"name": "李明", "role": None}]}


def test_missing_file_is_exit_2_with_one_line(tmp_path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_text("他表示，将全力支持。", encoding="utf-8")
    assert main_people([str(tmp_path / "missing.txt"), str(good)]) == 2
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and "missing.txt" in err
    # the readable file is still reported
    assert json.loads(out) == {"file": str(good), "participants": []}
