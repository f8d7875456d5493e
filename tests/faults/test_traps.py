"""Crawler traps and pathological pages: every one is stopped by the defaults, and the run says so.

A walk a cap cuts (PARKCRAWL_MAX_LIST_PAGES, PARKCRAWL_MAX_URL_VARIANTS, Scrapy's DEPTH_LIMIT) is
reported — ``walk_complete: false``, a ``walk cut:`` line, exit status 1 — and is not recorded as
complete, so the next incremental run reads every list page again. Caps are made tiny with -s
where the default would only make the test slower; the defaults themselves are asserted apart.
"""

from __future__ import annotations

from pathlib import Path

from parkcrawl import settings
from tests.faults import traps
from tests.faults.conftest import captured, crawl, dropped, last_line, stats
from tests.faults.site import SECTION, TITLES, article_path, list_path, write_site
from tests.support import CrawlRun
from tools.fault_server import Body, Fault, FaultServer

LIST_1 = list_path(1)


def crawl_trap(
    tmp_path: Path, n_articles: int, rules: dict[str, Fault], *args: str, runs: int = 1
) -> tuple[list[CrawlRun], FaultServer]:
    """Crawl the site of ``n_articles`` with ``rules`` laid over it, ``runs`` times (one state)."""
    root = tmp_path / "site"
    with FaultServer(root, rules, lifetime=150) as server:
        write_site(root, n_articles)
        done = [crawl(tmp_path / "job", server.base_url, *args, timeout=120) for _ in range(runs)]
    return done, server


def list_hits(server: FaultServer) -> list[str]:
    """List-page requests the server received (path and query), in arrival order."""
    return [
        h.path + (f"?{h.query}" if h.query else "")
        for h in server.hits()
        if h.path.startswith(SECTION) and "index" in h.path
    ]


def first(n: int) -> list[traps.ArticlePage]:
    return [traps.ArticlePage(article_path(i), TITLES[i - 1], f"2024-11-{28 - i:02d}") for i in range(1, n + 1)]


def test_default_caps_are_sized_for_real_sites() -> None:
    # Thousands of list pages per section; 50 barren variants of one path; markup limits far above
    # the real pages measured (35 attributes, 913 elements, depth 16 at most).
    assert settings.PARKCRAWL_MAX_LIST_PAGES == 5000
    assert settings.PARKCRAWL_MAX_URL_VARIANTS == 50
    assert settings.PARKCRAWL_MAX_ATTRIBUTES == 1000
    assert settings.PARKCRAWL_MAX_ELEMENTS == 50_000
    assert settings.PARKCRAWL_MAX_NESTING_DEPTH == 500


def test_endless_pager_is_cut_at_the_list_page_cap_and_said_so(tmp_path: Path) -> None:
    (run,), server = crawl_trap(
        tmp_path, 3, traps.endless_pager(first(3)), "-s", "PARKCRAWL_MAX_LIST_PAGES=6"
    )
    assert run.returncode == 1, run.stderr[-3000:]
    reason = "list page cap 6 reached (PARKCRAWL_MAX_LIST_PAGES) in section 动态要闻/园区信息"
    assert last_line(run) == f"parknews: FAILED: walk cut: {reason}: articles beyond it may be missing"
    assert run.report["walk_complete"] is False
    assert run.report["walk_cut"] == [reason]
    assert f"walk cut: {reason}" in run.stderr
    # Page 1 and generated pages 2..6; what they list is captured.
    assert list_hits(server) == [LIST_1] + [f"{SECTION}/index_{n}.html" for n in range(1, 6)]
    assert sorted(captured(run, server.base_url)) == sorted(
        [article_path(n) for n in (1, 2, 3)] + [f"{SECTION}/g{n}.html" for n in range(1, 6)]
    )
    assert stats(run)["parkcrawl/walk/list_page_refused"] == 1


def test_incremental_run_after_a_cut_walk_reads_every_list_page_again(tmp_path: Path) -> None:
    (cut, again), server = crawl_trap(
        tmp_path, 3, traps.endless_pager(first(3)), "-s", "PARKCRAWL_MAX_LIST_PAGES=4", runs=2
    )
    assert cut.report["walk_complete"] is False
    # Nothing is new the second time, yet every list page is read: the first walk was cut.
    assert again.report["articles_written"] == 0
    assert again.report["list_pages"] == 4
    pages = [LIST_1] + [f"{SECTION}/index_{n}.html" for n in range(1, 4)]
    assert list_hits(server) == pages + pages
    assert again.report["walk_complete"] is False


def test_walk_cut_by_depth_limit_is_reported_and_read_again_next_run(tmp_path: Path) -> None:
    # Home (0) → 动态要闻 (1) → list pages (2, 3): with DEPTH_LIMIT=3 Scrapy drops the articles of
    # list pages 2 and 3 (depth 4) with a DEBUG line. The walk is cut; the next run, with the limit
    # lifted, reads every list page again and captures them.
    root = tmp_path / "site"
    with FaultServer(root, {}, lifetime=150) as server:
        write_site(root, 6, per_page=2)
        cut = crawl(tmp_path / "job", server.base_url, "-s", "DEPTH_LIMIT=3")
        again = crawl(tmp_path / "job", server.base_url)
        base = server.base_url
    assert cut.returncode == 1
    assert cut.report["walk_cut"] == ["4 request(s) deeper than DEPTH_LIMIT 3 not followed"]
    assert cut.report["walk_complete"] is False
    assert sorted(captured(cut, base)) == [article_path(1), article_path(2)]
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.report["walk_complete"] is True
    assert sorted(captured(again, base)) == [article_path(n) for n in (3, 4, 5, 6)]


def test_sort_variants_are_stopped_by_the_default_variant_cap(tmp_path: Path) -> None:
    # Each answer links page 1 twice under new ?sort= values: without a cap, pages without end.
    (run,), server = crawl_trap(tmp_path, 3, traps.sort_variants(first(3)))
    hits = list_hits(server)
    variants = [h for h in hits if "?sort=" in h]
    # 50 variants listed nothing new; those already queued are read, their links refused.
    assert 50 <= len(variants) <= 2 * 50 + 1
    assert run.returncode == 1
    assert run.report["walk_cut"] == [
        f"50 query variants of {LIST_1} listed nothing new (PARKCRAWL_MAX_URL_VARIANTS) "
        "in section 动态要闻/园区信息"
    ]
    assert run.report["walk_complete"] is False
    assert sorted(captured(run, server.base_url)) == [article_path(n) for n in (1, 2, 3)]


def test_calendar_in_the_pager_is_stopped_by_the_default_variant_cap(tmp_path: Path) -> None:
    # Every day a page of its own, 下一页 the next day, for ever. The first 50 days read list
    # nothing new; they link the days of at most three months (30 + 31 + 31), then nothing more.
    (run,), server = crawl_trap(tmp_path, 3, traps.calendar_pager(first(3)))
    variants = [h for h in list_hits(server) if "?date=" in h]
    assert 50 <= len(variants) <= 92
    assert run.returncode == 1
    assert run.report["walk_cut"] == [
        f"50 query variants of {LIST_1} listed nothing new (PARKCRAWL_MAX_URL_VARIANTS) "
        "in section 动态要闻/园区信息"
    ]
    assert sorted(captured(run, server.base_url)) == [article_path(n) for n in (1, 2, 3)]


def test_deeper_and_deeper_list_chain_is_cut_at_the_list_page_cap(tmp_path: Path) -> None:
    (run,), server = crawl_trap(
        tmp_path, 3, traps.deeper_chain(first(3)), "-s", "PARKCRAWL_MAX_LIST_PAGES=5"
    )
    assert list_hits(server) == [LIST_1] + [
        SECTION + "/more" * n + "/index.html" for n in range(1, 5)
    ]
    assert run.report["walk_cut"] == [
        "list page cap 5 reached (PARKCRAWL_MAX_LIST_PAGES) in section 动态要闻/园区信息"
    ]
    assert sorted(captured(run, server.base_url)) == [article_path(n) for n in (1, 2, 3)]


def test_deeper_chain_under_the_defaults_is_cut_by_url_length_and_said_so(tmp_path: Path) -> None:
    # Each page one /more deeper: Scrapy's URLLENGTH_LIMIT (2083) drops the request some 400
    # pages down with a DEBUG line; that is a cut walk like any other, not a finished one.
    (run,), server = crawl_trap(tmp_path, 3, traps.deeper_chain(first(3)))
    # The deepest URL within 2083 characters, /dtyw/yqxx + 408 × /more + /index.html, is read.
    deepest = (2083 - len(server.base_url + LIST_1)) // len("/more")
    assert deepest == 408
    assert list_hits(server) == [SECTION + "/more" * n + "/index.html" for n in range(deepest + 1)]
    assert run.returncode == 1
    assert run.report["walk_cut"] == ["1 request(s) longer than URLLENGTH_LIMIT 2083 not followed"]
    assert run.report["walk_complete"] is False


def test_session_ids_in_links_are_dropped_and_the_walk_ends(tmp_path: Path) -> None:
    # Every answer gives every link a new ;jsessionid=: kept, each page would be new for ever.
    (run,), server = crawl_trap(tmp_path, 4, traps.session_ids(first(2), first(4)[2:]))
    assert run.returncode == 0, run.stderr[-3000:]
    assert list_hits(server) == [LIST_1, list_path(2)]
    assert run.report["walk_complete"] is True
    assert run.report["walk_cut"] == []
    # Articles are fetched and written under their URLs without the session id, once each.
    assert sorted(item["url"] for item in run.items) == [
        server.base_url + article_path(n) for n in (1, 2, 3, 4)
    ]


def test_article_with_100000_attributes_is_dropped_as_too_complex(tmp_path: Path) -> None:
    # 1.4 MB, well under DOWNLOAD_MAXSIZE: parsed, it held the reactor for minutes.
    rules: dict[str, Fault] = {article_path(2): Body(traps.many_attributes(TITLES[1], 100_000))}
    (run,), server = crawl_trap(tmp_path, 4, rules)
    base = server.base_url
    assert run.returncode == 0, run.stderr[-3000:]
    assert dropped(run, base) == {article_path(2): "too complex"}
    assert sorted(captured(run, base)) == [article_path(n) for n in (1, 3, 4)]
    assert stats(run)["parkcrawl/dropped/too_complex"] == 1
    assert run.report["walk_complete"] is True


def test_list_page_too_complex_is_a_lost_list_page(tmp_path: Path) -> None:
    rules: dict[str, Fault] = {
        list_path(2): Body(("<div>" * 600 + "园区信息").encode("utf-8"))
    }
    root = tmp_path / "site"
    with FaultServer(root, rules, lifetime=150) as server:
        write_site(root, 4, per_page=2)
        run = crawl(tmp_path / "job", server.base_url, timeout=120)
        base = server.base_url
    assert run.returncode == 1
    assert run.report["lost_list_pages"] == [{"url": base + list_path(2), "reason": "too complex"}]
    assert run.report["walk_complete"] is False
    assert sorted(captured(run, base)) == [article_path(1), article_path(2)]
