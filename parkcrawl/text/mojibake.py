"""Repair UTF-8 text that was decoded as GBK/GB18030 or cp1252/latin-1 somewhere upstream.

``鑻忛敗閫氬洯鍖�`` is 苏锡通园区 in UTF-8 read as GBK (the last byte of 区 was lost, hence the
replacement character). A run is repaired only when its re-encoded bytes decode strictly as
UTF-8 to plausible CJK text; merely unusual text is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from parkcrawl.text.script import CJK_CLASS

# A run of non-ASCII characters (GBK mojibake of UTF-8 contains no ASCII unless a stray byte
# merged with it, and then the merged pair is itself a non-ASCII character). Replacement
# characters inside a run mark bytes the upstream decoder threw away.
_GB_RUN = re.compile(r"[^\x00-\x7f]{2,}")
# cp1252 characters outside latin-1, by byte.
_CP1252_SPECIAL = {
    "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88,
    "‰": 0x89, "Š": 0x8A, "‹": 0x8B, "Œ": 0x8C, "Ž": 0x8E, "‘": 0x91, "’": 0x92, "“": 0x93,
    "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9A, "›": 0x9B,
    "œ": 0x9C, "ž": 0x9E, "Ÿ": 0x9F,
}
_LATIN_RUN = re.compile("[\u0080-\u00ff\ufffd" + "".join(_CP1252_SPECIAL) + "]{2,}")
# What a repaired run may contain: ideographs, CJK and full-width punctuation, general
# punctuation, printable ASCII, the middle dot.
_PLAUSIBLE = re.compile(
    f"[{CJK_CLASS}\u3000-\u303f\uff00-\uffef\u2010-\u206f\u00b7\u0020-\u007e]+"
)
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_REPLACEMENT = "\ufffd"


def _decode_utf8(raw: bytes, followed_by_loss: bool) -> str | None:
    """Strict UTF-8, allowing a final sequence cut short where the upstream decoder lost bytes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if followed_by_loss and exc.reason == "unexpected end of data":
            try:
                return raw[: exc.start].decode("utf-8") + _REPLACEMENT
            except UnicodeDecodeError:
                return None
        return None


def _plausible(repaired: str) -> bool:
    return _PLAUSIBLE.fullmatch(repaired.replace(_REPLACEMENT, "") or " ") is not None


def _ideographs_ok(repaired: str, min_cjk: int) -> bool:
    ideographs = _CJK_RE.findall(repaired)
    if len(ideographs) < min_cjk:
        return False
    try:  # a Simplified or Traditional original is GBK-encodable; mojibake of mojibake is not
        "".join(ideographs).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _gb_bytes(seg: str) -> bytes | None:
    try:
        return seg.encode("gb18030")
    except UnicodeEncodeError:
        return None


def _latin_bytes(seg: str) -> bytes | None:
    return bytes(_CP1252_SPECIAL.get(c, ord(c)) for c in seg)


def _repair_run(run: str, to_bytes: Callable[[str], bytes | None], min_cjk: int) -> str:
    """Repair the segments of a run between replacement characters; keep the run unless certain.

    Each segment must decode on its own (its first bytes may be the tail of a character the
    upstream decoder damaged, its last bytes a truncated character); the repaired run must hold
    at least ``min_cjk`` ideographs.
    """
    segments = run.split(_REPLACEMENT)
    out: list[str] = []
    repaired_any = False
    consumed_next = False  # the previous segment's truncated tail stands for this separator
    for i, seg in enumerate(segments):
        preceded = i > 0
        followed = i < len(segments) - 1
        if preceded and not consumed_next:
            out.append(_REPLACEMENT)
        consumed_next = False
        raw = to_bytes(seg) if seg else None
        fixed = None
        if raw:
            if preceded:  # continuation bytes of a character whose lead bytes were lost
                raw = raw.lstrip(_CONTINUATION)
            if not raw:
                fixed = ""
            elif raw[0] >= 0xC2:  # a UTF-8 lead byte
                decoded = _decode_utf8(raw, followed)
                if decoded is not None and decoded != seg and _plausible(decoded):
                    fixed = decoded
        if fixed is None:
            out.append(seg)
        else:
            repaired_any = repaired_any or fixed != seg
            out.append(fixed)
            consumed_next = fixed.endswith(_REPLACEMENT) and followed
    if not repaired_any:
        return run
    result = "".join(out)
    return result if _ideographs_ok(result, min_cjk) else run


_CONTINUATION = bytes(range(0x80, 0xC0))


def _gb_tells() -> str:
    """GBK characters made of a UTF-8 lead byte (E2–EF) and a continuation byte (80–BF)."""
    out = []
    for lead in range(0xE2, 0xF0):
        for trail in range(0x80, 0xC0):
            try:
                out.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


# Cheap screens that run over every text. In GBK mojibake of UTF-8 every other character of
# the original starts a GBK pair of (lead, continuation), so such a "tell" character recurs
# every third character; Traditional text contains a few tells (鏈, 鎮) but not in that rhythm.
# In cp1252 mojibake a lead byte (Â–ô) is followed by a continuation byte.
_TELLS = _gb_tells()
_LATIN_CONT = "\u0080-\u00bf\ufffd" + "".join(_CP1252_SPECIAL)
# One scan for both (a shared first-character class keeps the regex engine's fast skip).
# The screen's two parts are public so that clean.py can fold them into its one scan of a page.
# The GBK part and the cp1252 part apart too, for text full of toned pinyin (the residue of an
# annotated page, where every "á" or "è" is a cp1252 lead and each failed try costs more than a
# skipped character): the cp1252 part is then found by its continuation, rarer there (issue 16).
SCREEN_GB_FIRST = _TELLS
SCREEN_GB_TAIL = f"(?<=[{_TELLS}])(?:[^\\x00-\\x7f]{{2}}[{_TELLS}]|[^\\x00-\\x7f]?\ufffd)"
SCREEN_LATIN = f"[{_LATIN_CONT}](?<=[\u00c2-\u00f4][{_LATIN_CONT}])"
SCREEN_FIRST = f"{_TELLS}\u00c2-\u00f4"
SCREEN_TAIL = f"(?<=[\u00c2-\u00f4])[{_LATIN_CONT}]|{SCREEN_GB_TAIL}"
_SCREEN = re.compile(f"[{SCREEN_FIRST}](?:{SCREEN_TAIL})")


def repair_mojibake(text: str) -> str:
    """Turn UTF-8 mis-decoded as GBK/GB18030 or cp1252/latin-1 back into text, only where certain."""
    if text.isascii():
        return text
    if not _SCREEN.search(text):
        return text
    repaired = _LATIN_RUN.sub(lambda m: _repair_run(m.group(), _latin_bytes, 1), text)
    return _GB_RUN.sub(lambda m: _repair_run(m.group(), _gb_bytes, 2), repaired)
