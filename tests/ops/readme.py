"""The README's code blocks and the markers that say which test runs them.

A fenced block of commands or code (``sh``, ``bash``, ``console``, ``python``) carries an HTML
comment on the line before its fence:

- ``<!-- tested -->``: tests/ops/test_readme_commands.py runs each command and checks its output;
- ``<!-- tested: NAME -->``: the test named NAME runs it (``scrapyd``, ``duckdb``, ``systemd``…);
- ``<!-- untested: REASON -->``: not run, e.g. it needs the internet.

Blocks of other languages (``ini``, ``text``, none) are content; they may carry a marker too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

COMMAND_LANGUAGES = frozenset({"sh", "bash", "console", "shell", "python", "py"})
MARKER = re.compile(r"^<!--\s*(tested|untested)\s*(?::\s*(.*?))?\s*-->$")
FENCE = re.compile(r"^(```+)\s*([\w.+-]*)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block of the README."""

    line: int  # 1-based line of the opening fence
    language: str
    text: str
    marker: str | None  # "tested", "untested" or None
    detail: str | None  # the NAME of tested: NAME, the REASON of untested: REASON

    @property
    def runs_commands(self) -> bool:
        return self.language in COMMAND_LANGUAGES

    def commands(self) -> list[str]:
        """Shell commands: continuation lines joined, blank lines and comment lines dropped."""
        commands: list[str] = []
        pending = ""
        for raw in self.text.splitlines():
            line = raw.rstrip()
            if pending:
                line = pending + " " + line.strip()
                pending = ""
            if line.endswith("\\"):
                pending = line[:-1].rstrip()
                continue
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                commands.append(stripped)
        if pending:
            commands.append(pending.strip())
        return commands


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with the marker on the line before it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, language = match.group(1), match.group(2).lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        marker = detail = None
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0:
            m = MARKER.match(lines[before].strip())
            if m:
                marker, detail = m.group(1), m.group(2) or None
        found.append(Block(start + 1, language, "\n".join(body), marker, detail))
    return found


def named(path: Path, name: str) -> list[Block]:
    """The blocks marked ``<!-- tested: NAME -->``."""
    return [b for b in blocks(path) if b.marker == "tested" and b.detail == name]
