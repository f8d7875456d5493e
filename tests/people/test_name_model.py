"""The name model's loading and tagging code, on a model this test trains from its own sentences.

parkcrawl ships a model trained from Universal NER (docs/participants.md) and uses it unless
PARKCRAWL_PEOPLE_MODEL names another file (or "off"). This tiny one checks the plumbing: the
model named by PARKCRAWL_PEOPLE_MODEL is found, opened, and its name spans reach
extract_participants.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from parkcrawl.extract import names_crf
from parkcrawl.extract.participants import extract_participants

NAMES = ["李明", "王芳", "赵刚", "陈静", "周涛", "吴敏", "郑洁", "孙伟"]
CONTEXTS = ["{}来到园区。", "我们见到{}。", "{}说得好。", "大家欢迎{}。", "{}和同事一起。"]


def train(path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for name in NAMES:
        for context in CONTEXTS:
            text = context.format(name)
            start = text.index(name)
            labels = ["O"] * len(text)
            labels[start] = "B"
            labels[start + 1 : start + len(name)] = ["I"] * (len(name) - 1)
            trainer.append(names_crf.char_features(text), labels)
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 100})
    trainer.train(str(path))


@pytest.fixture
def tiny_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "names.crfsuite"
    train(path)
    monkeypatch.setenv(names_crf.MODEL_ENV, str(path))
    yield path
    names_crf._available.cache_clear()
    names_crf._open_tagger.cache_clear()


def test_the_shipped_model_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(names_crf.MODEL_ENV, raising=False)
    path = names_crf.model_path()
    # the packaged file, gzipped, opened from memory (nothing written: a full disk cannot stop it)
    data = files("parkcrawl") / "data"
    assert path is not None and path == data / "people_names.crfsuite.gz" and path.is_file()
    assert names_crf.available() and names_crf.shipped()
    assert names_crf.Tagged("园区管委会主任张明出席会议。").spans() == [(7, 9)]
    # its licence travels with it (CC BY-SA 4.0, as Universal NER's)
    assert "CC BY-SA 4.0" in (data / "people_names.LICENSE.txt").read_text(encoding="utf-8")


def test_off_means_the_grammar_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(names_crf.MODEL_ENV, "off")
    assert names_crf.model_path() is None and not names_crf.available()
    # 大家欢迎 is no title and no verb of the lexicons: without a model nobody is found
    assert extract_participants("大家欢迎赵刚。") == []


def test_a_model_that_is_not_there_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(names_crf.MODEL_ENV, str(tmp_path / "missing.crfsuite"))
    with pytest.raises(FileNotFoundError, match="missing.crfsuite"):
        names_crf.available()


def test_the_model_named_is_used(tiny_model: Path) -> None:
    # another model than the shipped one: the shipped one's span gate does not apply
    assert names_crf.available() and not names_crf.shipped()
    # a name of its training set in a context it saw: the span is the name
    assert names_crf.name_spans("我们见到李明。") == [(4, 6)]
    # no title and no verb of the lexicons announce 赵刚 here: only the model finds him
    assert [p.name for p in extract_participants("大家欢迎赵刚。")] == ["赵刚"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("短句。", [(0, 3)]),
        # cut after the last sentence end inside the window, not mid-sentence
        ("甲" * 1500 + "。" + "乙" * 1000, [(0, 1501), (1501, 2501)]),
        # no sentence end at all: hard cuts every WINDOW characters
        ("丙" * 4500, [(0, 2000), (2000, 4000), (4000, 4500)]),
        # beyond MAX_TAGGED the model reads nothing
        ("丁" * 100_500, [(k, k + 2000) for k in range(0, 100_000, 2000)]),
    ],
)
def test_long_texts_are_tagged_in_bounded_windows(text: str, expected: list) -> None:
    assert names_crf.windows(text) == expected


def test_a_later_window_reads_as_it_does_alone() -> None:
    text = "会议通报了各项工作进展情况。" * 200 + "园区管委会主任张明出席会议。"
    long = names_crf.Tagged(text)
    start = 14 * 142  # after the last full stop within the first WINDOW characters
    assert names_crf.windows(text)[1][0] == start
    alone = names_crf.Tagged(text[start:])
    assert long.labels[start:] == alone.labels
    # a marginal is read from the window that holds its position, after other texts were tagged
    names_crf.Tagged("另一段文字。")
    for k in (0, 5, len(alone.text) - 8, len(alone.text) - 1):
        assert long.begin(start + k) == pytest.approx(alone.begin(k))
    names_crf.Tagged("另一段文字。")
    assert long.begin(3) == pytest.approx(names_crf.Tagged(text[:start]).begin(3))


def test_marks_where_lexicon_words_start_and_end() -> None:
    """The feature marks: every word of every length, overlapping ones too (副市长 and 市长 end
    at the same place), and nothing where no word starts."""
    from parkcrawl.extract.names_crf import _marks

    text = "副市长王明和主任李强调研"  # 副0 市1 长2 王3 明4 和5 主6 任7 李8 强9 调10 研11
    titles = frozenset({"市长", "副市长", "主任", "秘书长"})
    ends = _marks(text, titles, at_end=True)
    assert [i for i, marked in enumerate(ends) if marked] == [3, 8]
    starts = _marks(text, titles, at_end=False)
    assert [i for i, marked in enumerate(starts) if marked] == [0, 1, 6]
    assert len(ends) == len(text) + 2
    assert not any(_marks("今天天气很好", titles, at_end=False))
