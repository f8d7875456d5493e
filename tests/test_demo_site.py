"""Sanity checks of the bundled demo site (fixtures/site) and its golden output. No network."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from parkcrawl.extract.fingerprint import content_hash

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "fixtures" / "site"
TOML = ROOT / "fixtures" / "demo" / "articles.toml"
GOLDEN = ROOT / "tests" / "golden" / "demo_parknews.jsonl"
ORIGIN = "http://127.0.0.1:8000"

DATA = tomllib.loads(TOML.read_text(encoding="utf-8"))
ARTICLES = DATA["article"]
SITE_CFG = DATA["site"]
SECTION_DIRS = {"园区信息": "dtyw/yqxx", "部门动态": "dtyw/bmdt", "媒体聚焦": "dtyw/mtjj"}
DEAD_LINK = "/dtyw/yqxx/202409/t20240927_10180.html"
RARE = "喆堃叒"
PINYIN_NOTE = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")


def page_path(art: dict) -> str:
    ymd = art["published"][:10].replace("-", "")
    return f"/{SECTION_DIRS[art['section']]}/{ymd[:6]}/t{ymd}_{art['id']}.html"


def read_page(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def html_files() -> list[Path]:
    return sorted(SITE.rglob("*.html"))


def links_of(text: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'\b(?:href|src)="([^"]*)"', text)]


def resolve(url: str) -> Path:
    path = urlsplit(url).path
    if path.endswith("/"):
        path += "index.html"
    return SITE / path.lstrip("/")


def by_form(form: str) -> list[dict]:
    return [a for a in ARTICLES if a["form"] == form]


def test_site_is_generated():
    assert (SITE / "index.html").is_file()
    assert (SITE / "robots.txt").read_text().startswith("User-agent: *")
    for art in ARTICLES:
        assert (SITE / page_path(art).lstrip("/")).is_file(), art["id"]


def test_every_link_resolves_except_the_dead_one():
    missing = set()
    for f in html_files():
        base = ORIGIN + "/" + f.relative_to(SITE).as_posix()
        for link in links_of(read_page(f)):
            if link.startswith(("javascript:", "#", "mailto:")) or not link:
                continue
            url = urljoin(base, link)
            if not url.startswith(ORIGIN + "/"):
                continue  # external (beian, gov.cn ...)
            if not resolve(url).is_file():
                missing.add(urlsplit(url).path)
    assert missing == {DEAD_LINK}


def test_list_pages_duplicate_and_dead_link():
    pages = [SITE / "dtyw/yqxx" / n for n in ("index.html", "index_1.html", "index_2.html")]
    texts = [read_page(p) for p in pages]
    dup = next(a for a in ARTICLES if a["id"] == SITE_CFG["duplicate_id"])
    tail = page_path(dup).rsplit("/", 2)[-2:]
    tail = "/".join(tail)
    assert tail in texts[0] and tail in texts[1] and tail not in texts[2]
    assert 'href="./202409/t20240927_10180.html"' in texts[2]
    assert "共3頁(yè)" in texts[1] and "共3页" in texts[0]
    # 12 + 12 + 5 distinct 园区信息 articles
    n = sum(1 for a in ARTICLES if a["section"] == "园区信息")
    assert n >= 28


def test_gbk_pages_are_not_utf8_and_carry_rare_characters():
    seen = set()
    forms = by_form("gbk") + by_form("undeclared")
    assert len(by_form("gbk")) == 3 and len(by_form("undeclared")) == 1
    for art in forms:
        raw = (SITE / page_path(art).lstrip("/")).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("gb18030")
        here = {c for c in RARE if c in text}
        assert here, art["id"]
        seen |= here
        with pytest.raises(UnicodeDecodeError):
            raw.decode("gb2312")  # the declared charset is a lie
        assert art["title"] in text
        head = text.split("</head>")[0].lower()
        if art["form"] == "gbk":
            assert "charset=gb2312" in head or 'charset="gb2312"' in head
        else:
            assert "charset" not in text.lower()
    assert seen == set(RARE)


def test_mirror_pages_are_annotated_and_round_trip():
    import opencc

    t2s = opencc.OpenCC("t2s")
    mirrors = by_form("mirror")
    assert len(mirrors) == 6
    for art in mirrors:
        text = (SITE / page_path(art).lstrip("/")).read_text(encoding="utf-8")
        assert len(PINYIN_NOTE.findall(text)) > 20, art["id"]
        assert art["title"] not in text
        plain = t2s.convert(PINYIN_NOTE.sub("", text))
        for piece in [art["title"], art["source"], *art["paragraphs"]]:
            assert html.escape(piece, quote=False) in plain, (art["id"], piece)
    for extra in ("dtyw/index.html", "dtyw/yqxx/index_1.html"):
        text = (SITE / extra).read_text(encoding="utf-8")
        assert "動(dòng)態(tài)要聞(wén)" in text and "園(yuán)區(qū)信息" in text


def test_breadcrumb_traps():
    missing = next(a for a in ARTICLES if a.get("trap") == "no_breadcrumb")
    wrong = next(a for a in ARTICLES if a.get("trap") == "wrong_breadcrumb")
    assert "当前位置" not in read_page(SITE / page_path(missing).lstrip("/"))
    crumb = read_page(SITE / page_path(wrong).lstrip("/")).split("当前位置")[1].split("</div>")[0]
    assert "部门动态" in crumb and "园区信息" not in crumb


def load_golden() -> list[dict]:
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_golden_lines_and_hashes():
    rows = load_golden()
    assert len(rows) >= 28
    assert [r["url"] for r in rows] == sorted(r["url"] for r in rows)
    assert len({r["url"] for r in rows}) == len(rows)
    for r in rows:
        assert r["content_hash"] == content_hash(r["title"], r["body"]), r["url"]
        assert (SITE / r["url"].lstrip("/")).is_file()
        assert r["encoding"] in ("utf-8", "gb18030") and r["script"] in ("Hans", "Hant")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?\+08:00)?", r["published_at"])
        assert "　" not in r["body"] and all(line == line.strip() and line for line in r["body"].split("\n"))
    expected = {page_path(a) for a in ARTICLES if a["section"] == "园区信息"}
    assert {r["url"] for r in rows} == expected


def test_golden_is_regenerable_from_the_toml():
    spec = importlib.util.spec_from_file_location("make_expected", ROOT / "fixtures/demo/make_expected.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    recs = sorted((mod.record(a) for a in ARTICLES if a["section"] == "园区信息"), key=lambda r: r["url"])
    assert recs == load_golden()


def test_site_is_regenerable():
    """The committed fixture is exactly what sitegen renders from the TOML."""
    pytest.importorskip("opencc")
    pytest.importorskip("pypinyin")
    from tools import sitegen

    files = sitegen.build_pages(sitegen.load_site())
    on_disk = {"/" + p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file()}
    assert on_disk == set(files)
    for path, data in files.items():
        assert (SITE / path.lstrip("/")).read_bytes() == data, path
