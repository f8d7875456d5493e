"""``parkcrawl clean`` core: files or stdin in, UTF-8 out, exit 2 on a missing file."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from parkcrawl.text.cli import main_clean

MIRROR = "園(yuán)區(qū)長(zhǎng)會(huì)議\u3000\u3000\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "园区长会议\n"),  # converted to Simplified by default
        (["--keep-script"], "園區長會議\n"),  # annotations stripped, script kept
    ],
)
def test_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    source = tmp_path / "page.txt"
    source.write_text(MIRROR, encoding="utf-8")
    assert main_clean([*args, str(source)]) == 0
    assert capsys.readouterr().out == expected


def test_gbk_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("园区管委会召开会议，王喆出席。".encode("gbk"))
    assert main_clean([str(source)]) == 0
    assert capsys.readouterr().out == "园区管委会召开会议，王喆出席。\n"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_clean([str(tmp_path / "nope.txt")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "nope.txt" in captured.err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MIRROR.encode("utf-8"))))
    assert main_clean([]) == 0
    assert capsys.readouterr().out == "园区长会议\n"


def test_subprocess_utf8_out() -> None:
    code = "import sys; from parkcrawl.text.cli import main_clean; sys.exit(main_clean(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "--keep-script"],
        input=MIRROR.encode("utf-8"),
        capture_output=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={"PYTHONIOENCODING": "ascii", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == "園區長會議\n"
