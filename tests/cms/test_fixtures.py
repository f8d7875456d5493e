"""Sanity checks of the two CMS fixture sites and their golden files. No network."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import tomllib
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import pytest

from parkcrawl.cms import parse_datastore
from tests.support import ROOT

FIXTURES = ROOT / "fixtures"
ORIGIN = "http://127.0.0.1:8000"


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem + "_" + path.parent.name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_disk(folder: Path) -> dict[str, bytes]:
    return {
        "/" + p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("name", ["hanweb", "trs"])
def test_site_is_rendered_from_its_source(name: str) -> None:
    maker = load_module(FIXTURES / name / "make_site.py")
    built = maker.build(maker.load())
    files, proxy = built if name == "hanweb" else (built, None)
    assert files == on_disk(FIXTURES / name / "site"), "re-run make_site.py"
    if proxy is not None:
        assert {"/" + k: v for k, v in proxy.items()} == on_disk(FIXTURES / name / "dataproxy")


@pytest.mark.parametrize("name", ["hanweb", "trs"])
def test_golden_is_regenerable_from_the_toml(name: str) -> None:
    maker = load_module(FIXTURES / name / "make_expected.py")
    data = tomllib.loads((FIXTURES / name / "articles.toml").read_text(encoding="utf-8"))
    golden = ROOT / "tests" / "golden" / f"{name}_parknews.jsonl"
    lines = [json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines()]
    assert maker.records(data) == lines


def read_page(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def resolve(site: Path, url: str) -> Path:
    path = urlsplit(url).path
    if path.endswith("/"):
        path += "index.html"
    return site / path.lstrip("/")


@pytest.mark.parametrize("name", ["hanweb", "trs"])
def test_every_link_resolves(name: str) -> None:
    site = FIXTURES / name / "site"
    missing = []
    for page in site.rglob("*.html"):
        base = ORIGIN + "/" + page.relative_to(site).as_posix()
        text = read_page(page)
        for link in re.findall(r'\b(?:href|src)="([^"]*)"', text):
            url = urljoin(base, html.unescape(link))
            if link.startswith("javascript:") or not url.startswith(ORIGIN + "/"):
                continue
            if "/module/" in url and "jpage.js" not in url:
                continue  # the dataproxy and hit-counter modules answer dynamically
            if not resolve(site, url).is_file():
                missing.append(f"{page.relative_to(site)} -> {link}")
    assert not missing, missing


def test_trs_pages_are_gbk() -> None:
    site = FIXTURES / "trs" / "site"
    declared = {"gb2312": 0, "gbk": 0}
    gbk_only = 0
    for page in site.rglob("*.html"):
        raw = page.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("gbk")
        charset = re.search(r"charset=([\w-]+)", text)
        assert charset is not None
        declared[charset.group(1)] += 1
        if charset.group(1) == "gb2312":
            try:
                text.encode("gb2312")
            except UnicodeEncodeError:
                gbk_only += 1  # a gb2312 label on characters outside GB2312 (珺, 玥, 祎)
    assert declared["gb2312"] and declared["gbk"]
    assert gbk_only >= 3


def test_trs_list_pages_carry_only_a_script_pager() -> None:
    site = FIXTURES / "trs" / "site" / "dtyw" / "yqxx"
    pages = sorted(p.name for p in site.glob("index*.html"))
    assert pages == ["index.html", "index_1.html", "index_2.html"]
    for k, name in enumerate(["index.html", "index_1.html", "index_2.html"]):
        text = read_page(site / name)
        assert f'createPageHTML(3, {k}, "index", "html");' in text
        assert "function createPageHTML(" in text
        assert "下一页</a>" not in re.sub(r"<script.*?</script>", "", text, flags=re.S)


def test_hanweb_first_page_is_the_first_records_of_the_column() -> None:
    site = FIXTURES / "hanweb"
    page = read_page(site / "site" / "col" / "col2111" / "index.html")
    datastore = re.search(r'<script type="text/xml">(.*?)</script>', page, re.S)
    assert datastore is not None
    shown = parse_datastore(datastore.group(1)).records
    column = parse_datastore((site / "dataproxy" / "col2111.xml").read_bytes()).records
    assert len(shown) == 4 and len(column) == 15
    assert shown == column[:4]
    # the list is invisible outside the script
    visible = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "art_2111_5101" not in visible


FIXTURE_NAMES = ["临江湾", "云溪", "col2111", "8840", "yqxx", "bt-", "TRS_Editor"]


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "parkcrawl" / "cms.py",
        ROOT / "parkcrawl" / "navigation.py",
        *sorted((ROOT / "parkcrawl" / "spiders").glob("*.py")),
    ],
    ids=lambda p: p.name,
)
def test_no_crawling_code_names_a_fixture_site(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [name for name in FIXTURE_NAMES if name in text] == []
