"""One demo crawl with the archive on (WARC into tmp, mirror on), shared by the archive tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import CrawlRun, run_crawl


@dataclass
class ArchivedCrawl:
    run: CrawlRun
    base_url: str
    warc_dir: Path
    mirror_dir: Path

    @property
    def warcs(self) -> list[Path]:
        return sorted(self.warc_dir.glob("*.warc.gz"))


@pytest.fixture(scope="session")
def archived_crawl(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> ArchivedCrawl:
    tmp = tmp_path_factory.mktemp("archive")
    warc_dir, mirror_dir = tmp / "warc", tmp / "mirror"
    run = run_crawl(
        tmp, "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_WARC_DIR={warc_dir}",
        "-s", "PARKCRAWL_MIRROR_ENABLED=True",
        "-s", f"PARKCRAWL_MIRROR_DIR={mirror_dir}",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return ArchivedCrawl(run, demo_site_url, warc_dir, mirror_dir)


@dataclass
class WaczCrawl:
    run: CrawlRun
    base_url: str
    warc_dir: Path
    feed: Path

    @property
    def wacz(self) -> Path:
        [path] = sorted(self.warc_dir.glob("*.wacz"))
        return path


@pytest.fixture(scope="session")
def wacz_crawl(demo_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> WaczCrawl:
    """A demo crawl with PARKCRAWL_WACZ_ENABLED: a WACZ file beside its WARC files."""
    tmp = tmp_path_factory.mktemp("wacz")
    warc_dir = tmp / "warc"
    run = run_crawl(
        tmp, "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_WARC_DIR={warc_dir}",
        "-s", "PARKCRAWL_WACZ_ENABLED=True",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return WaczCrawl(run, demo_site_url, warc_dir, tmp / "out.jsonl")
