"""repair_mojibake: UTF-8 mis-decoded as GBK or cp1252 is repaired only where certain."""

from __future__ import annotations

import pytest

from parkcrawl.text.mojibake import repair_mojibake

SENTENCE = "苏锡通园区召开工作会议，部署2025年重点任务。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the classic: 苏锡通园区 as UTF-8 read as GBK; the last byte of 区 is lost
        ("鑻忛敗閫氬洯鍖\ufffd", "苏锡通园\ufffd"),
        # a run that decodes completely (even byte count)
        ("鑻忛敗閫氬洯", "苏锡通园"),
        # cp1252 mojibake, curly quotes included; byte 9D of ” is undefined in cp1252, so the
        # upstream decoder lost it: that character stays a replacement character
        ("“园区”".encode().decode("cp1252", "replace") + "会议", "“园区\ufffd会议"),
        # cp1252 mojibake with nothing lost
        ("园区会议".encode().decode("cp1252", "replace"), "园区会议"),
        # latin-1 mojibake (C1 controls kept) of a sentence
        (SENTENCE.encode().decode("latin-1"), SENTENCE),
        # clean Simplified text is untouched
        (SENTENCE, SENTENCE),
        # clean Traditional text (contains GBK "tell" characters 鏈 鎮) is untouched
        ("產業鏈供應鏈協同，張芝山鎮參加會議。", "產業鏈供應鏈協同，張芝山鎮參加會議。"),
        # Western text with accents is not mojibake
        ("café naïve Zürich", "café naïve Zürich"),
        # a lone Â£ decodes to a pound sign, not CJK: left alone
        ("Â£100", "Â£100"),
        # middle dot in a transliterated name
        ("阿卜杜拉·买买提出席", "阿卜杜拉·买买提出席"),
        # rare but real characters next to each other
        ("王喆李堃蓝叒叒", "王喆李堃蓝叒叒"),
        # ASCII only
        ("plain ascii", "plain ascii"),
        # the mirror's lost characters are not mojibake
        ("挑起重??沖", "挑起重??沖"),
    ],
)
def test_repair_mojibake(text: str, expected: str) -> None:
    assert repair_mojibake(text) == expected


def test_gbk_mojibake_of_a_sentence_recovers_most_characters() -> None:
    broken = SENTENCE.encode().decode("gbk", "replace")
    repaired = repair_mojibake(broken)
    assert repaired != broken
    assert repaired.startswith("苏锡通园区召")
    # characters whose bytes the upstream decoder threw away stay marked, never invented
    assert set(repaired) - set(SENTENCE) <= {"\ufffd"}
