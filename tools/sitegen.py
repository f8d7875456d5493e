"""Render a static replica of a Chinese park-government CMS site.

The bundled demo (``fixtures/site/``) is rendered from the hand-authored
``fixtures/demo/articles.toml``::

    python -m tools.sitegen --demo
    python -m tools.sitegen --bench 5000 --out /tmp/bench-site
    python -m tools.sitegen --bench 5000 --new 10 --update --out /tmp/bench-site

The markup imitates a TRS/Hanweb style CMS (top bar, header, nav menu with a
dropdown, banners, left sub-nav, "热点新闻" box, footer) and carries the traps
the crawler must survive:

* ``mirror`` pages: Traditional characters, each converted character followed
  by its pinyin in ASCII parentheses (``園(yuán)區(qū)``), chrome text included;
* ``gbk`` pages: GBK bytes declared as gb2312 although they contain characters
  outside GB2312 (喆, 堃, 叒);
* ``undeclared`` pages: GBK bytes and no charset anywhere;
* a list item linked from two list pages, a dead link, a missing and a wrong
  breadcrumb, a "热点新闻" box that links other sections.

Pure Python; OpenCC and pypinyin are only needed for mirror pages.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import posixpath
import re
import shutil
import struct
import sys
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# ----------------------------------------------------------------- constants

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_TOML = REPO_ROOT / "fixtures" / "demo" / "articles.toml"
DEMO_OUT = REPO_ROOT / "fixtures" / "site"

SITE_NAME = "苏锡通科技产业园区"
ADMIN_NAME = "苏锡通科技产业园区管理委员会"
TITLE_SUFFIX = "_" + SITE_NAME

HOME = "/index.html"
DTYW = "/dtyw/index.html"
DTYW_NAME = "动态要闻"

# section name -> directory (site-root relative, no slashes around)
SECTION_DIRS = {
    "园区信息": "dtyw/yqxx",
    "部门动态": "dtyw/bmdt",
    "媒体聚焦": "dtyw/mtjj",
}
TARGET_SECTION = "园区信息"

# top-level menu: (text, path, dropdown)
TOP_NAV = [
    ("首页", HOME, []),
    ("园区概况", "/yqgk/index.html", [("园区简介", "/yqgk/index.html")]),
    (DTYW_NAME, DTYW, [(name, f"/{d}/index.html") for name, d in SECTION_DIRS.items()]),
    ("政务公开", "/zwgk/index.html", []),
    ("招商引资", "/zsyz/index.html", [("投资指南", "/zsyz/index.html")]),
    ("互动交流", "/hdjl/index.html", []),
]

# stub pages for the other top-level sections: path -> (title, paragraph)
STUB_PAGES = {
    "/yqgk/index.html": (
        "园区概况",
        "苏锡通科技产业园区位于长江北岸，是跨江合作共建的省级园区，重点发展高端装备、"
        "电子信息和新能源等产业。",
    ),
    "/zwgk/index.html": ("政务公开", "本栏目发布园区政府信息公开指南、公开目录和公开年报。"),
    "/zsyz/index.html": ("招商引资", "园区热忱欢迎海内外客商前来投资兴业，投资咨询电话：0513-80000000。"),
    "/hdjl/index.html": ("互动交流", "主任信箱、在线咨询和意见征集栏目正在维护中，请稍后访问。"),
    "/wzdt.html": ("网站地图", "首页、园区概况、动态要闻、政务公开、招商引资、互动交流。"),
}

HEAD_TMPL = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{charset_meta}<title>{title}</title>
<meta name="SiteName" content="{site_name}" />
<meta name="ColumnName" content="{column}" />
<meta name="keywords" content="苏锡通,园区,{column}" />
{extra_meta}<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<link href="{css}" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="{js}"></script>
</head>
"""

CHARSET_META = {
    "utf8": '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n',
    "utf8-short": '<meta charset="UTF-8">\n',
    "mirror": '<meta charset="utf-8" />\n',
    "gbk": '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n',
    "gbk-short": '<meta charset="gb2312">\n',
    "undeclared": "",
}

TOPBAR_TMPL = """<div class="topbar"><div class="w1200">
<div class="fl">今天是：<script type="text/javascript">showToday();</script></div>
<div class="fr"><a href="javascript:void(0);" onclick="setHome(this);">设为首页</a> | <a href="javascript:void(0);" onclick="addFav();">加入收藏</a> | <a href="#" id="wza">无障碍浏览</a> | <a href="{sitemap}">网站地图</a></div>
</div></div>
"""

HEADER_TMPL = """<div class="header"><div class="w1200">
<div class="logo"><a href="{home}"><img src="{logo}" alt="{site_name}" /></a></div>
<div class="search"><form action="https://search.example.gov.cn/search" method="get" target="_blank"><input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form></div>
</div></div>
"""

FOOTER_TMPL = """<div class="footer"><div class="w1200">
<div class="flinks"><a href="{sitemap}">网站地图</a> | <a href="{contact}">联系我们</a> | <a href="javascript:void(0);">网站声明</a></div>
<p>版权所有 &copy; {admin}　主办：{admin}办公室</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">苏ICP备12345678号-1</a>　网站标识码：3206000099　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=32069102000123" target="_blank"><img src="{ga}" alt="" />苏公网安备 32069102000123号</a></p>
<p>建议使用1280×1024分辨率浏览本站</p>
<span id="_ideConac"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=0000000000" target="_blank"><img src="{red}" alt="党政机关" /></a></span>
</div></div>
"""

FRIEND_LINKS = [
    ("中国政府网", "https://www.gov.cn/"),
    ("江苏省人民政府", "http://www.jiangsu.gov.cn/"),
    ("南通市人民政府", "http://www.nantong.gov.cn/"),
]

SHARE_HTML = """<div class="bshare">分享到：<a href="javascript:void(0);" class="wx">微信</a> <a href="javascript:void(0);" class="wb">微博</a> <a href="javascript:void(0);" class="qz">QQ空间</a></div>
<div class="dytools">【<a href="javascript:window.print();">打印本页</a>】【<a href="javascript:window.close();">关闭窗口</a>】</div>
"""

CSS_TEXT = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.w1200{width:1200px;margin:0 auto}.fl{float:left}.fr{float:right}
.nav li{float:left;position:relative}.nav .sub{display:none;position:absolute}
.nav li:hover .sub{display:block}.list li span{float:right;color:#999}
.TRS_Editor p{margin:0 0 10px}.footer{background:#0b4a8b;color:#fff;text-align:center}
"""
JS_TEXT = """function showToday(){var d=new Date();document.write(d.getFullYear()+"-"+(d.getMonth()+1)+"-"+d.getDate());}
function setHome(o){}function addFav(){}function doZoom(n){document.getElementById("zoom").style.fontSize=n+"px";}
"""

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

ROBOTS_TXT = "User-agent: *\nDisallow:\n"

GBK_FORMS = ("gbk", "undeclared")

# Pagination: every page number up to this many list pages, else the first, the last and a
# window of PAGER_WINDOW numbers either side of the current page.
PAGER_ALL_UP_TO = 10
PAGER_WINDOW = 4


# ----------------------------------------------------------------- data model


@dataclass
class Article:
    id: int
    section: str
    title: str
    published: str
    source: str
    views: int
    paragraphs: list[str]
    form: str = "utf8"
    participants: list[dict] = field(default_factory=list)
    image: dict | None = None
    attachment: dict | None = None
    trap: str | None = None
    # Issue 17 (schema 1.3): a credit line closing the text, a description meta, a
    # last-modified meta. Absent on most pages, as on real sites.
    byline: str | None = None
    description: str | None = None
    modified: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)

    @property
    def date(self) -> str:
        return self.published[:10]

    @property
    def path(self) -> str:
        return article_path(self.section, self.id, self.published)


def article_path(section: str, art_id: int, published: str) -> str:
    """TRS-style article URL: /dtyw/yqxx/202411/t20241122_10234.html."""
    ymd = published[:10].replace("-", "")
    return f"/{SECTION_DIRS[section]}/{ymd[:6]}/t{ymd}_{art_id}.html"


def list_page_path(section: str, page_no: int) -> str:
    """Page 1 is index.html, page n is index_{n-1}.html."""
    name = "index.html" if page_no == 1 else f"index_{page_no - 1}.html"
    return f"/{SECTION_DIRS[section]}/{name}"


@dataclass
class Site:
    articles: list[Article]
    per_page: int = 12
    mirror_list_pages: list[int] = field(default_factory=list)
    duplicate_id: int | None = None
    dead_link: dict | None = None
    hot_ids: list[int] = field(default_factory=list)
    landing_form: str = "mirror"

    def section(self, name: str) -> list[Article]:
        arts = [a for a in self.articles if a.section == name]
        return sorted(arts, key=lambda a: (a.published, a.id), reverse=True)

    def by_id(self, art_id: int) -> Article:
        for a in self.articles:
            if a.id == art_id:
                return a
        raise KeyError(art_id)


def load_site(toml_path: Path = DEMO_TOML) -> Site:
    with open(toml_path, "rb") as fh:
        data = tomllib.load(fh)
    cfg = data.get("site", {})
    return Site(
        articles=[Article.from_dict(d) for d in data["article"]],
        per_page=cfg.get("per_page", 12),
        mirror_list_pages=list(cfg.get("mirror_list_pages", [])),
        duplicate_id=cfg.get("duplicate_id"),
        dead_link=cfg.get("dead_link"),
        hot_ids=list(cfg.get("hot_ids", [])),
    )


# ----------------------------------------------------------------- text helpers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def rel(from_path: str, to_path: str) -> str:
    """Relative URL from the page at from_path to to_path (both site-root paths)."""
    start = posixpath.dirname(from_path)
    r = posixpath.relpath(to_path, start)
    return r if r.startswith(".") else "./" + r


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@functools.lru_cache(maxsize=4096)
def _pinyin(trad: str, simp: str) -> str | None:
    from pypinyin import Style, pinyin

    for ch in (trad, simp):
        py = pinyin(ch, style=Style.TONE, heteronym=False)[0][0]
        if py and py != ch:
            return py
    return None


def mirror_form(text: str) -> str:
    """Simplified -> Traditional (OpenCC s2t), each converted character followed by its pinyin.

    ``园区信息`` -> ``園(yuán)區(qū)信息``; unchanged characters (and any real parentheses
    already in the text) are left alone.
    """
    conv = _s2t().convert(text)
    if len(conv) != len(text):  # never seen with s2t, but keep the annotation aligned
        conv = "".join(_s2t().convert(ch) for ch in text)
    out: list[str] = []
    for simp, trad in zip(text, conv):
        out.append(trad)
        if simp != trad:
            py = _pinyin(trad, simp)
            if py:
                out.append(f"({py})")
    return "".join(out)


_TOKEN = re.compile(
    r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>)|([^<]+)", re.S | re.I
)
_MIRROR_ATTR = re.compile(r'(\s(?:title|alt)=")([^"]*)(")')


def mirror_html(page: str) -> str:
    """Apply mirror_form to every text node (and title/alt attributes) of a page."""

    def text(m: re.Match) -> str:
        if m.group(1) is not None:
            tag = m.group(1)
            if tag.startswith("<") and not tag.startswith(("<script", "<style", "<!")):
                tag = _MIRROR_ATTR.sub(
                    lambda a: a.group(1) + esc(mirror_form(html.unescape(a.group(2)))) + a.group(3),
                    tag,
                )
            return tag
        return mirror_form(m.group(2))

    return _TOKEN.sub(text, page)


def encode_page(page: str, form: str) -> bytes:
    """Bytes as served: UTF-8, or GBK for the gbk/undeclared forms (strict: must fit GBK)."""
    if form in GBK_FORMS:
        return page.encode("gbk")
    return page.encode("utf-8")


def finish_page(page: str, form: str) -> bytes:
    if form == "mirror":
        page = mirror_html(page)
    return encode_page(page, form)


# ----------------------------------------------------------------- chrome


def _link(from_path: str, to_path: str, style: str) -> str:
    return to_path if style == "abs" else rel(from_path, to_path)


def render_head(page_path: str, title: str, column: str, form: str, variant: int = 0,
                extra_meta: str = "") -> str:
    key = form
    if form == "utf8" and variant % 2:
        key = "utf8-short"
    if form == "gbk" and variant % 2:
        key = "gbk-short"
    return HEAD_TMPL.format(
        charset_meta=CHARSET_META[key],
        title=esc(title),
        site_name=SITE_NAME,
        column=esc(column),
        extra_meta=extra_meta,
        css=_link(page_path, "/css/common.css", "rel" if variant % 3 == 1 else "abs"),
        js=_link(page_path, "/js/common.js", "abs"),
    )


def render_chrome_top(page_path: str, style: str, current: str | None = None) -> str:
    """Top bar + header + nav menu (with the 动态要闻 dropdown)."""
    L = functools.partial(_link, page_path, style=style)
    parts = [
        "<body>\n",
        TOPBAR_TMPL.format(sitemap=L(to_path="/wzdt.html")),
        HEADER_TMPL.format(home=L(to_path=HOME), logo=L(to_path="/images/logo.png"), site_name=SITE_NAME),
        '<div class="nav"><div class="w1200"><ul>\n',
    ]
    for i, (name, path, sub) in enumerate(TOP_NAV):
        cls = ' class="on"' if name == current else ""
        # irregular on purpose: some items wrap the text in a span, some carry padding spaces
        if i == 2:
            text = f"<span>{name}</span>"
        elif i == 0:
            text = f"&nbsp;{name} "
        else:
            text = name
        href = L(to_path=path)
        if i == 2 and style == "abs":
            href = "/dtyw/"  # directory URL, served as /dtyw/index.html
        parts.append(f'<li{cls}><a href="{href}" target="_self">{text}</a>')
        if sub:
            parts.append('\n  <div class="sub">')
            parts.append(" ".join(f'<a href="{L(to_path=p)}">{esc(n)}</a>' for n, p in sub))
            parts.append("</div>")
        parts.append("</li>\n")
    parts.append("</ul></div></div>\n")
    return "".join(parts)


def render_footer(page_path: str, style: str) -> str:
    L = functools.partial(_link, page_path, style=style)
    return (
        FOOTER_TMPL.format(
            sitemap=L(to_path="/wzdt.html"),
            contact=L(to_path="/hdjl/index.html"),
            admin=ADMIN_NAME,
            ga=L(to_path="/images/ga.png"),
            red=L(to_path="/images/red.png"),
        )
        + "</body>\n</html>\n"
    )


def _short(title: str, limit: int = 22) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "..."


# ----------------------------------------------------------------- pages


def render_home(site: Site) -> str:
    path = HOME
    out = [render_head(path, f"{SITE_NAME}门户网站", "首页", "utf8"), render_chrome_top(path, "abs", "首页")]
    target = site.section(TARGET_SECTION)
    out.append('<div class="banner w1200">\n')
    for i, a in enumerate(target[:2], 1):
        out.append(
            f'<a href="{a.path}" target="_blank"><img src="/images/banner{i}.png" alt="{esc(a.title)}" /></a>\n'
        )
    out.append("</div>\n<div class=\"main w1200\">\n")
    for n, (name, d) in enumerate(SECTION_DIRS.items()):
        arts = site.section(name)[: (7 if n == 0 else 4)]
        out.append(f'<div class="news-box box{n + 1}">\n<div class="hd"><h3>{name}</h3>'
                   f'<a class="more" href="/{d}/">更多&gt;&gt;</a></div>\n<ul>\n')
        for a in arts:
            out.append(f'<li><a href="{a.path}" target="_blank" title="{esc(a.title)}">{esc(_short(a.title))}</a>'
                       f"<span>[{a.date[5:]}]</span></li>\n")
        out.append("</ul>\n</div>\n")
    out.append('<div class="ztzl"><h3>专题专栏</h3>'
               '<a href="/zwgk/index.html"><img src="/images/banner2.png" alt="优化营商环境" /></a></div>\n')
    out.append('<div class="friend-links">友情链接：')
    out.append(" ".join(f'<a href="{u}" target="_blank">{n}</a>' for n, u in FRIEND_LINKS))
    out.append("</div>\n</div>\n")
    out.append(render_footer(path, "abs"))
    return "".join(out)


def render_section_landing(site: Site) -> str:
    """The 动态要闻 landing page: one box per sub-section (served in mirror form)."""
    path = DTYW
    L = functools.partial(rel, path)
    out = [render_head(path, f"{DTYW_NAME}{TITLE_SUFFIX}", DTYW_NAME, site.landing_form),
           render_chrome_top(path, "rel", DTYW_NAME)]
    out.append(f'<div class="position w1200">当前位置：<a href="{L(HOME)}">首页</a> &gt; '
               f'<a href="{L(DTYW)}">{DTYW_NAME}</a></div>\n<div class="main w1200">\n')
    for name, d in SECTION_DIRS.items():
        idx = f"/{d}/index.html"
        out.append(f'<div class="lm-box">\n<div class="lm-hd"><a href="{L(idx)}"><h3>{name}</h3></a>'
                   f'<a class="more" href="{L(idx)}">更多</a></div>\n<ul>\n')
        for a in site.section(name)[:5]:
            out.append(f'<li><a href="{L(a.path)}" title="{esc(a.title)}">{esc(_short(a.title))}</a>'
                       f"<span>{a.date}</span></li>\n")
        out.append("</ul>\n</div>\n")
    out.append("</div>\n")
    out.append(render_footer(path, "rel"))
    return "".join(out)


def list_items(site: Site, section: str) -> list[list[tuple[str, str, str]]]:
    """Per list page: (target path or literal href, title, date). Adds the duplicate and dead link."""
    arts = site.section(section)
    pages = [
        [(a.path, a.title, a.date) for a in arts[i: i + site.per_page]]
        for i in range(0, len(arts), site.per_page)
    ] or [[]]
    if section == TARGET_SECTION:
        if site.duplicate_id is not None and len(pages) > 1:
            dup = site.by_id(site.duplicate_id)
            pages[1].insert(0, ("ABS:" + dup.path, dup.title, dup.date))  # pinned, root-absolute href
        if site.dead_link:
            dl = site.dead_link
            pages[-1].append(("RAW:" + dl["href"], dl["title"], dl["date"]))
    return pages


def render_pagination(section: str, page_no: int, n_pages: int) -> str:
    cur = list_page_path(section, page_no)

    def href(n: int) -> str:
        return rel(cur, list_page_path(section, n))[2:]  # "index_1.html"

    parts = [f'<div class="pagination"><script type="text/javascript">var countPage = {n_pages};'
             f" var currentPage = {page_no - 1};</script>\n<span>共{n_pages}页</span>&nbsp;"]
    parts.append(f'<a href="{href(1)}">首页</a> ')
    parts.append(f'<a href="{href(page_no - 1)}">上一页</a> ' if page_no > 1 else '<span class="disabled">上一页</span> ')
    for n in range(1, n_pages + 1):
        # A long section shows a window of page numbers, as CMS pagers do (every number on
        # every page would make a 50,000-article site's list pages quadratic in size).
        if n_pages > PAGER_ALL_UP_TO and abs(n - page_no) > PAGER_WINDOW and n not in (1, n_pages):
            continue
        parts.append(f'<span class="current">{n}</span> ' if n == page_no else f'<a href="{href(n)}">{n}</a> ')
    parts.append(f'<a href="{href(page_no + 1)}">下一页</a> ' if page_no < n_pages else '<span class="disabled">下一页</span> ')
    parts.append(f'<a href="{href(n_pages)}">尾页</a>\n</div>\n')
    return "".join(parts)


def render_list_page(site: Site, section: str, page_no: int, items: list[tuple[str, str, str]],
                     n_pages: int) -> tuple[str, str]:
    """One list page; returns (html, form) -- list pages named in site.mirror_list_pages are mirrored."""
    path = list_page_path(section, page_no)
    form = "mirror" if section == TARGET_SECTION and page_no in site.mirror_list_pages else "utf8"
    L = functools.partial(_link, path, style="abs")
    out = [render_head(path, f"{section}{TITLE_SUFFIX}", section, form, variant=page_no),
           render_chrome_top(path, "abs", DTYW_NAME)]
    out.append(f'<div class="position w1200">当前位置 : <a href="{L(to_path=HOME)}">首页</a> &gt; '
               f'<a href="{L(to_path=DTYW)}">{DTYW_NAME}</a> &gt; <a href="./">{section}</a></div>\n')
    # left column: sub-nav of 动态要闻 plus the 热点新闻 box
    out.append(f'<div class="main w1200">\n<div class="left">\n<div class="left-nav"><h2>{DTYW_NAME}</h2><ul>\n')
    for name, d in SECTION_DIRS.items():
        on = ' class="on"' if name == section else ""
        out.append(f'<li{on}><a href="{rel(path, f"/{d}/index.html")}">{name}</a></li>\n')
    out.append("</ul></div>\n")
    hot = [site.by_id(i) for i in site.hot_ids if any(a.id == i for a in site.articles)]
    if hot:
        out.append('<div class="hot-news"><h3>热点新闻</h3><ul>\n')
        for a in hot:
            out.append(f'<li><a href="{a.path}" target="_blank">{esc(_short(a.title, 16))}</a></li>\n')
        out.append("</ul></div>\n")
    out.append("</div>\n")
    # right column: the list itself
    out.append(f'<div class="right">\n<div class="list-title"><span>{section}</span></div>\n<ul class="list">\n')
    for target, title, date in items:
        if target.startswith("RAW:"):
            href = target[4:]
        elif target.startswith("ABS:"):
            href = target[4:]
        else:
            href = rel(path, target)
        out.append(f'<li><a href="{esc(href)}" target="_blank" title="{esc(title)}">{esc(_short(title))}</a>'
                   f"<span>{date}</span></li>\n")
    out.append("</ul>\n")
    out.append(render_pagination(section, page_no, n_pages))
    out.append("</div>\n</div>\n")
    out.append(render_footer(path, "abs"))
    return "".join(out), form


def _paragraph_html(text: str, variant: int) -> str:
    t = esc(text)
    if variant == 0:
        return f'<p style="text-indent: 2em;">{t}</p>'
    if variant == 1:
        return f"<p>　　{t}</p>"
    return (f'<p style="text-align: justify;"><span style="font-size: 16px; font-family: 宋体;">'
            f"&nbsp;&nbsp;&nbsp;&nbsp;{t}</span></p>")


def render_body(a: Article) -> str:
    v = a.id % 3
    paras = [_paragraph_html(p, v) for p in a.paragraphs]
    if a.image:
        img = (f'<p style="text-align: center;"><img src="{esc(a.image["src"])}" border="0" '
               f'alt="" oldsrc="W0{a.id}.png" /></p>\n'
               f'<p style="text-align: center;">{esc(a.image["caption"])}</p>')
        paras.insert(1, img)
    if a.attachment:
        paras.append(f'<p>附件：<a href="{esc(a.attachment["href"])}" target="_blank">'
                     f'{esc(a.attachment["text"])}</a></p>')
    if a.byline:
        # the editor / author credit closing the text, right-aligned as TRS editors set it
        paras.append(f'<p style="text-align: right;">{esc(a.byline)}</p>')
    if a.id % 4 == 0:
        paras.append("<p>&nbsp;</p>")  # empty trailing paragraph, as CMS editors leave them
    return "\n".join(paras)


def render_breadcrumb(a: Article) -> str:
    path = a.path
    if a.trap == "no_breadcrumb":
        return ""
    section = "部门动态" if a.trap == "wrong_breadcrumb" else a.section
    sec_idx = f"/{SECTION_DIRS[section]}/index.html"
    sep = " &gt; " if a.id % 2 else "&gt;"
    return (f'<div class="position w1200">当前位置 : <a href="{rel(path, HOME)}">首页</a>{sep}'
            f'<a href="{rel(path, DTYW)}">{DTYW_NAME}</a>{sep}<a href="{rel(path, sec_idx)}">{section}</a>'
            f"{sep}正文</div>\n")


def render_dateline(a: Article) -> str:
    if a.id % 2:
        return (f'<div class="info"><span>发布时间：{a.published}</span>　<span>来源：{esc(a.source)}</span>　'
                f"<span>浏览次数：{a.views}</span></div>")
    return (f'<p class="xx-info">发布时间：{a.published}&nbsp;&nbsp;&nbsp;来源：{esc(a.source)}&nbsp;&nbsp;&nbsp;'
            f'浏览次数：<span id="ReadCount">{a.views}</span>&nbsp;&nbsp;【字体：<a href="javascript:doZoom(18)">大</a> '
            f'<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</p>')


def render_article(a: Article, prev: Article | None, nxt: Article | None) -> str:
    path = a.path
    column = "部门动态" if a.trap == "wrong_breadcrumb" else a.section
    extra = ""
    if a.description:
        extra += f'<meta name="description" content="{esc(a.description)}" />\n'
    if a.modified:
        extra += f'<meta name="lastmodified" content="{esc(a.modified)}" />\n'
    out = [render_head(path, a.title + TITLE_SUFFIX, column, a.form, variant=a.id, extra_meta=extra),
           render_chrome_top(path, "rel", DTYW_NAME)]
    out.append(render_breadcrumb(a))
    out.append('<div class="main w1200">\n<div class="article">\n')
    out.append(f'<h1 class="title">{esc(a.title)}</h1>\n')
    out.append(render_dateline(a) + "\n")
    out.append('<div class="content" id="zoom">\n<div class="TRS_Editor">\n')
    out.append(render_body(a))
    out.append("\n</div>\n</div>\n")
    out.append(SHARE_HTML)
    out.append('<div class="prenext">\n')
    for label, other in (("上一篇", prev), ("下一篇", nxt)):
        if other is None:
            out.append(f"<p>{label}：没有了</p>\n")
        else:
            out.append(f'<p>{label}：<a href="{rel(path, other.path)}">{esc(other.title)}</a></p>\n')
    out.append("</div>\n</div>\n</div>\n")
    out.append(render_footer(path, "rel"))
    return "".join(out)


def render_stub(path: str, title: str, text: str) -> str:
    out = [render_head(path, f"{title}{TITLE_SUFFIX}", title, "utf8"), render_chrome_top(path, "abs", title)]
    out.append(f'<div class="position w1200">当前位置：<a href="{HOME}">首页</a> &gt; {title}</div>\n')
    out.append(f'<div class="main w1200"><h2>{title}</h2><p>{esc(text)}</p></div>\n')
    out.append(render_footer(path, "abs"))
    return "".join(out)


# ----------------------------------------------------------------- assets


def tiny_png(rgb: tuple[int, int, int] = (11, 74, 139)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    raw = b"\x00" + bytes(rgb)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


STATIC_ASSETS = {
    "/robots.txt": ROBOTS_TXT.encode("ascii"),
    "/css/common.css": CSS_TEXT.encode("utf-8"),
    "/js/common.js": JS_TEXT.encode("utf-8"),
    "/images/logo.png": tiny_png(),
    "/images/banner1.png": tiny_png((200, 30, 30)),
    "/images/banner2.png": tiny_png((30, 120, 200)),
    "/images/ga.png": tiny_png((240, 240, 240)),
    "/images/red.png": tiny_png((200, 0, 0)),
}


# ----------------------------------------------------------------- build


def build_pages(site: Site, only_articles: set[int] | None = None) -> dict[str, bytes]:
    """Every file of the site: site-root path -> bytes as served.

    ``only_articles``: render only these article pages (and every non-article page), for
    updating a site on disk in place.
    """
    files: dict[str, bytes] = dict(STATIC_ASSETS)
    files[HOME] = finish_page(render_home(site), "utf8")
    files[DTYW] = finish_page(render_section_landing(site), site.landing_form)
    for path, (title, text) in STUB_PAGES.items():
        files[path] = finish_page(render_stub(path, title, text), "utf8")
    for section in SECTION_DIRS:
        pages = list_items(site, section)
        for n, items in enumerate(pages, 1):
            page, form = render_list_page(site, section, n, items, len(pages))
            files[list_page_path(section, n)] = finish_page(page, form)
        arts = site.section(section)
        for i, a in enumerate(arts):
            if only_articles is not None and a.id not in only_articles:
                continue
            prev = arts[i - 1] if i > 0 else None
            nxt = arts[i + 1] if i + 1 < len(arts) else None
            files[a.path] = finish_page(render_article(a, prev, nxt), a.form)
            if a.image:
                files[a.image["src"]] = tiny_png()
            if a.attachment:
                files[a.attachment["href"]] = PDF_BYTES
    return files


def write_site(files: dict[str, bytes], out_dir: Path, *, update: bool = False) -> None:
    """Write the files under out_dir (emptied first, unless ``update``: then only changed files)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not update:
        shutil.rmtree(out_dir)
    for path, data in files.items():
        dest = out_dir / path.lstrip("/")
        if update and dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


# ----------------------------------------------------------------- benchmark sites


def bench_site(n: int, template: Site | None = None, new: int = 0) -> Site:
    """A large 园区信息 section of n articles recombined from the demo data (same form mix).

    ``new`` adds that many articles published after the n (ids 99999, 99998, …; titles
    ``…（新1）``): the same site as a later run of an incremental crawl finds it.
    """
    import datetime as dt

    template = template or load_site()
    pool = [a for a in template.articles if a.section == TARGET_SECTION]
    others = [a for a in template.articles if a.section != TARGET_SECTION]
    start = dt.datetime(2024, 12, 31, 17, 0)
    arts = []
    for i in range(-new, n):
        src = pool[i % len(pool)]
        when = start - dt.timedelta(hours=7 * i + (i % 5))
        published = when.strftime(("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")[i % 3])
        paras = src.paragraphs[i % len(src.paragraphs):] + src.paragraphs[: i % len(src.paragraphs)]
        title = f"{src.title}（{i + 1}）" if i >= 0 else f"{src.title}（新{-i}）"
        arts.append(Article(
            id=100000 + i, section=TARGET_SECTION, title=title, published=published,
            source=src.source, views=(i * 37) % 900 + 20, paragraphs=paras, form=src.form,
            participants=src.participants, image=None, attachment=None, trap=None,
        ))
    return Site(articles=arts + others, per_page=20, mirror_list_pages=[2],
                duplicate_id=100000 if n > 20 else None, hot_ids=template.hot_ids)


def bench_update(n: int, new: int, out: Path, template: Site | None = None) -> list[int]:
    """Turn the ``--bench n`` site in ``out`` into the site with ``new`` more articles, in place.

    Renders only the pages that change (the section's list pages, home and landing pages, the
    new articles and their older neighbour) and writes only files whose bytes differ. Returns
    the new articles' ids.
    """
    site = bench_site(n, template or load_site(), new=new)
    new_ids = [100000 + i for i in range(-new, 0)]
    order = [a.id for a in site.section(TARGET_SECTION)]
    changed = set(new_ids)
    for pos, art_id in enumerate(order):
        if art_id in new_ids:  # its neighbours' 上一篇 / 下一篇 links change
            changed.update(order[max(pos - 1, 0): pos + 2])
    write_site(build_pages(site, only_articles=changed), out, update=True)
    return new_ids


CREDIT_LINE = re.compile(r"^（(?:本报)?(?:记者|通讯员)[ 　]*[^）]{2,12}）$")


def expected_record(a: Article, walked: list[str] | None = None) -> dict:
    """Expected crawler output for one article, computed from the source data (not the pages)."""
    from parkcrawl.extract.fingerprint import content_hash

    body_lines = [p.strip() for p in a.paragraphs]
    # A credit line set before the article's first paragraph (the benchmark site rotates the
    # demo's closing "（记者 程晨）" to the front) is the page's by-line, not body: parkcrawl
    # reads it into authors (issue 19). Inside or after the text it stays (docs/output.md, authors).
    if len(body_lines) > 1 and CREDIT_LINE.match(body_lines[0]):
        body_lines.pop(0)
    if a.image:
        body_lines.insert(1, a.image["caption"].strip())
    if a.attachment:
        body_lines.append("附件：" + a.attachment["text"].strip())
    body = "\n".join(body_lines)
    pub = a.published.strip()
    published_at = pub if len(pub) == 10 else pub.replace(" ", "T") + "+08:00"
    walked = walked or ["首页", DTYW_NAME, TARGET_SECTION]
    if a.trap == "no_breadcrumb":
        crumb = list(walked)
    elif a.trap == "wrong_breadcrumb":
        crumb = ["首页", DTYW_NAME, "部门动态"]
    else:
        crumb = ["首页", DTYW_NAME, a.section]
    return {
        "url": a.path,
        "title": a.title,
        "body": body,
        "published_at": published_at,
        "breadcrumb": crumb,
        "participants": [{"name": p["name"], "role": p.get("role")} for p in a.participants],
        "source": a.source,
        "encoding": "gb18030" if a.form in GBK_FORMS else "utf-8",
        "script": "Hant" if a.form == "mirror" else "Hans",
        "content_hash": content_hash(a.title, body),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--demo", action="store_true", help="render fixtures/demo/articles.toml into fixtures/site/")
    g.add_argument("--bench", type=int, metavar="N", help="render a synthetic site of N 园区信息 articles")
    ap.add_argument("--toml", type=Path, default=DEMO_TOML)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--new", type=int, default=0, metavar="K",
                    help="with --bench: K more articles, newer than the N (an incremental run's site)")
    ap.add_argument("--update", action="store_true",
                    help="with --bench N --new K: update the --bench N site in --out in place")
    args = ap.parse_args(argv)
    if args.bench and args.update:
        if not args.out or not args.new:
            ap.error("--update needs --new K and --out DIR")
        ids = bench_update(args.bench, args.new, args.out, load_site(args.toml))
        print(f"added {len(ids)} articles to {args.out}", file=sys.stderr)
        return 0
    if args.demo:
        site = load_site(args.toml)
        out = args.out or DEMO_OUT
    else:
        if not args.out:
            ap.error("--bench needs --out DIR")
        site = bench_site(args.bench, load_site(args.toml), new=args.new)
        out = args.out
    files = build_pages(site)
    write_site(files, out)
    if args.bench:
        recs = sorted((expected_record(a) for a in site.section(TARGET_SECTION)), key=lambda r: r["url"])
        with open(Path(out).parent / (Path(out).name + ".expected.jsonl"), "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(files)} files to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
