"""pywb (from PyPI, in its own venv) replays the crawl's WARC on 127.0.0.1.

The venv is `.venv-pywb`, made by `make pywb-venv` (created here when absent). pywb cannot live
in .venv: every pywb 2.8.4-2.10.0 pins redis==2.10.6.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.archive.conftest import ArchivedCrawl
from tests.support import DEMO_SITE, ROOT

PYWB_VENV = ROOT / ".venv-pywb"
STAMP = PYWB_VENV / ".installed-stamp"
READY_WITHIN_S = 60  # a readiness bound for the server start, not a timing assertion

# A UTF-8 article, and a GBK one (declared gb2312; its bytes must come back unchanged).
UTF8_ARTICLE = ("/dtyw/yqxx/202410/t20241016_10220.html", "园区举办科技创新政策宣讲会")
GBK_ARTICLE = "/dtyw/yqxx/202412/t20241213_10245.html"


def _pip_failed() -> bool:
    """The venv was made but pywb is not in it: pip could not get it (no index, no wheel)."""
    return (PYWB_VENV / "bin" / "python").exists() and not (PYWB_VENV / "bin" / "wayback").exists()


@pytest.fixture(scope="session")
def pywb_bin() -> Path:
    """The pywb venv's bin folder, built with the Makefile's recipe if absent."""
    if not STAMP.exists():
        if shutil.which("make"):
            cmd = ["make", "pywb-venv"]
        else:
            recipe = (
                "python3 -m venv .venv-pywb && .venv-pywb/bin/python -m pip install --quiet "
                "'pywb==2.10.0' && echo '*' > .venv-pywb/.gitignore && "
                "touch .venv-pywb/.installed-stamp"
            )
            cmd = ["sh", "-c", recipe]
        proc = subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            if _pip_failed():
                pytest.skip(f"pip could not install pywb==2.10.0: {proc.stderr.strip()[-500:]}")
            pytest.fail(f"could not create .venv-pywb: {proc.stdout[-1000:]}{proc.stderr[-1000:]}")
    return PYWB_VENV / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def collections(
    pywb_bin: Path, archived_crawl: ArchivedCrawl, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Two collections: `built` indexed by wb-manager, `ours` served from our own CDXJ index."""
    root = tmp_path_factory.mktemp("pywb")
    for name in ("built", "ours"):
        proc = subprocess.run([str(pywb_bin / "wb-manager"), "init", name], cwd=root,
                              check=False, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(pywb_bin / "wb-manager"), "add", "built", *map(str, archived_crawl.warcs)],
        cwd=root, check=False, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    ours = root / "collections" / "ours"
    for warc in archived_crawl.warcs:
        shutil.copy(warc, ours / "archive" / warc.name)
        cdxj = warc.with_name(warc.name.replace(".warc.gz", ".cdxj"))
        shutil.copy(cdxj, ours / "indexes" / cdxj.name)
    return root


@pytest.fixture(scope="module")
def wayback(pywb_bin: Path, collections: Path) -> Iterator[str]:
    """`wayback` on 127.0.0.1 (it listens on 0.0.0.0 unless told), stopped after the module."""
    port = free_port()
    log = open(collections / "wayback.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(pywb_bin / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
        cwd=collections, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while True:
            if proc.poll() is not None:
                pytest.fail("wayback exited: " + (collections / "wayback.log").read_text()[-2000:])
            try:
                if fetch(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("wayback did not answer: " + (collections / "wayback.log").read_text()[-2000:])
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.parametrize("collection", ["built", "ours"])
def test_pywb_replays_an_archived_article(
    wayback: str, archived_crawl: ArchivedCrawl, collection: str
) -> None:
    path, title = UTF8_ARTICLE
    original = archived_crawl.base_url + path
    # mp_: the page as a browser gets it inside pywb's frame (links rewritten)
    status, body = fetch(f"{wayback}/{collection}/mp_/{original}")
    assert status == 200
    assert title in body.decode("utf-8")
    # id_: the archived bytes, unrewritten
    status, body = fetch(f"{wayback}/{collection}/id_/{original}")
    assert status == 200
    assert body == (DEMO_SITE / path.lstrip("/")).read_bytes()


def test_pywb_replays_a_gbk_article_byte_exact(wayback: str, archived_crawl: ArchivedCrawl) -> None:
    status, body = fetch(f"{wayback}/built/id_/{archived_crawl.base_url}{GBK_ARTICLE}")
    assert status == 200
    assert body == (DEMO_SITE / GBK_ARTICLE.lstrip("/")).read_bytes()


@pytest.mark.parametrize("collection", ["built", "ours"])
def test_pywb_resolves_a_revisit_to_the_original_payload(
    wayback: str, archived_crawl: ArchivedCrawl, collection: str
) -> None:
    # 5 identical PNGs were fetched: 4 are revisit records, all must replay with the bytes
    for name in ("202410/p20241023_01.png", "202411/p20241113_01.png", "202411/p20241127_01.png",
                 "202412/p20241213_01.png", "202412/p20241220_01.png"):
        url = f"{wayback}/{collection}/id_/{archived_crawl.base_url}/uploads/images/{name}"
        status, body = fetch(url)
        assert status == 200, name
        assert body == (DEMO_SITE / "uploads" / "images" / name).read_bytes(), name


def test_our_cdxj_index_matches_pywbs(collections: Path, archived_crawl: ArchivedCrawl) -> None:
    def entries(path: Path) -> set[tuple[str, str, str]]:
        out = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            key, timestamp, body = line.split(" ", 2)
            entry = json.loads(body)
            # cdxj-indexer's two differences from pywb's own indexer (parkcrawl/archive/cdxj.py)
            entry["digest"] = entry["digest"].removeprefix("sha1:")
            if entry["mime"] == "warc/revisit":
                entry.pop("status", None)
            out.add((key, timestamp, json.dumps(entry, sort_keys=True)))
        return out

    pywb_index = entries(collections / "collections" / "built" / "indexes" / "index.cdxj")
    ours = set().union(*(
        entries(w.with_name(w.name.replace(".warc.gz", ".cdxj"))) for w in archived_crawl.warcs
    ))
    assert ours == pywb_index
