"""eval/people/train_names.py's licensed name list (jieba's dict.txt) and the copies it fills."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pycrfsuite")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval" / "people"))
from train_names import read_name_list, with_listed_names  # noqa: E402


def test_read_name_list_keeps_chinese_shaped_person_words(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text(
        "\n".join([
            "张海燕 3 nr",     # a surname and two characters: kept
            "欧阳海 2 nr",     # a compound surname and one: kept
            "郭靖 5 nr",       # kept
            "郭靖少 2 nr",     # 郭靖 cut with the next character of a sentence
            "陈医生 2 nr",     # a surname and a form of address
            "丹凤眼 27 nr",    # 丹 is no surname of the lexicon
            "李家村 2 nr",     # a place
            "王府井 3 ns",     # not tagged as a person
            "张A 2 nr",        # not Han characters
            "王小明明 2 nr",   # a given name of three characters
            "周恩来 9 nrfg",   # nrfg counts as a person too
        ]) + "\n",
        encoding="utf-8",
    )
    assert read_name_list(dictionary, min_given=1) == ["周恩来", "张海燕", "欧阳海", "郭靖"]
    # the rare-character filter: every given-name character here is seen once
    assert read_name_list(dictionary, min_given=2) == []


def test_listed_names_replace_only_chinese_shaped_names() -> None:
    text = "张明会见了约翰。"
    labels = ["B", "I", "O", "O", "O", "B", "I", "O"]
    nobody = ("今天下雨。", ["O"] * 5)
    out = with_listed_names([(text, labels), nobody], ["王小红"], copies=2, seed=0)
    # 约翰 has no surname of the lexicon: it stays; the sentence naming nobody gets no copy
    assert out == [("王小红会见了约翰。", ["B", "I", "I", "O", "O", "O", "B", "I", "O"])] * 2
