"""`scrapy check parknews` runs the spider's contracts on the demo site's pages, and
`scrapy parse --spider parknews -c CALLBACK URL` works with no --cbkwargs (issue 17)."""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.ops import readme
from tests.support import ROOT

README = ROOT / "README.md"
DEMO_ADDRESS = "http://127.0.0.1:8000"
# The README's block <!-- tested: check -->, run below against the test's own demo server.
SERVE, CHECK, PARSE_LISTING, PARSE_ARTICLE = (
    "parkcrawl serve-demo --port 8000 &",
    "scrapy check parknews -a start_url=http://127.0.0.1:8000/index.html",
    "scrapy parse --spider parknews -c parse_listing http://127.0.0.1:8000/dtyw/yqxx/index.html",
    "scrapy parse --spider parknews --pipelines -c parse_article "
    "http://127.0.0.1:8000/dtyw/yqxx/202410/t20241016_10220.html",
)


def test_readme_block_is_what_these_tests_run() -> None:
    (block,) = readme.named(README, "check")
    serve, *scrapy_commands = block.commands()
    assert serve.startswith(SERVE + " ")  # the server the tests start themselves
    assert scrapy_commands == [CHECK, PARSE_LISTING, PARSE_ARTICLE]


def readme_command(command: str, base_url: str) -> list[str]:
    """A README command's arguments after `scrapy`, the demo's address replaced by the test's."""
    program, *args = shlex.split(command.replace(DEMO_ADDRESS, base_url))
    assert program == "scrapy"
    return args


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PARKCRAWL_START_URL", "PARKNEWS_START_URL")
    }
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env=env,
    )


def test_check_lists_the_three_crawl_callbacks() -> None:
    proc = scrapy("check", "-l")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == [
        "parknews", "*", "parse_article", "*", "parse_listing", "*", "parse_section"
    ]


def test_check_passes_on_the_demo_site(demo_site_url: str) -> None:
    proc = scrapy(*readme_command(CHECK, demo_site_url))
    # unittest's runner reports on stderr
    assert proc.returncode == 0, proc.stderr[-3000:]
    # three contracts that check output on each of the three callbacks (@page only sets the URL)
    assert "Ran 9 contracts" in proc.stderr
    assert proc.stderr.rstrip().endswith("OK")


def test_check_runs_on_the_pages_an_operator_names(demo_site_url: str) -> None:
    # Another section's list and article, as an operator would name a real site's pages.
    pages = '{"listing": "/dtyw/bmdt/index.html", "article": "/dtyw/bmdt/202412/t20241212_30112.html"}'
    proc = scrapy(
        "check", "parknews", "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_CHECK_PAGES={pages}",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Ran 9 contracts" in proc.stderr


def test_check_fails_on_a_page_that_lists_no_article(demo_site_url: str) -> None:
    # 园区概况 is a page of text with no list of articles: as a list page it breaks
    # parse_listing's "@requests parse_article 1".
    pages = '{"listing": "/yqgk/index.html", "article": "/dtyw/bmdt/202412/t20241212_30112.html"}'
    proc = scrapy(
        "check", "parknews", "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_CHECK_PAGES={pages}",
    )
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "FAIL: [parknews] parse_listing (@requests post-hook)" in proc.stderr
    assert "ContractFail: 0 requests to parse_article, expected 1.." in proc.stderr
    assert "FAILED (failures=1)" in proc.stderr


def test_check_refuses_a_page_name_it_does_not_know(demo_site_url: str) -> None:
    proc = scrapy(
        "check", "parknews", "-a", f"start_url={demo_site_url}/index.html",
        "-s", 'PARKCRAWL_CHECK_PAGES={"listing": "/dtyw/yqxx/index.html"}',
    )
    assert proc.returncode == 1
    assert "no sample page 'article' in PARKCRAWL_CHECK_PAGES" in proc.stderr


def test_check_writes_nothing_of_a_crawl(demo_site_url: str, tmp_path: Path) -> None:
    proc = scrapy(
        "check", "parknews", "-a", f"start_url={demo_site_url}/index.html",
        "-s", f"PARKCRAWL_WARC_DIR={tmp_path / 'warc'}",
        "-s", f"PARKCRAWL_STATE_DIR={tmp_path / 'state'}",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert list(tmp_path.iterdir()) == []


def _items(stdout: str) -> list[dict]:
    """The items `scrapy parse` prints under "# Scraped Items" (a Python literal)."""
    block = stdout.split("# Scraped Items", 1)[1].split("\n", 1)[1].split("# Requests", 1)[0]
    return ast.literal_eval(block)


def test_parse_article_needs_no_cbkwargs(demo_site_url: str) -> None:
    url = f"{demo_site_url}/dtyw/yqxx/202410/t20241016_10220.html"
    proc = scrapy(*readme_command(PARSE_ARTICLE, demo_site_url))
    assert proc.returncode == 0, proc.stderr[-3000:]
    [item] = _items(proc.stdout)
    assert item["url"] == url
    # extracted by the pipelines (--pipelines) from the page's <h1>
    assert item["title"] == "园区举办科技创新政策宣讲会"
    assert item["published_at"] == "2024-10-16T09:15+08:00"
    # the section's path stands for the path a crawl would have walked
    assert item["walked_path"] == ["首页", "动态要闻", "园区信息"]
    assert item["breadcrumb"] == ["首页", "动态要闻", "园区信息"]


def test_parse_section_and_listing_need_no_cbkwargs(demo_site_url: str) -> None:
    proc = scrapy(
        "parse", "--spider", "parknews", "-c", "parse_section", f"{demo_site_url}/index.html"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    requests = proc.stdout.split("# Requests", 1)[1]
    assert f"<GET {demo_site_url}/dtyw/>" in requests

    proc = scrapy(*readme_command(PARSE_LISTING, demo_site_url))
    assert proc.returncode == 0, proc.stderr[-3000:]
    requests = proc.stdout.split("# Requests", 1)[1]
    assert f"<GET {demo_site_url}/dtyw/yqxx/202412/t20241220_10248.html>" in requests
    assert f"<GET {demo_site_url}/dtyw/yqxx/index_2.html>" in requests
    assert requests.count("<GET ") == 14
