"""ReplayWeb.page opens the WACZ a crawl wrote: its pages list and an article replayed, in Chromium.

ReplayWeb.page (the npm package ``replaywebpage``, fetched with ``npm pack`` into the git-ignored
``.cache/replaywebpage``) is served on 127.0.0.1 with the WACZ: ``index.html`` embeds the
``<replay-web-page>`` component (``ui.js``); its service worker (``replay/sw.js``, the same origin:
browsers allow service workers on 127.0.0.1 over plain HTTP) serves the replay iframe, which loads
``replay/ui.js``. ``replay/index.html`` is the page the service worker serves as that iframe, for
the first load, which may reach the server before the new worker controls the page. Debian's ``chromium`` runs headless, driven by Playwright through
``executable_path``. Skipped when chromium or npm is absent — except under ``CI=true``, where
that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.archive.conftest import WaczCrawl
from tests.archive.demo_articles import DEMO_ARTICLES
from tests.support import ROOT

REPLAYWEBPAGE = "replaywebpage@2.5.3"
CACHE = ROOT / ".cache" / "replaywebpage"
PACKAGE = CACHE / "package"
# Readiness bounds for Playwright's waits (the WACZ loads in about a second), not timing checks.
WAIT_MS = 60_000
# Every request Chromium makes for a host other than 127.0.0.1 goes to a closed proxy port, and
# every host name but 127.0.0.1 fails to resolve: nothing can leave the machine.
NO_NETWORK = [
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

UTF8_ARTICLE = (
    "/dtyw/yqxx/202410/t20241016_10220.html",
    "园区举办科技创新政策宣讲会_苏锡通科技产业园区",
    "10月16日，园区举办科技创新政策宣讲会，解读高新技术企业认定、研发费用加计扣除、科技型中小企业评价等"
    "政策，园区70余家企业参加。",
)
# Declared gb2312; its picture is a revisit record of an identical PNG fetched earlier.
GBK_ARTICLE = (
    "/dtyw/yqxx/202412/t20241213_10245.html",
    "园区与瀚海智能装备签约高端装备制造项目_苏锡通科技产业园区",
    "12月13日，园区与南通瀚海智能装备有限公司举行高端装备制造项目签约仪式。园区管委会副主任李喆与企业代表"
    "签署投资协议，园区投资促进局局长冯志远主持签约仪式。",
)


def unavailable(reason: str) -> None:
    """Skip the module, or fail it under CI=true, where Chromium and npm are installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the ReplayWeb.page test must run, not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        unavailable("no chromium on PATH (Debian: apt-get install -y chromium)")
    assert path is not None
    return path


@pytest.fixture(scope="module")
def replaywebpage() -> Path:
    """ReplayWeb.page's built files (ui.js, sw.js), fetched once into .cache/replaywebpage."""
    if not (PACKAGE / "sw.js").is_file():
        npm = shutil.which("npm")
        if npm is None:
            unavailable(f"no npm on PATH to fetch {REPLAYWEBPAGE}")
        CACHE.mkdir(parents=True, exist_ok=True)
        # `npm pack`, not `npm install`: ui.js and sw.js are built bundles that need none of the
        # package's (many) dependencies.
        proc = subprocess.run(
            [str(npm), "pack", REPLAYWEBPAGE, "--pack-destination", str(CACHE)],
            check=False, capture_output=True, text=True, timeout=600,
        )
        if proc.returncode != 0:
            unavailable(f"npm pack {REPLAYWEBPAGE} failed: {proc.stderr.strip()[-500:]}")
        tarball = CACHE / proc.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(CACHE, filter="data")
        tarball.unlink()
    return PACKAGE


REPLAY_INDEX = (
    '<!doctype html>\n<html><head><script src="./ui.js"></script></head>\n'
    "<body><replay-app-main></replay-app-main></body></html>\n"
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client stops reading the WACZ once it has what it needs (a broken pipe)


@pytest.fixture(scope="module")
def replay_site(
    replaywebpage: Path, wacz_crawl: WaczCrawl, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """index.html, ui.js, replay/{sw,ui}.js and the crawl's WACZ, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("replayweb")
    (root / "replay").mkdir()
    shutil.copy(replaywebpage / "ui.js", root / "ui.js")
    shutil.copy(replaywebpage / "ui.js", root / "replay" / "ui.js")
    shutil.copy(replaywebpage / "sw.js", root / "replay" / "sw.js")
    (root / "replay" / "index.html").write_text(REPLAY_INDEX, encoding="utf-8")
    shutil.copy(wacz_crawl.wacz, root / "demo.wacz")
    (root / "index.html").write_text(
        '<!doctype html>\n<html><head><meta charset="utf-8"><script src="/ui.js"></script>'
        '</head>\n<body style="margin:0">\n<replay-web-page source="/demo.wacz" '
        'replayBase="/replay/" view="pages" embed="full" style="height:100vh">'
        "</replay-web-page>\n</body></html>\n",
        encoding="utf-8",
    )
    # http.server answers no Range requests: wabac then reads the whole (small) WACZ.
    server = QuietServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    # root cannot run Chromium's sandbox
    args = [*NO_NETWORK, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def app(browser: Any, replay_site: str) -> Iterator[Any]:
    """ReplayWeb.page's app frame, its pages list loaded; checks no request left 127.0.0.1."""
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(f"{replay_site}/index.html")
    # Playwright's CSS selectors pierce open shadow roots: <replay-web-page> → its iframe
    frame = page.frame_locator("replay-web-page iframe")
    frame.locator("text=29 pages").wait_for(timeout=WAIT_MS)
    try:
        yield frame
    finally:
        context.close()
    hosts = {urlsplit(url).hostname for url in requested if url.startswith(("http:", "https:"))}
    assert hosts == {"127.0.0.1"}


def test_the_pages_list_shows_every_articles_title(app: Any) -> None:
    titles = app.locator("wr-page-entry .page-title keyword-mark").all_text_contents()
    assert sorted(titles) == sorted(title for title, _ in DEMO_ARTICLES.values())


@pytest.mark.parametrize("article", [UTF8_ARTICLE, GBK_ARTICLE], ids=["utf8", "gbk"])
def test_opening_an_article_replays_its_title_and_first_paragraph(
    app: Any, article: tuple[str, str, str]
) -> None:
    path, page_title, first_paragraph = article
    listed_title = DEMO_ARTICLES[path][0]
    app.locator("wr-page-entry .page-title").filter(has_text=listed_title).click()
    # the replayed page: <wr-coll-replay>'s iframe inside the app frame
    replay = app.frame_locator("wr-coll-replay iframe.iframe-main")
    heading = replay.locator("h1.title")
    heading.wait_for(timeout=WAIT_MS)
    assert heading.text_content() == listed_title
    assert replay.locator("title").text_content() == page_title
    assert replay.locator("#zoom p").first.text_content().strip() == first_paragraph
    if article is GBK_ARTICLE:
        picture = replay.locator("#zoom img").first
        picture.wait_for(timeout=WAIT_MS)
        # the revisit record resolves to the original PNG: the image decodes (it is 1×1)
        assert picture.evaluate(
            "img => img.decode().then(() => img.naturalWidth)", timeout=WAIT_MS
        ) > 0
