"""Shared fixtures for the text tests: the seed article, read from ../shared/seed when present."""

from __future__ import annotations

from pathlib import Path

import pytest

# tests/text/conftest.py → parents[2] is the repository root; the seed lives beside it.
SEED_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"
SEED_ARTICLE = SEED_DIR / "seed-article.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_ARTICLE.is_file():
        pytest.skip("seed article not available")
    return SEED_ARTICLE.read_text("utf-8")
