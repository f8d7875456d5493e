"""Train the person-name CRF for parkcrawl.extract.names_crf.

The shipped model (parkcrawl/data/people_names.crfsuite.gz, gzipped) is trained from Universal NER v1 only
(``--uner``: the ``.iob2`` files of UniversalNER/UNER_Chinese-GSDSIMP, CC BY-SA 4.0, and
UNER_Chinese-PUD, CC BY-SA 3.0, converted to Simplified with OpenCC), because their licences
allow redistributing what is learnt from them. The other readers train a research-only model
(see eval/people/README.md for sources and licences): the People's Daily NER files of
zjy-ucas/ChineseNER (``--bio``: BIO, space-separated), CLUENER2020 train minus every sentence
the evaluation set draws from it (``--cluener-train``), and ``{"text", "entity_list"}``
JSON-lines files (GuocaiL/nlp_corpus) given as ``--entities FILE=PERSON_TYPE``. Any training
sentence sharing a 15-character run with the evaluation set (dev or held-out) is left out.
Usage: python eval/people/train_names.py --uner zh_gsdsimp-ud-train.iob2 ... [--out MODEL]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import pycrfsuite

from parkcrawl.extract.names_crf import char_features

sys.path.insert(0, str(Path(__file__).parent))
from build_set import CLUENER_TRAIN_SAMPLE, SEED, read_cluener  # noqa: E402


def read_bio(path: Path) -> list[tuple[str, list[str]]]:
    """(text, B/I/O labels for persons only) per sentence of a CoNLL-style BIO file."""
    out: list[tuple[str, list[str]]] = []
    chars: list[str] = []
    labels: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) != 2:
            if chars:
                out.append(("".join(chars), labels))
            chars, labels = [], []
            continue
        chars.append(parts[0])
        labels.append({"B-PER": "B", "I-PER": "I"}.get(parts[1], "O"))
    return out


def read_uner(path: Path) -> list[tuple[str, list[str]]]:
    """Universal NER .iob2 (word per line: index, word, BIO tag) as per-character person B/I/O.

    UNER_Chinese-PUD is in Traditional characters: every word is converted to Simplified (the
    text parkcrawl extracts from), keeping the word only where the conversion keeps its length.
    """
    import opencc

    t2s = opencc.OpenCC("t2s")
    out: list[tuple[str, list[str]]] = []
    chars: list[str] = []
    labels: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split("\t")
        if line.startswith("#"):
            continue
        if len(parts) < 3:
            if chars:
                out.append(("".join(chars), labels))
            chars, labels = [], []
            continue
        word, tag = parts[1], parts[2]
        simple = t2s.convert(word)
        word = simple if len(simple) == len(word) else word
        person = tag.endswith("-PER")
        for k, ch in enumerate(word):
            chars.append(ch)
            labels.append("O" if not person else "B" if k == 0 and tag.startswith("B") else "I")
    return out


def with_titles(data: list[tuple[str, list[str]]], seed: int) -> list[tuple[str, list[str]]]:
    """A copy of each sentence naming somebody, with an office title of the participants lexicon
    written right after each name (何平教授, 习近平总书记) or, every other sentence, right before
    it (市长王某). Universal NER is encyclopaedia text, where a title beside a name is rare; in
    government news it is the rule, and the features' title cues need examples of both orders.
    """
    from parkcrawl.extract.lexicons import read_sections

    titles = read_sections("people_titles.txt")["titles"]
    rng = random.Random(seed)
    out = []
    for n, (text, labels) in enumerate(data):
        if "B" not in labels:
            continue
        after = n % 2 == 0
        chars: list[str] = []
        labs: list[str] = []
        for i, (ch, lab) in enumerate(zip(text, labels)):
            if not after and lab == "B":
                title = rng.choice(titles)
                chars += title
                labs += ["O"] * len(title)
            chars.append(ch)
            labs.append(lab)
            ends = lab != "O" and (i + 1 == len(text) or labels[i + 1] != "I")
            if after and ends:
                title = rng.choice(titles)
                chars += title
                labs += ["O"] * len(title)
        out.append(("".join(chars), labs))
    return out


def with_other_names(data: list[tuple[str, list[str]]], copies: int,
                     seed: int) -> list[tuple[str, list[str]]]:
    """Copies of each sentence naming somebody with a Chinese-shaped name (a surname of the
    lexicon and one or two characters) replaced by another one: a surname of the lexicon and a
    given name recombined from the characters of the corpus's own given names. ~3,000 names teach
    the model few given-name characters; the copies show the same contexts with many more.
    """
    from parkcrawl.extract.lexicons import read_sections

    surnames = read_sections("people_surnames.txt")["single"]
    spans = []
    for text, labels in data:
        spans.append([(s, e) for s, e in _spans(labels)
                      if 2 <= e - s <= 3 and text[s] in surnames])
    given = [text[s + 1 : e] for (text, _l), found in zip(data, spans) for s, e in found]
    chars = [c for g in given for c in g]
    rng = random.Random(seed)
    out = []
    for (text, labels), found in zip(data, spans):
        if not found:
            continue
        for _ in range(copies):
            new_text, new_labels, last = "", [], 0
            for s, e in found:
                name = rng.choice(surnames) + "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))
                new_text += text[last:s] + name
                new_labels += labels[last:s] + ["B"] + ["I"] * (len(name) - 1)
                last = e
            out.append((new_text + text[last:], new_labels + labels[last:]))
    return out


def read_name_list(path: Path, min_given: int = 20) -> list[str]:
    """Chinese-shaped person names of a jieba dictionary (``word freq tag`` lines; jieba's
    ``dict.txt``, MIT licence): the words tagged nr or nrfg that are a surname of the lexicon and
    one or two characters (a compound surname and one or two), without the ones that end in a title
    or a form of address (陈医生, 王先生). jieba tags many ordinary words nr (丹凤眼, 买些): the
    surname test keeps most of those out, and what is left only fills contexts that name somebody.
    """
    from parkcrawl.extract.lexicons import read_sections

    surnames = read_sections("people_surnames.txt")
    single, compound = set(surnames["single"]), set(surnames["compound"])
    titles = read_sections("people_titles.txt")
    ends = {t for t in titles["titles"] if len(t) <= 2} | set(_ADDRESS)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[2] not in ("nr", "nrfg"):
            continue
        word = parts[0]
        head = 2 if word[:2] in compound else 1 if word[0] in single else 0
        if not head or not 1 <= len(word) - head <= 2:
            continue
        if any(word.endswith(e) for e in ends) or not all("\u4e00" <= c <= "\u9fff" for c in word):
            continue
        out.append(word)
    found = set(out)
    # jieba's nr words include names cut with the next character of a novel's sentence (郭靖少,
    # 黄蓉转): a three-character word whose first two characters are a listed name is dropped
    found = {w for w in found if not (len(w) == 3 and w[:2] in found)}
    found = {w for w in found if w[-1] not in _NOT_LAST}
    # a given-name character seen in fewer than min_given listed names is more often a cut word
    # (余香 is kept, 柳橙汁 is not)
    given = Counter(ch for w in found for ch in w[1:])
    return sorted(w for w in found if all(given[ch] >= min_given for ch in w[1:]))


# Last characters of jieba's nr words that are places, ranks or kin rather than given names.
_NOT_LAST = frozenset("区县市省州府城镇乡村寨井口河江湖山岭峰松族之王后妃氏兄弟侠长主叔人帝君侯爵将官")


# Forms of address that jieba's dictionary writes after a surname as if it were a name.
_ADDRESS = ("先生", "女士", "小姐", "医生", "老师", "同志", "师傅", "大夫", "老板", "太太",
            "夫人", "大爷", "大妈", "大姐", "大哥", "阿姨", "老", "总", "某", "氏", "家", "哥",
            "姐", "嫂", "叔", "伯", "婆", "公", "爷", "娘", "妈")


def with_listed_names(data: list[tuple[str, list[str]]], names: list[str], copies: int,
                      seed: int) -> list[tuple[str, list[str]]]:
    """Copies of each sentence naming somebody with each Chinese-shaped name (a surname of the
    lexicon and one or two characters) replaced by a name drawn from ``names`` (real names of a
    licensed dictionary, see read_name_list): the same contexts with many more real names.
    """
    from parkcrawl.extract.lexicons import read_sections

    surnames = read_sections("people_surnames.txt")["single"]
    rng = random.Random(seed)
    out = []
    for text, labels in data:
        found = [(s, e) for s, e in _spans(labels) if 2 <= e - s <= 3 and text[s] in surnames]
        if not found:
            continue
        for _ in range(copies):
            new_text, new_labels, last = "", [], 0
            for s, e in found:
                name = rng.choice(names)
                new_text += text[last:s] + name
                new_labels += labels[last:s] + ["B"] + ["I"] * (len(name) - 1)
                last = e
            out.append((new_text + text[last:], new_labels + labels[last:]))
    return out


def _spans(labels: list[str]) -> list[tuple[int, int]]:
    out, start = [], -1
    for i, lab in enumerate([*labels, "O"]):
        if lab != "I" and start >= 0:
            out.append((start, i))
            start = -1
        if lab == "B":
            start = i
    return out


def read_cluener_train(path: Path) -> list[tuple[str, list[str]]]:
    """CLUENER train as person B/I/O, without the sentences the evaluation set uses."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    named = [r for r in read_cluener(path, "train") if r["people"]]
    held = {r["id"] for r in random.Random(SEED).sample(named, CLUENER_TRAIN_SAMPLE)}
    out = []
    for idx, row in enumerate(rows):
        if f"cluener-train-{idx}" in held:
            continue
        text = row["text"]
        labels = ["O"] * len(text)
        for mentions in row["label"].get("name", {}).values():
            for s, e in mentions:
                labels[s] = "B"
                for k in range(s + 1, e + 1):
                    labels[k] = "I"
        out.append((text, labels))
    return out


def read_entities(spec: str) -> list[tuple[str, list[str]]]:
    """Sentences of a {"text", "entity_list"} JSON-lines file, persons of the given type as B/I."""
    path, kind = spec.rsplit("=", 1)
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        labels = ["O"] * len(text)
        for ent in row["entity_list"]:
            if ent["entity_type"] != kind:
                continue
            b, e = ent["entity_index"]["begin"], ent["entity_index"]["end"]
            if text[b:e] != ent["entity"]:
                continue  # an offset that does not match its text: skip the entity
            labels[b] = "B"
            for k in range(b + 1, e):
                labels[k] = "I"
        out.extend(_sentences(text, labels))
    return out


def _sentences(text: str, labels: list[str]) -> list[tuple[str, list[str]]]:
    """Cut a long document after 。！？ or a line end, never inside a name."""
    out = []
    start = 0
    for i, ch in enumerate(text):
        if ch in "。！？\n" and (i + 1 >= len(text) or labels[i + 1] != "I"):
            if text[start : i + 1].strip():
                out.append((text[start : i + 1], labels[start : i + 1]))
            start = i + 1
    if text[start:].strip():
        out.append((text[start:], labels[start:]))
    return out


RUN = 15


def _eval_texts(data_dir: Path) -> list[str]:
    return [json.loads(line)["text"] for part in ("dev", "heldout")
            for line in (data_dir / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()]


def _eval_runs(data_dir: Path) -> set[str]:
    runs: set[str] = set()
    for text in _eval_texts(data_dir):
        runs.update(text[i : i + RUN] for i in range(len(text) - RUN + 1))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uner", type=Path, action="append", default=[], metavar="IOB2")
    ap.add_argument("--titles", action="store_true",
                    help="add a copy of each --uner sentence naming somebody with titles beside the names")
    ap.add_argument("--other-names", type=int, default=0, metavar="N",
                    help="add N copies of each --uner sentence with its Chinese names replaced")
    ap.add_argument("--name-list", type=Path, metavar="JIEBA_DICT",
                    help="a jieba dictionary (dict.txt) whose person names --listed-names draws from")
    ap.add_argument("--listed-names", type=int, default=0, metavar="N",
                    help="add N copies of each --uner sentence with its Chinese names replaced by listed ones")
    ap.add_argument("--listed-with-titles", action="store_true",
                    help="replace the names of the --titles copies too (with --listed-names)")
    ap.add_argument("--bio", type=Path, action="append", default=[], metavar="PD_BIO")
    ap.add_argument("--cluener-train", type=Path)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).with_name("data") / "people_names.crfsuite")
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--c1", type=float, default=0.03, help="L1 weight (higher: smaller model)")
    ap.add_argument("--c2", type=float, default=0.005, help="L2 weight")
    ap.add_argument("--entities", action="append", default=[], metavar="FILE=TYPE")
    ap.add_argument("--eval-data", type=Path, default=Path(__file__).with_name("data"))
    args = ap.parse_args()
    data = [row for path in args.uner for row in read_uner(path)]
    extra = with_titles(data, SEED) if args.titles else []
    if args.other_names:
        extra += with_other_names(data, args.other_names, SEED)
    if args.listed_names:
        names = read_name_list(args.name_list)
        # jieba's dictionary was counted from People's Daily text, the source of the MSRA part
        # of the evaluation set: a listed name written anywhere in an evaluation sentence (dev or
        # held-out) is left out, as the sentences sharing a run with it are, so the set measures
        # names the model has not been shown
        texts = _eval_texts(args.eval_data)
        kept = [n for n in names if not any(n in t for t in texts)]
        print(f"{len(names)} listed names, {len(names) - len(kept)} left out (in the evaluation set)")
        names = kept
        base = data + extra if args.listed_with_titles else data
        extra += with_listed_names(base, names, args.listed_names, SEED)
    data += extra
    data += [row for path in args.bio for row in read_bio(path)]
    if args.cluener_train:
        data += read_cluener_train(args.cluener_train)
    for spec in args.entities:
        data += read_entities(spec)
    runs = _eval_runs(args.eval_data)
    before = len(data)
    data = [(t, lab) for t, lab in data
            if not any(t[i : i + RUN] in runs for i in range(len(t) - RUN + 1))]
    print(f"left out {before - len(data)} sentences that overlap the evaluation set")
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, labels in data:
        trainer.append(char_features(text), labels)
    # L1 keeps the shipped model small (most character n-grams get weight zero).
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(args.out))
    people = sum(labels.count("B") for _t, labels in data)
    print(f"trained on {len(data)} sentences, {people} names -> {args.out} "
          f"({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
