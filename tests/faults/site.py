"""A small park-news site written into a folder: 首页 → 动态要闻 → 园区信息 list pages → articles.

Every article is a plain, well-formed CMS page with a unique title, so a test knows exactly what
a captured article looks like; faults are added by the fault server, not by the files.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

SECTION = "/dtyw/yqxx"
HOME = "/index.html"
LANDING = "/dtyw/index.html"

# Hand-written titles: one per article slot, all distinct (content hashes and titles differ).
TITLES = [
    "园区召开安全生产工作推进会",
    "园区举办科技创新政策宣讲会",
    "园区开展食品安全专项检查",
    "园区与高校签署产学研合作协议",
    "园区举行重大项目集中开工仪式",
    "园区召开优化营商环境座谈会",
    "园区开展防汛应急演练活动",
    "园区举办青年人才招聘洽谈会",
    "园区推进生态环境综合整治",
    "园区召开党风廉政建设工作会议",
    "园区组织企业参加进博会对接",
    "园区开展消防安全大检查",
    "园区举办知识产权保护培训班",
    "园区召开季度经济运行分析会",
    "园区推动数字化转型服务行动",
    "园区开展文明城市创建志愿服务",
    "园区召开招商引资工作例会",
    "园区举办企业家恳谈会",
    "园区开展冬季供暖保障检查",
    "园区召开年度工作总结大会",
    "园区举办新春团拜会",
    "园区推进标准厂房建设工程",
    "园区开展安全生产月宣传活动",
    "园区召开人才工作领导小组会议",
    "园区举办跨境电商发展论坛",
    "园区开展重点企业走访服务",
    "园区召开乡村振兴工作推进会",
    "园区举行退役军人就业专场活动",
    "园区召开金融服务实体经济对接会",
    "园区开展夏季高温安全检查",
    "园区举办职工技能竞赛决赛",
]
SENTENCES = [
    "会议由园区管委会主任主持，各部门负责同志参加。",
    "与会人员围绕年度目标任务进行了深入交流讨论。",
    "会议要求各单位压实责任，确保各项工作落到实处。",
    "下一步，园区将持续完善工作机制，推动高质量发展。",
]

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_苏锡通科技产业园区</title></head>
<body>
<div class="nav"><ul><li><a href="/index.html">首页</a></li><li><a href="/dtyw/index.html">动态要闻</a></li></ul></div>
{main}
<div class="footer"><p>版权所有 苏锡通科技产业园区管理委员会</p></div>
</body></html>
"""


@dataclass(frozen=True)
class ArticlePage:
    """One article of the site: its path, title, date and bytes as written."""

    path: str
    title: str
    date: str

    def url(self, base_url: str) -> str:
        return base_url + self.path


def article_path(n: int) -> str:
    return f"{SECTION}/a{n:02d}.html"


def list_path(page: int) -> str:
    return f"{SECTION}/index.html" if page == 1 else f"{SECTION}/index_{page - 1}.html"


def article_html(title: str, date: str, n: int) -> str:
    paragraphs = "\n".join(f"<p>　　{html.escape(title)}。{s}本文编号{n}。</p>" for s in SENTENCES)
    main = (
        '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
        '<a href="/dtyw/index.html">动态要闻</a> &gt; <a href="/dtyw/yqxx/index.html">园区信息</a></div>\n'
        f'<div class="article"><h1 class="title">{html.escape(title)}</h1>\n'
        f'<div class="info">发布时间：{date}　来源：园区办公室</div>\n'
        f'<div class="content"><div class="TRS_Editor">\n{paragraphs}\n</div></div></div>'
    )
    return PAGE.format(title=html.escape(title), main=main)


def list_html(items: list[ArticlePage], page: int, pages: int, extra_links: str = "") -> str:
    entries = "\n".join(
        f'<li><a href="{a.path}" title="{html.escape(a.title)}">{html.escape(a.title)}</a>'
        f"<span>{a.date}</span></li>"
        for a in items
    )
    pager = ""
    if pages > 1:
        links = [f'<a href="{list_path(p)}">{p}</a>' for p in range(1, pages + 1) if p != page]
        if page < pages:
            links.append(f'<a href="{list_path(page + 1)}">下一页</a>')
        pager = f'<div class="pagination">{" ".join(links)}</div>'
    main = (
        '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
        '<a href="/dtyw/index.html">动态要闻</a> &gt; 园区信息</div>\n'
        f'<div class="right"><ul class="list">\n{entries}\n{extra_links}</ul>\n{pager}</div>'
    )
    return PAGE.format(title="园区信息", main=main)


def write_site(
    root: Path,
    n_articles: int,
    *,
    per_page: int = 100,
    extra_list_links: str = "",
    pages: dict[str, str] | None = None,
) -> list[ArticlePage]:
    """Write the site into ``root``; returns its articles in list order.

    ``extra_list_links`` is raw ``<li>`` markup appended to the first list page; ``pages`` adds or
    replaces files (site path → HTML text).
    """
    assert n_articles <= len(TITLES)
    articles = [
        ArticlePage(article_path(n), TITLES[n - 1], f"2024-11-{28 - n:02d}")
        for n in range(1, n_articles + 1)
    ]
    files: dict[str, str] = {
        "/robots.txt": "User-agent: *\nDisallow:\n",
        HOME: PAGE.format(
            title="首页", main='<div class="main"><a href="/dtyw/index.html">动态要闻</a></div>'
        ),
        LANDING: PAGE.format(
            title="动态要闻",
            main='<div class="main"><a href="/dtyw/yqxx/index.html">园区信息</a></div>',
        ),
    }
    chunks = [articles[i : i + per_page] for i in range(0, len(articles), per_page)] or [[]]
    for page, items in enumerate(chunks, 1):
        files[list_path(page)] = list_html(
            items, page, len(chunks), extra_list_links if page == 1 else ""
        )
    for n, article in enumerate(articles, 1):
        files[article.path] = article_html(article.title, article.date, n)
    files.update(pages or {})
    for path, text in files.items():
        dest = root / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    return articles
