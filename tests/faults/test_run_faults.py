"""Faults that decide the run: the exit status a scheduler sees and the one line that explains it.

0: the run finished (articles it could not capture are named in its report); 1: the run failed —
start page unreachable, a list page lost, no article captured, too many extraction failures — with
the reason as the last line on stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.conftest import captured, crawl, dropped, last_line, stats
from tests.faults.site import HOME, LANDING, TITLES, article_path, list_path, write_site
from tests.support import CrawlRun
from tools.fault_server import Body, Fault, FaultServer, Status, robots_disallow
from tools.sitegen import tiny_png

NO_BODY = "<html><head><title>{t}</title></head><body><h1>{t}</h1></body></html>"


def crawl_site(
    tmp_path: Path, n_articles: int, rules: dict[str, Fault], **site: object
) -> tuple[CrawlRun, str]:
    root = tmp_path / "site"
    with FaultServer(root, rules, lifetime=120) as server:
        write_site(root, n_articles, **site)  # type: ignore[arg-type]
        return crawl(tmp_path / "job", server.base_url), server.base_url


def all_titles(run: CrawlRun) -> list[str]:
    return sorted(item["title"] for item in run.items)


def test_start_page_failing_twice_is_retried(tmp_path: Path) -> None:
    run, _ = crawl_site(tmp_path, 3, {HOME: Status(503, times=2)})
    assert run.returncode == 0, run.stderr[-3000:]
    assert all_titles(run) == sorted(TITLES[:3])


def test_start_page_failing_after_retries_fails_the_run(tmp_path: Path) -> None:
    run, base = crawl_site(tmp_path, 3, {HOME: Status(500)})
    assert run.returncode == 1
    assert last_line(run) == (
        f"parknews: FAILED: could not fetch {base}{HOME}: status 500 after 3 retries"
    )
    assert run.items == []


def test_section_page_that_is_not_html_fails_the_run(tmp_path: Path) -> None:
    run, base = crawl_site(tmp_path, 3, {LANDING: Body(tiny_png())})
    assert run.returncode == 1
    assert last_line(run) == f"parknews: FAILED: could not fetch {base}{LANDING}: not HTML"


def test_start_page_forbidden_by_robots_txt_fails_the_run(tmp_path: Path) -> None:
    run, base = crawl_site(tmp_path, 3, {"/robots.txt": robots_disallow("/")})
    assert run.returncode == 1
    assert last_line(run) == (
        f"parknews: FAILED: could not fetch {base}{HOME}: forbidden by robots.txt"
    )


def test_list_page_failing_transiently_is_retried_and_nothing_is_lost(tmp_path: Path) -> None:
    # Page 2 fails on the first request and on two retries; the third retry gets it.
    run, _ = crawl_site(tmp_path, 6, {list_path(2): Status(502, times=3)}, per_page=3)
    assert run.returncode == 0, run.stderr[-3000:]
    assert all_titles(run) == sorted(TITLES[:6])
    assert run.report["lost_list_pages"] == []


def test_list_page_lost_after_retries_fails_the_run_naming_it(tmp_path: Path) -> None:
    run, base = crawl_site(tmp_path, 6, {list_path(2): Status(503)}, per_page=3)
    assert run.returncode == 1
    assert last_line(run) == (
        f"parknews: FAILED: list page {base}{list_path(2)} could not be read "
        "(status 503 after 3 retries): the articles it lists are missing"
    )
    # What page 1 lists is still captured, and the lost page is in the report.
    assert all_titles(run) == sorted(TITLES[:3])
    assert run.report["lost_list_pages"] == [
        {"url": f"{base}{list_path(2)}", "reason": "status 503 after 3 retries"}
    ]
    assert stats(run)["parkcrawl/list_page_failed"] == 1


def test_every_article_failing_fails_the_run(tmp_path: Path) -> None:
    rules: dict[str, Fault] = {article_path(n): Status(404) for n in (1, 2, 3)}
    run, base = crawl_site(tmp_path, 3, rules)
    assert run.returncode == 1
    assert last_line(run) == "parknews: FAILED: no article captured: all 3 failed (status 404)"
    assert dropped(run, base) == {article_path(n): "status 404" for n in (1, 2, 3)}


def test_incremental_run_whose_only_new_link_is_dead_exits_0(tmp_path: Path) -> None:
    # The dead link is never recorded (no article came of it), so every incremental run fetches
    # it again; the other articles are known, so the site is fine and the run is not failed.
    root = tmp_path / "site"
    with FaultServer(root, {article_path(3): Status(404)}, lifetime=120) as server:
        write_site(root, 3)
        first = crawl(tmp_path / "job", server.base_url)
        second = crawl(tmp_path / "job", server.base_url)
        base = server.base_url
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.report["articles_written"] == 0
    assert dropped(second, base) == {article_path(3): "status 404"}


@pytest.mark.parametrize(
    ("broken", "returncode"),
    [
        (2, 0),  # 2 of 10 = 20%: not more than the allowed share
        (3, 1),  # 3 of 10 = 30%: the layout probably changed
    ],
)
def test_extraction_failure_share_decides_the_exit_status(
    tmp_path: Path, broken: int, returncode: int
) -> None:
    pages = {article_path(n): NO_BODY.format(t=TITLES[n - 1]) for n in range(1, broken + 1)}
    run, base = crawl_site(tmp_path, 10, {}, pages=pages)
    assert run.returncode == returncode, run.stderr[-3000:]
    assert dropped(run, base) == {article_path(n): "no body found" for n in range(1, broken + 1)}
    assert sorted(captured(run, base)) == [article_path(n) for n in range(broken + 1, 11)]
    if returncode:
        assert last_line(run) == (
            f"parknews: FAILED: {broken} of 10 article pages failed extraction "
            "(more than 20%): the site's layout probably changed"
        )
