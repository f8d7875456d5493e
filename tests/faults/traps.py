"""Hostile list pages for the fault server: pagers without end, session ids, pathological markup.

Each function returns fault-server rules (site path → :class:`Generate` fault) laid over the
site of :mod:`tests.faults.site`; every answer is built from the request, so the site never ends.
"""

from __future__ import annotations

import html
import itertools
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from tests.faults.site import PAGE, SECTION, ArticlePage, article_html, list_path
from tools.fault_server import Body, Fault, Generate

# Session ids and sort keys as a server invents them: a new one on every answer.
_serial = itertools.count(1)


def token() -> str:
    return f"{next(_serial):08X}{'A7F3C2E9D1B4' * 2}"


def list_page(items: list[ArticlePage], pager: str, *, link_suffix: str = "") -> bytes:
    """A 园区信息 list page with these articles and this pager markup."""
    entries = "\n".join(
        f'<li><a href="{a.path}{link_suffix}">{html.escape(a.title)}</a><span>{a.date}</span></li>'
        for a in items
    )
    main = (
        '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
        '<a href="/dtyw/index.html">动态要闻</a> &gt; 园区信息</div>\n'
        f'<div class="right"><ul class="list">\n{entries}\n</ul>\n'
        f'<div class="pagination">{pager}</div></div>'
    )
    return PAGE.format(title="园区信息", main=main).encode("utf-8")


def generated_article(n: int) -> ArticlePage:
    """Article ``n`` of an endless section (its own title and text, so never a duplicate)."""
    return ArticlePage(f"{SECTION}/g{n}.html", f"园区第{n}期工作简报", "2024-10-01")


def endless_pager(first: list[ArticlePage]) -> dict[str, Fault]:
    """下一页 for ever: list page N links page N+1, each listing one article of its own."""

    def page(target: str) -> bytes | None:
        match = re.fullmatch(rf"{SECTION}/index_(\d+)\.html", urlsplit(target).path)
        if match is None:
            return None
        n = int(match.group(1))
        return list_page(
            [generated_article(n)],
            f'<a href="{list_path(1)}">1</a> <a href="{SECTION}/index_{n + 1}.html">下一页</a>',
        )

    def article(target: str) -> bytes | None:
        match = re.fullmatch(rf"{SECTION}/g(\d+)\.html", urlsplit(target).path)
        if match is None:
            return None
        n = int(match.group(1))
        return article_html(generated_article(n).title, "2024-10-01", 100 + n).encode("utf-8")

    return {
        list_path(1): Body(list_page(first, f'<a href="{SECTION}/index_1.html">下一页</a>')),
        f"{SECTION}/index_*": Generate(page),
        f"{SECTION}/g*": Generate(article),
    }


def sort_variants(first: list[ArticlePage]) -> dict[str, Fault]:
    """Page 1 links itself under a new random ``?sort=`` on every answer (as 1 and as 下一页)."""

    def page(target: str) -> bytes:
        return list_page(
            first,
            f'<a href="{list_path(1)}?sort={token()}">1</a> '
            f'<a href="{list_path(1)}?sort={token()}">下一页</a>',
        )

    return {list_path(1): Generate(page)}


def calendar_pager(first: list[ArticlePage]) -> dict[str, Fault]:
    """A calendar in the pager: every day of the month a page of its own, 下一页 the next day."""

    def page(target: str) -> bytes:
        day = parse_qs(urlsplit(target).query).get("date")
        shown = date.fromisoformat(day[0]) if day else date(2024, 11, 1)
        month = [
            shown.replace(day=1) + timedelta(days=d)
            for d in range(31)
            if (shown.replace(day=1) + timedelta(days=d)).month == shown.month
        ]
        days = " ".join(f'<a href="{list_path(1)}?date={d}">{d.day}</a>' for d in month)
        nxt = f'<a href="{list_path(1)}?date={shown + timedelta(days=1)}">下一页</a>'
        return list_page(first if not day else [], f"<span>{days}</span> {nxt}")

    return {list_path(1): Generate(page)}


def session_ids(first: list[ArticlePage], second: list[ArticlePage]) -> dict[str, Fault]:
    """Two list pages whose every link carries a new ``;jsessionid=`` on every answer."""

    def page(items: list[ArticlePage], other: str, text: str):  # type: ignore[no-untyped-def]
        def render(target: str) -> bytes:
            sid = f";jsessionid={token()}"
            return list_page(items, f'<a href="{other}{sid}">{text}</a>', link_suffix=sid)

        return render

    def article(n: int, a: ArticlePage):  # type: ignore[no-untyped-def]
        return lambda target: article_html(a.title, a.date, n).encode("utf-8")

    # A servlet container takes ``;jsessionid=…`` off the path: so do these rules (``*``).
    rules: dict[str, Fault] = {
        f"{a.path}*": Generate(article(n, a)) for n, a in enumerate([*first, *second], 1)
    }
    rules[f"{list_path(1)}*"] = Generate(page(first, list_path(2), "下一页"))
    rules[f"{list_path(2)}*"] = Generate(page(second, list_path(1), "1"))
    return rules


def deeper_chain(first: list[ArticlePage]) -> dict[str, Fault]:
    """下一页 one folder deeper each time (more/more/more/…), every page listing page 1's articles."""

    def page(target: str) -> bytes:
        return list_page(first, '<a href="more/index.html">下一页</a>')

    return {list_path(1): Generate(page), f"{SECTION}/more/*": Generate(page)}


def many_attributes(title: str, n: int) -> bytes:
    """An article page whose one ``<p>`` carries ``n`` attributes (libxml2 is quadratic in them)."""
    attributes = " ".join(f'a{i}="x"' for i in range(n))
    page = article_html(title, "2024-11-20", 99).replace("<p>", f"<p {attributes}>", 1)
    return page.encode("utf-8")

