"""Decode a page's bytes to text, deciding the encoding from the bytes and its declarations.

CONTRACT: decode_html(body: bytes, content_type: str | None = None) -> Decoded(text, encoding).
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from parkcrawl.text.mojibake import repair_mojibake
from parkcrawl.text.script import CJK_CLASS

__all__ = ["Decoded", "decode_html", "repair_mojibake"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decoded:
    """A page's text and the codec (lowercase Python name) it was decoded with."""

    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
META_SCAN_BYTES = 4096
COMMON_HANZI_FILE = "text_common_hanzi.txt"

# Labels Python does not know, or knows under a name that is not what browsers mean.
_ALIASES = {
    "x-gbk": "gbk", "x-gb2312": "gb2312", "gb_2312-80": "gb2312", "cp936": "gbk",
    "x-big5": "big5", "big5-hkscs": "big5hkscs", "unicode-1-1-utf-8": "utf-8", "utf8mb4": "utf-8",
    # WHATWG: latin-1 and ascii labels mean windows-1252
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252",
}
GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "euc_cn", "euc-cn"})
# Declarations servers send by default; a page's other declaration, if any, is tried first.
_WEAK = frozenset({"cp1252"})
# Python codecs that are no character encoding of the web: a page "declaring" one is ignored, as
# browsers ignore unknown labels (punycode raised, unicode-escape rewrote backslashes).
_NOT_WEB = frozenset({"utf-7", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
# Private-use characters (gb18030 maps unassigned GBK codes there) and C1 controls.
_JUNK_RE = re.compile("[\ue000-\uf8ff\u0080-\u009f]")
# Below this share of common characters a text of at least PLAUSIBLE_MIN_CJK ideographs is
# gibberish (Big5 read as GBK scores ≈ 0.1, real prose ≈ 0.6–0.9).
PLAUSIBLE_SHARE = 0.35
PLAUSIBLE_MIN_CJK = 20


def normalize_encoding(label: str | None) -> str | None:
    """A charset label as a lowercase Python codec name, GB family → gb18030; None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    if label.startswith(("utf-16", "utf-32", "utf16", "utf32")):
        return "utf-8"  # a meta claiming UTF-16 without a BOM means UTF-8 (WHATWG)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _ALIASES.get(name, name)
    if name in GB_FAMILY:
        return "gb18030"
    return None if name in _NOT_WEB else name


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """The most frequent hanzi in Simplified and Traditional form (package data)."""
    # importlib.resources, not Path(__file__): a Scrapyd egg runs zipped.
    raw = (files("parkcrawl") / "data" / COMMON_HANZI_FILE).read_text(encoding="utf-8")
    chars = {c for line in raw.splitlines() if not line.startswith("#") for c in line.strip()}
    import opencc

    trad = opencc.OpenCC("s2t").convert("".join(sorted(chars)))
    return frozenset(chars | set(trad))


def plausibility(text: str) -> tuple[int, float]:
    """(number of ideographs, share of them that are common) over the first 20,000 characters."""
    sample = text[:20000]
    ideographs = _CJK_RE.findall(sample)
    if not ideographs:
        return 0, 1.0
    common = common_hanzi()
    hits = sum(map(common.__contains__, ideographs))
    share = hits / len(ideographs)
    junk = len(_JUNK_RE.findall(sample))
    if junk:
        share -= junk / len(ideographs)
    return len(ideographs), share


def _plausible(text: str) -> bool:
    n, share = plausibility(text)
    if _JUNK_RE.search(text[:20000]) and n < PLAUSIBLE_MIN_CJK:
        return False
    return n < PLAUSIBLE_MIN_CJK or share >= PLAUSIBLE_SHARE


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeError, LookupError):  # UnicodeError: some codecs raise it, not the subclass
        return None


# Old GB and Big5 pages cut link texts to a byte count, splitting the last character ("标题…"
# with half a character before the dots): a handful of broken sequences in a page of thousands.
# Strict decoding then fails and a detector's single-byte guess (Cyrillic mojibake) wins, so
# the multibyte candidates are also tried leniently when the broken sequences are this rare.
LENIENT_MAX_BROKEN = 4
_MULTIBYTE_CJK = frozenset({"gb18030", "big5", "big5hkscs"})
LENIENT_CHARS_PER_BROKEN = 5000


def _lenient(body: bytes, encoding: str) -> str | None:
    """The body decoded with replacement characters, if only a few sequences are broken."""
    text = body.decode(encoding, errors="replace")
    broken = text.count("\ufffd")
    return text if broken <= max(LENIENT_MAX_BROKEN, len(text) // LENIENT_CHARS_PER_BROKEN) else None


def _is_utf8(body: bytes) -> str | None:
    """The body as UTF-8 if it decodes strictly and is not plain ASCII."""
    if body.isascii():
        return None
    return _strict(body, "utf-8")


def _declared(body: bytes, content_type: str | None) -> list[str]:
    labels: list[str | None] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        labels.append(m.group(1) if m else None)
    m = _META_CHARSET.search(body[:META_SCAN_BYTES])
    labels.append(m.group(1).decode("ascii", "replace") if m else None)
    out: list[str] = []
    for label in labels:
        enc = normalize_encoding(label)
        if enc and enc not in out:
            out.append(enc)
    return [e for e in out if e not in _WEAK] + [e for e in out if e in _WEAK]


def _decode_declared(body: bytes, enc: str) -> Decoded | None:
    if enc in ("gb18030", "cp1252"):
        # A GB- or latin-declared page whose bytes are valid UTF-8 is UTF-8 (templates lie).
        text = _is_utf8(body)
        if text is not None:
            return Decoded(text, "utf-8")
    if enc == "big5":
        for variant in ("big5", "cp950", "big5hkscs"):
            text = _strict(body, variant)
            if text is not None and _plausible(text):
                return Decoded(text, variant)
        return None
    text = _strict(body, enc)
    if text is not None and enc == "utf-8":
        # Strictly valid UTF-8 is UTF-8: other encodings' bytes almost never pass that test.
        return Decoded(text, enc)
    if text is not None and _plausible(text):
        return Decoded(text, enc)
    return None


def _detect(body: bytes) -> Decoded:
    """Undeclared (or declared wrongly): strict UTF-8, then charset-normalizer checked against GB/Big5."""
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is not None:
            enc = normalize_encoding(best.encoding)
            if enc:
                candidates.append(enc)
    except Exception:  # noqa: BLE001 — detection must never break decoding
        pass
    for enc in ("gb18030", "big5", "big5hkscs"):
        if enc not in candidates:
            candidates.append(enc)
    scored: list[tuple[float, int, str, str]] = []
    for order, enc in enumerate(candidates):
        text = _strict(body, enc)
        if text is None and enc in _MULTIBYTE_CJK:
            # only a plausible reading: broken UTF-8 read as GB would pass the count too
            text = _lenient(body, enc)
            text = text if text is not None and _plausible(text) else None
        if text is None:
            continue
        n, share = plausibility(text)
        # with few ideographs the detector's choice stands; otherwise the most plausible wins
        score = share if n >= 4 else -1.0
        scored.append((score, -order, enc, text))
    if scored:
        scored.sort(reverse=True)
        _score, _order, enc, text = scored[0]
        return Decoded(text, enc)
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8")


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page: BOM, then HTTP/meta declarations (GB → gb18030, UTF-8 if valid), then detection.

    Never raises; the worst case is UTF-8 with replacement characters.
    """
    try:
        if not body:
            return Decoded("", "utf-8")
        for bom, enc in _BOMS:
            if body.startswith(bom):
                return Decoded(body[len(bom):].decode(enc, errors="replace"), enc)
        for enc in _declared(body, content_type):
            decoded = _decode_declared(body, enc)
            if decoded is not None:
                return decoded
        return _detect(body)
    except Exception:  # noqa: BLE001 — the contract: never raise, but never hide a bug either
        logger.exception("decode_html failed; falling back to UTF-8 with replacement characters")
        return Decoded(body.decode("utf-8", errors="replace"), "utf-8")
