"""Build the real labelled participants set (dev + held-out) from two public NER corpora.

Sources (neither licence allows redistribution here, so the set is rebuilt, never committed):
  * MSRA NER test set (SIGHAN 2006 bakeoff; People's Daily news), BIO lines ``char\\tTAG``;
  * CLUENER2020 dev and train sets (Sina news from THUCNews), JSON lines with ``name``,
    ``position`` and organisation spans: every on-topic dev sentence, and a fixed sample of train
    sentences that name somebody (for more people whose role the text gives).
Usage: python eval/people/build_set.py MSRA_TEST_BIO CLUENER_DEV_JSON CLUENER_TRAIN_JSON
       [--out eval/people/data]
The split into dev and held-out is fixed by hashing each sentence's id with SEED, so it does
not depend on the order of runs or on anything seen while tuning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

SEED = "parkcrawl-issue-18"
MSRA_SAMPLE = 1000  # sentences drawn (fixed seed) from the 3,442 of the MSRA test set
CLUENER_TRAIN_SAMPLE = 500  # train sentences naming somebody, drawn with the same seed
HELD_OUT_EVERY = 3  # one sentence in three (by hash) is held out
# By-line labels: the product's contract (tests/golden) gives these people role null.
BYLINES = ("记者", "通讯员", "编辑", "摄影", "实习生", "本报记者", "特约记者", "见习记者")
# Spans that make up a role chain before a name: 石家庄市 + 住房保障和房产管理局 + 副局长.
ORG_TYPES = ("address", "government", "company", "organization", "position")
# Sentences about fiction, games and films are not the news the product reads.
OFF_TOPIC = ("game", "movie", "book")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]+(?:[·•‧・-][\u4e00-\u9fff]+)*$")


def _held_out(sid: str) -> bool:
    digest = hashlib.sha256(f"{SEED}:{sid}".encode()).digest()
    return digest[0] % HELD_OUT_EVERY == 0


def read_msra(path: Path) -> list[dict]:
    """MSRA BIO sentences as {id, source, text, people: [{name, role}]}; roles are not labelled."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            if sentences[-1]:
                sentences.append([])
            continue
        sentences[-1].append((parts[0], parts[1]))
    out = []
    for idx, sent in enumerate(s for s in sentences if s):
        text = "".join(c for c, _ in sent)
        names: list[str] = []
        cur = ""
        for ch, tag in sent + [("", "O")]:
            if tag == "B-PER" or tag != "I-PER":
                if cur:
                    names.append(cur)
                cur = ch if tag == "B-PER" else ""
            else:
                cur += ch
        people = []
        for n in names:
            if len(n) < 2:
                continue  # a surname alone (江主席, 邓先生, 马列) is no name the product reports
            if n not in [p["name"] for p in people]:
                people.append({"name": n, "role": "?"})  # "?": the corpus does not label roles
        out.append({"id": f"msra-test-{idx}", "source": "msra", "text": text, "people": people})
    return out


def _role_before(
    text: str, start: int, spans: list[tuple[int, int, str]]
) -> tuple[str | None, bool]:
    """The chain of adjacent org/position spans ending right before ``start`` (position last).

    The flag says the chain may go on leftwards: the character before it is unlabelled Han text
    (CLUENER leaves departments such as 市场研究部 unlabelled), so a longer role is also right.
    """
    by_end = {e: (s, t) for s, e, t in spans if t in ORG_TYPES}
    end = start
    while end > 0 and text[end - 1] == " ":
        end -= 1
    if end not in by_end or by_end[end][1] != "position":
        return None, False
    first = by_end[end][0]
    while first in by_end or (text[first - 1 : first] == "、" and first - 1 in by_end):
        if first in by_end:
            first = by_end[first][0]
        else:
            s, t = by_end[first - 1]
            if t != "position":
                break
            first = s  # "党组书记、局长": joined titles stay one role
    covered = any(s <= first - 1 < e for s, e, _t in spans)
    before = text[first - 1 : first]
    open_left = bool(before) and not covered and (
        "\u4e00" <= before <= "\u9fff" or before.isascii() and before.isalnum()
    )
    return text[first:end], open_left


def read_cluener(path: Path, split: str) -> list[dict]:
    out = []
    for idx, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        labels = row["label"]
        if any(t in labels for t in OFF_TOPIC):
            continue
        names = labels.get("name", {})
        if any(not _HAN_NAME.match(n) for n in names):
            continue  # Latin-script names: not what the product reads
        text = row["text"]
        spans = [(s, e + 1, t) for t, ents in labels.items() for ms in ents.values() for s, e in ms]
        people: list[tuple[int, dict]] = []
        for name, mentions in names.items():
            roles = [_role_before(text, s, spans) for s, _e in mentions]
            role, open_left = next((r for r in roles if r[0]), (None, False))
            if role is not None and role.endswith(BYLINES):
                role, open_left = None, False
            first = min(s for s, _e in mentions)
            person = {"name": name, "role": role}
            if open_left:
                person["role_open"] = True
            people.append((first, person))
        people.sort(key=lambda p: p[0])
        out.append({
            "id": f"cluener-{split}-{idx}", "source": "cluener", "text": text,
            "people": [p for _s, p in people],
        })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("msra", type=Path)
    ap.add_argument("cluener_dev", type=Path)
    ap.add_argument("cluener_train", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("data"))
    args = ap.parse_args()
    msra = read_msra(args.msra)
    msra = random.Random(SEED).sample(msra, MSRA_SAMPLE)
    msra.sort(key=lambda r: int(r["id"].rsplit("-", 1)[1]))
    train = [r for r in read_cluener(args.cluener_train, "train") if r["people"]]
    train = random.Random(SEED).sample(train, CLUENER_TRAIN_SAMPLE)
    train.sort(key=lambda r: int(r["id"].rsplit("-", 1)[1]))
    rows = msra + read_cluener(args.cluener_dev, "dev") + train
    args.out.mkdir(parents=True, exist_ok=True)
    for part in ("dev", "heldout"):
        chosen = [r for r in rows if _held_out(r["id"]) == (part == "heldout")]
        with (args.out / f"{part}.jsonl").open("w", encoding="utf-8") as f:
            for r in chosen:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        people = sum(len(r["people"]) for r in chosen)
        roles = sum(1 for r in chosen for p in r["people"] if p["role"] not in (None, "?"))
        empty = sum(1 for r in chosen if not r["people"])
        print(f"{part}: {len(chosen)} sentences, {people} people, {roles} with a role, {empty} with nobody")


if __name__ == "__main__":
    main()
