"""Content fingerprints used for deduplication and change detection."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_IGNORED = re.compile(r"\s+")


def normalize_for_hash(title: str, body: str) -> str:
    """NFKC, whitespace removed: layout changes must not look like edits."""
    text = unicodedata.normalize("NFKC", f"{title}\n{body}")
    return _IGNORED.sub("", text)


def content_hash(title: str, body: str) -> str:
    """SHA-256 hex digest of the normalized title and body."""
    return hashlib.sha256(normalize_for_hash(title, body).encode("utf-8")).hexdigest()
