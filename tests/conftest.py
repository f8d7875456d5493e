"""Shared fixtures: the seed, the demo site served on 127.0.0.1, the output schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from parkcrawl.devtools.demo_server import serve
from tests.support import DEMO_SITE, ROOT, SCHEMA, SEED

# A test module that starts a server, a crawl or another process is end to end (marker e2e); one
# under tests/component builds Scrapy components with get_crawler (component); the rest are pure
# unit tests (unit). `make test-fast` runs the unit and component layers.
_E2E_SIGNS = ("run_crawl", "subprocess", "FaultServer", "serve(", "demo_site_url", "redis_server",
              "Popen", "archived_crawl", "serve_cms", "hanweb_site", "tiny_site")


def _layer(module_path: Path, source: str) -> str:
    if "component" in module_path.parts:
        return "component"
    return "e2e" if any(sign in source for sign in _E2E_SIGNS) else "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    layers: dict[Path, str] = {}
    for item in items:
        path = Path(str(item.path))
        if path not in layers:
            layers[path] = _layer(path, path.read_text(encoding="utf-8"))
        item.add_marker(getattr(pytest.mark, layers[path]))


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
