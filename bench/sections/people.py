"""Participants: sentences per second of extract_participants."""

from __future__ import annotations

import json
from typing import Any

from bench.common import GOLDEN, Context, Mode, _interleaved, median, rnd
from bench.sections import not_measured

NAME = "people"
SUMMARY_KEYS = ("people_sentences_per_s",)


def estimate_s(ctx: Context) -> float:
    return 20 if ctx.mode.name == "full" else 5


def measure(ctx: Context) -> dict[str, Any]:
    return bench_people(ctx.mode)


PEOPLE_SENTENCES = (
    "园区党工委书记张志明出席活动并致辞，管委会副主任李红主持。",
    "会上，经济发展局局长欧阳建国介绍了今年以来的招商情况。",
    "各镇街道、各部门负责人参加会议。",
    "王建国表示，要进一步优化营商环境，服务企业发展。",
    "（记者 李明 通讯员 张华）",
    "在南通市副市长陈晓东的陪同下，代表团一行参观了展厅。",
    "园区将持续推进产业项目建设，力争早日投产达效。",
    "刘波、赵敏等领导陪同调研。",
)


def bench_people(mode: Mode) -> dict[str, Any]:
    from parkcrawl.extract import participants

    sentences: list[str] = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            for para in [record["title"], *record["body"].split("\n")]:
                sentences += [s + "。" for s in para.split("。") if s.strip()]
    sentences += list(PEOPLE_SENTENCES)
    participants.extract_participants(sentences[0])  # lexicons load once
    found = sum(len(participants.extract_participants(s)) for s in sentences)
    repeat = 100 if mode.name == "full" else 20
    batch = sentences * repeat
    times = _interleaved(
        {"people": lambda: [participants.extract_participants(s) for s in batch]},
        mode.people_rounds,
    )["people"]
    return {
        "people_sentences_per_s": round(len(batch) / median(times)),
        "sentences": len(sentences),
        "participants_found": found,
        "rounds": mode.people_rounds,
        "seconds": [rnd(t) for t in times],
    }


def markdown(result: dict[str, Any] | None, why: str | None) -> list[str]:
    """The section's lines of BENCHMARKS.md (its heading included)."""
    pe = result
    lines: list[str] = []
    if pe:
        lines += [
            "",
            (
                f"Participants: **{pe['people_sentences_per_s']:,} sentences/s** "
                f"(`extract_participants` over {pe['sentences']} sentences of the labelled demo articles "
                f"and the module's bench sentences, {pe['rounds']} rounds; {pe['participants_found']} "
                "participants found per pass)."
            ),
        ]
    lines += not_measured(why)
    return lines
