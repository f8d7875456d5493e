"""Score a candidate name model on DEV as if it were the shipped one, at several span gates.

Usage: python eval/people/sweep_gate.py MODEL [--gates 0.5,0.6,0.7,0.8]
The shipped model's gate (participants._MIN_SPAN) is chosen with this on dev only; the held-out
part is measured once, with score.py, after the model and the gate are chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parkcrawl.extract import names_crf, participants

sys.path.insert(0, str(Path(__file__).parent))
from score import crf, rules, score  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--gates", default="0.5,0.6,0.7,0.8")
    ap.add_argument("--data", type=Path, default=Path(__file__).with_name("data"))
    args = ap.parse_args()
    rows = [json.loads(line) for line in (args.data / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    # the candidate stands in for the shipped file, so the shipped model's gate applies to it
    names_crf._shipped = lambda: args.model  # type: ignore[assignment]
    s = score(rows, crf())
    print(f"dev crf alone    P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f}")
    for gate in (float(g) for g in args.gates.split(",")):
        participants._MIN_SPAN = gate
        s = score(rows, rules())
        print(f"dev gate {gate:.2f}   P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f} "
              f"role {s['role_acc']:.3f} ({s['roles']})")


if __name__ == "__main__":
    main()
