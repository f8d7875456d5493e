"""The lexicon files of parkcrawl/data, read once: whitespace-separated words under [sections]."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def read_sections(name: str) -> dict[str, list[str]]:
    """Read a whitespace-separated lexicon with ``[section]`` headers from parkcrawl/data.

    Read through importlib.resources, so the zipped Scrapyd egg finds it too."""
    text = (files("parkcrawl") / "data" / name).read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out.setdefault(current, [])
            continue
        out.setdefault(current, []).extend(line.split())
    return out
