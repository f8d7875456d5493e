"""One article per fault, one crawl for all: each article is captured or dropped with its reason.

The site has an article slot for every fault of the fault server; one `scrapy crawl parknews` walks
it with the default retry policy (RETRY_TIMES = 3, quick backoff). Every test below asserts the
exact outcome of its own fault: the item present, or the article named in the run report with the
reason an operator reads, counted under ``parkcrawl/dropped/<reason>``; and the process's exit status
(0: the run as a whole is fine, the failures are explained in its report).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import pytest

from parkcrawl.extensions import reason_key
from tests.faults.conftest import BACKOFF, captured, crawl, dropped, stats
from tests.faults.site import SECTION, TITLES, article_html, article_path, write_site
from tests.support import CrawlRun
from tools.fault_server import (
    Body,
    ContentType,
    Fault,
    FaultServer,
    Hang,
    Large,
    LieLength,
    Redirect,
    Reset,
    Status,
    Truncate,
    robots_disallow,
)
from tools.sitegen import tiny_png

S = SECTION


def a(n: int) -> str:
    return article_path(n)


def date(n: int) -> str:
    return f"2024-11-{28 - n:02d}"


@dataclass(frozen=True)
class Case:
    """A fault put on article slot ``n`` and the outcome it must have."""

    id: str
    n: int
    rules: dict[str, Fault]
    dropped: str | None = None  # the reason in the run report; None: the article is captured
    captured_at: str | None = None  # where the item's URL ends (after redirects); default a(n)
    pages: dict[str, str] = field(
        default_factory=dict
    )  # files written or replaced; {port} filled in


MALFORMED = (
    f"<html><head><title>{TITLES[21]}</title><body><h1>{TITLES[21]}<div class=content>"
    f"<p>　　{TITLES[21]}，确保群众温暖过冬。会议要求各单位压实责任<p>下一步，园区将持续完善工作机制"
    "<table><tr><td>"
).encode()
TITLE_ONLY = (
    f"<html><head><title>{TITLES[23]}</title></head><body><h1>{TITLES[23]}</h1></body></html>"
).encode()
# GBK bytes, no <meta> charset, and a Content-Type header that claims UTF-8.
GBK_CLAIMING_UTF8 = (
    article_html(TITLES[17], date(18), 18).replace('<meta charset="utf-8">', "").encode("gbk")
)
CHAIN = [f"{S}/chain/{i}.html" for i in range(1, 23)]  # 21 redirects: more than REDIRECT_MAX_TIMES


def refresh_to(url: str) -> str:
    return f'<html><head><meta http-equiv="refresh" content="0; url={url}"></head><body>页面跳转中</body></html>'


CASES = [
    Case("500 twice then ok", 1, {a(1): Status(500, times=2)}),
    Case("502 once then ok", 2, {a(2): Status(502, times=1)}),
    Case("503 three times (every retry) then ok", 3, {a(3): Status(503, times=3)}),
    Case("503 always", 4, {a(4): Status(503)}, dropped="status 503 after 3 retries"),
    Case("429 with Retry-After once", 5, {a(5): Status(429, retry_after="1", times=1)}),
    Case("hang past the timeout once", 6, {a(6): Hang(30, times=1)}),
    Case("hang always", 7, {a(7): Hang(30)}, dropped="timeout after 3 retries"),
    Case("connection reset once", 8, {a(8): Reset(times=1)}),
    Case("connection reset always", 9, {a(9): Reset()}, dropped="connection lost after 3 retries"),
    Case("truncated body once", 10, {a(10): Truncate(times=1)}),
    Case(
        "Content-Length that lies, always",
        11,
        {a(11): LieLength()},
        dropped="truncated response after 3 retries",
    ),
    Case(
        "301 to a new address",
        12,
        {a(12): Redirect(f"{S}/moved/a12.html", code=301)},
        captured_at=f"{S}/moved/a12.html",
        pages={f"{S}/moved/a12.html": article_html(TITLES[11], date(12), 12)},
    ),
    Case(
        "302 → 307 (absolute) → 302 chain",
        13,
        {
            a(13): Redirect(f"{S}/r/a13-1.html", code=302),
            f"{S}/r/a13-1.html": Redirect("{base}" + f"{S}/r/a13-2.html", code=307),
            f"{S}/r/a13-2.html": Redirect(f"{S}/moved/a13.html", code=302),
        },
        captured_at=f"{S}/moved/a13.html",
        pages={f"{S}/moved/a13.html": article_html(TITLES[12], date(13), 13)},
    ),
    Case(
        "redirect loop",
        14,
        {a(14): Redirect(f"{S}/loop/b.html"), f"{S}/loop/b.html": Redirect(a(14))},
        dropped="redirect loop",
    ),
    Case(
        "redirect to another host",
        15,
        {a(15): Redirect("http://localhost:{port}" + a(15))},
        dropped="redirected off site to localhost",
    ),
    Case(
        "HTML served as application/octet-stream",
        16,
        {a(16): ContentType("application/octet-stream")},
    ),
    Case("UTF-8 page served as charset=gbk", 17, {a(17): ContentType("text/html; charset=gbk")}),
    Case(
        "GBK page served as charset=utf-8",
        18,
        {a(18): Body(GBK_CLAIMING_UTF8, content_type="text/html; charset=utf-8")},
    ),
    Case("20 MB page with Content-Length", 19, {a(19): Large()}, dropped="too large"),
    Case(
        "20 MB page without Content-Length",
        20,
        {a(20): Large(declare_length=False)},
        dropped="too large",
    ),
    Case(
        "PNG bytes at an .html URL, served as text/html",
        21,
        {a(21): Body(tiny_png())},
        dropped="not HTML",
    ),
    Case("malformed HTML (unclosed tags, no </html>)", 22, {a(22): Body(MALFORMED)}),
    Case("empty HTML body, always", 23, {a(23): Body(b"")}, dropped="empty page after 3 retries"),
    Case("HTML with a title and no text", 24, {a(24): Body(TITLE_ONLY)}, dropped="no body found"),
    Case(
        "disallowed by robots.txt",
        25,
        {"/robots.txt": robots_disallow(a(25))},
        dropped="forbidden by robots.txt",
    ),
    Case(
        "redirect chain longer than REDIRECT_MAX_TIMES",
        26,
        {
            a(26): Redirect(CHAIN[0]),
            **{src: Redirect(dst) for src, dst in itertools.pairwise(CHAIN)},
        },
        dropped="too many redirects",
    ),
    Case(
        "meta refresh to another host",
        28,
        {},
        dropped="redirected off site to localhost",
        pages={a(28): refresh_to("http://localhost:{port}" + a(28))},
    ),
    Case(
        "meta refresh loop",
        29,
        {},
        dropped="redirect loop",
        pages={a(29): refresh_to(f"{S}/loop/m.html"), f"{S}/loop/m.html": refresh_to(a(29))},
    ),
    Case(
        "302 to the list page (a deleted article)",
        30,
        {a(30): Redirect(f"{S}/index.html")},
        dropped="redirected to a page already fetched",
    ),
]
N_ARTICLES = 31  # slot 31 has no fault: the control article
MISSING = f"{S}/missing.html"  # listed, never written: status 404
OFFSITE = f"{S}/offsite.html"  # listed with host "localhost": not on the site, never fetched

# What an article slot's title is when captured (the malformed page keeps the slot's title).
EXPECTED_TITLE = {n: TITLES[n - 1] for n in range(1, N_ARTICLES + 1)}


class FaultCrawl:
    def __init__(self, run: CrawlRun, server: FaultServer):
        self.run = run
        self.server = server
        self.base = server.base_url
        self.captured = captured(run, self.base)
        self.dropped = dropped(run, self.base)


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory) -> FaultCrawl:
    root = tmp_path_factory.mktemp("fault-site")
    rules: dict[str, Fault] = {}
    pages: dict[str, str] = {}
    for case in CASES:
        rules.update(case.rules)
        pages.update(case.pages)
    with FaultServer(root, rules, lifetime=240) as server:
        extra = (
            f'<li><a href="{MISSING}">园区开展冬季供暖保障检查的通知</a><span>2024-10-01</span></li>\n'
            f'<li><a href="http://localhost:{server.port}{OFFSITE}">园区开展消防安全大检查的通知</a>'
            f"<span>2024-10-02</span></li>\n"
        )
        port_filled = {
            path: text.replace("{port}", str(server.port)) for path, text in pages.items()
        }
        write_site(root, N_ARTICLES, extra_list_links=extra, pages=port_filled)
        run = crawl(tmp_path_factory.mktemp("fault-crawl"), server.base_url)
        return FaultCrawl(run, server)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault_outcome(fault_crawl: FaultCrawl, case: Case) -> None:
    run = fault_crawl.run
    assert run.returncode == 0, run.stderr[-3000:]
    if case.dropped is None:
        where = case.captured_at or a(case.n)
        assert where in fault_crawl.captured, (
            fault_crawl.dropped.get(a(case.n)),
            run.stderr[-2000:],
        )
        item = fault_crawl.captured[where]
        assert item["title"] == EXPECTED_TITLE[case.n]
        assert item["body"], "captured, so never half-empty"
        assert a(case.n) not in fault_crawl.dropped
    else:
        assert fault_crawl.dropped.get(a(case.n)) == case.dropped
        assert not any(
            a(case.n) == path or path == case.captured_at for path in fault_crawl.captured
        )


def test_dead_link_is_dropped_with_its_status(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.dropped[MISSING] == "status 404"


def test_off_site_link_on_a_list_page_is_never_requested(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.server.hits(OFFSITE) == []


def test_redirect_to_another_host_is_not_followed(fault_crawl: FaultCrawl) -> None:
    # "localhost" reaches the same server: any request the crawler made to it would show here.
    assert {h.host for h in fault_crawl.server.hits()} == {f"127.0.0.1:{fault_crawl.server.port}"}


def test_control_article_is_captured(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.captured[a(N_ARTICLES)]["title"] == TITLES[N_ARTICLES - 1]


def test_every_listed_article_is_captured_or_named(fault_crawl: FaultCrawl) -> None:
    moved = {c.captured_at: a(c.n) for c in CASES if c.captured_at}
    captured_slots = {moved.get(path, path) for path in fault_crawl.captured}
    assert captured_slots.isdisjoint(fault_crawl.dropped)
    listed = {a(n) for n in range(1, N_ARTICLES + 1)} | {MISSING}
    assert captured_slots | set(fault_crawl.dropped) == listed


def test_each_reason_is_counted_in_report_and_stats(fault_crawl: FaultCrawl) -> None:
    expected = Counter(c.dropped for c in CASES if c.dropped) + Counter({"status 404": 1})
    assert fault_crawl.run.report["dropped_by_reason"] == dict(expected)
    counted = {
        key.removeprefix("parkcrawl/dropped/"): int(value)
        for key, value in stats(fault_crawl.run).items()
        if key.startswith("parkcrawl/dropped/")
    }
    assert counted == {reason_key(reason): n for reason, n in expected.items()}


def test_retries_back_off(fault_crawl: FaultCrawl) -> None:
    # 503 on every attempt: the first request and 3 retries, waiting at least 0.1, 0.2, 0.4 s.
    hits = fault_crawl.server.hits(a(4))
    assert [h.attempt for h in hits] == [1, 2, 3, 4]
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(hits)]
    assert all(gap >= wait for gap, wait in zip(gaps, BACKOFF)), gaps


def test_retry_after_is_honoured(fault_crawl: FaultCrawl) -> None:
    first, second = fault_crawl.server.hits(a(5))
    assert second.at - first.at >= 1.0  # Retry-After: 1 (longer than the 0.1 s backoff)
    assert stats(fault_crawl.run)["parkcrawl/retry/retry_after"] == 1


def test_permanent_failures_are_tried_exactly_once_plus_retries(fault_crawl: FaultCrawl) -> None:
    server = fault_crawl.server
    # Retried: transient kinds. Not retried: a decided answer (404, too large, not HTML, robots).
    assert len(server.hits(a(7))) == 4
    assert len(server.hits(a(9))) == 4
    assert len(server.hits(a(23))) == 4
    assert len(server.hits(MISSING)) == 1
    assert len(server.hits(a(19))) == 1
    assert len(server.hits(a(21))) == 1
    assert server.hits(a(25)) == []  # robots.txt forbids it: never requested


def test_gbk_page_with_a_lying_header_is_decoded_right(fault_crawl: FaultCrawl) -> None:
    item = fault_crawl.captured[a(18)]
    assert item["encoding"] == "gb18030"
    assert item["body"].startswith(TITLES[17] + "。会议由园区管委会主任主持")
