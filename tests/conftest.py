"""Shared fixtures: the seed, the demo site served on 127.0.0.1, the output schema."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.support import DEMO_SITE, ROOT, SCHEMA, SEED


def _output_files() -> set[str]:
    output = ROOT / "output"
    return {str(path.relative_to(output)) for path in output.rglob("*") if path.is_file()}


@pytest.fixture(scope="session", autouse=True)
def tests_leave_output_alone() -> Iterator[None]:
    """Tests write only under their tmp folders: output/ is a real crawl's (and the demo's)."""
    before = _output_files()
    yield
    added = sorted(_output_files() - before)
    assert not added, f"tests wrote into output/: {added[:10]}"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The real page the project was born from; tests using it skip where ../shared is absent."""
    if not SEED.exists():
        pytest.skip(f"seed not available at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_site_url() -> Iterator[str]:
    """The bundled demo site served by a real HTTP server on 127.0.0.1, once per session."""
    with serve(DEMO_SITE) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def article_schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))
