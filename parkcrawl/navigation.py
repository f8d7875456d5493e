"""Find section links, list items and pagination by the cleaned text of links (pure, over a Selector).

Nothing here knows a site's URL scheme or CSS classes: a section is the link whose text is the
section's name, a list is the largest group of similar title-like links (preferring items that
carry a date), and pagination is the group of links around 下一页 / 尾页 / page numbers. The
HTML handed in is already cleaned (Simplified, no pinyin annotations) by :mod:`parkcrawl.text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from parkcrawl.urls import safe_join_url

# Link texts of pagination controls, after normalize_link_text (symbols such as > » removed).
NEXT_PAGE_TEXTS = frozenset({"下一页", "下页", "后页", "下一頁", "next", "nextpage"})
LAST_PAGE_TEXTS = frozenset({"尾页", "末页", "最后一页", "最末页", "last"})
PREV_PAGE_TEXTS = frozenset({"上一页", "上页", "前页", "prev", "previous"})
# 首页 is also the site's home: never follow it from pagination (list page 1 is already known).
FIRST_PAGE_TEXTS = frozenset({"首页", "第一页", "first"})
PAGINATION_CONTAINER_HINT = re.compile(r"pag|fenye|fy|turn", re.I)
PAGE_NUMBER = re.compile(r"^(?:第)?\[?(\d{1,5})\]?(?:页)?$")

# Site chrome that holds links but never the article list.
CHROME_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|menu|header|footer|foot|top|bottom|breadcrumb|crumb|position|location|"
    r"friend|links?|banner|copyright)(?:$|[\s_-]|\d)",
    re.I,
)
CHROME_TAGS = frozenset({"nav", "header", "footer"})
# Elements that make one entry of a list.
LIST_ITEM_TAGS = ("li", "tr", "dd", "dt", "p")
DATE_IN_ITEM = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?|\d{1,2}-\d{1,2}")
MIN_TITLE_CHARS = 5
# Pager and home words: never an article row, whatever markup they share with the rows.
PAGER_WORDS = NEXT_PAGE_TEXTS | LAST_PAGE_TEXTS | PREV_PAGE_TEXTS | FIRST_PAGE_TEXTS

_NOT_TEXT = re.compile(r"[\s\u3000\xa0>»«<›‹·|/\\\-—_:：\[\]【】()（）.…]+")


@dataclass(frozen=True)
class Link:
    """An absolute http(s) link and its normalized text."""

    url: str
    text: str


def normalize_link_text(text: str) -> str:
    """Link text for comparison: whitespace and navigation symbols removed, ASCII lowercased."""
    return _NOT_TEXT.sub("", text).lower()


# The walk runs these on every anchor of every list page: on the lxml element under the
# Selector, compiled once, they cost a fraction of a parsel .xpath() (a new Selector per result).
_TEXTS = etree.XPath(".//text()")
_IMG_ALT = etree.XPath("string(.//img/@alt)")
_STRING = etree.XPath("string(.)")
# The anchors themselves too: lxml elements, not a parsel Selector made for each (the Selectors
# were a third of reading a list page).
_ANCHORS = etree.XPath("//a[@href]")
_ANCHORS_UNDER = etree.XPath(".//a[@href]")
_NEAR_ANCESTORS = etree.XPath("ancestor::*[position() <= 3]")
_NAMED = etree.XPath("//*[@class or @id]")


def _anchor_text(el: etree._Element) -> str:
    text = " ".join(_TEXTS(el)).strip()
    if not text:
        # Image links and truncated titles often carry the full text in title= or alt=.
        text = el.get("title") or _IMG_ALT(el) or ""
    return text


@lru_cache(maxsize=1024)
def _absolute(base_url: str, href: str | None) -> str | None:
    # Cached: a list page's pager and article list read the same anchors (urljoin +
    # safe_url_string were 5% of a crawl's main thread). The key holds the page's own URL, so
    # hits are within a page: 1,024 is several list pages' anchors; 4,096 held ~1.6 MB for nothing.
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = safe_join_url(base_url, href)
    if url is None or urlsplit(url).scheme not in ("http", "https"):
        return None
    return url.split("#", 1)[0]


# The last page's links: a list page asks for them for its article list, again for its pager
# (and 下一页), from the same unchanged tree. Held by the tree itself (``is``), so a new page,
# even one at the same address, is read afresh.
_last_links: list[Any] = [None, "", []]


def page_links(sel: Selector, base_url: str) -> list[tuple[etree._Element, Link]]:
    """Every http(s) anchor (element) of the page with its absolute URL and normalized text."""
    root, last_base, last = _last_links
    if root is sel.root and last_base == base_url:
        return list(last)
    out = []
    for anchor in _ANCHORS(sel.root):
        url = _absolute(base_url, anchor.get("href"))
        if url:
            out.append((anchor, Link(url, normalize_link_text(_anchor_text(anchor)))))
    _last_links[:] = [sel.root, base_url, out]
    return list(out)


def find_section_link(sel: Selector, base_url: str, wanted: str) -> Link | None:
    """The link to the section named ``wanted`` (already cleaned): exact text first, then title=."""
    target = normalize_link_text(wanted)
    links = page_links(sel, base_url)
    here = base_url.split("#", 1)[0]
    exact = [link for _, link in links if link.text == target and link.url != here]
    if exact:
        return exact[0]
    titled = [
        link
        for anchor, link in links
        if normalize_link_text(anchor.get("title", "")) == target and link.url != here
    ]
    if titled:
        return titled[0]
    # "园区信息>>" or "【园区信息】" normalize to the name; a longer text that merely contains it
    # ("园区信息公开目录") is a different section, so containment is not accepted.
    return None


def section_link_texts(sel: Selector, base_url: str, limit: int = 30) -> list[str]:
    """Distinct link texts of the page, for an error message naming what was seen instead."""
    seen: list[str] = []
    for _, link in page_links(sel, base_url):
        if link.text and link.text not in seen and len(link.text) <= 12:
            seen.append(link.text)
        if len(seen) >= limit:
            break
    return seen


def _class_id(node: etree._Element) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}"


def _in_chrome(anchor: etree._Element) -> bool:
    for ancestor in anchor.iterancestors():
        if ancestor.tag in CHROME_TAGS or CHROME_HINT.search(
            f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        ):
            return True
    return False


def _item_and_container(anchor: etree._Element) -> tuple[etree._Element, etree._Element | None]:
    """The anchor's list entry (nearest <li>, else <tr>, … LIST_ITEM_TAGS) and its parent."""
    ancestors = list(anchor.iterancestors())
    for tag in LIST_ITEM_TAGS:
        for item in ancestors:
            if item.tag == tag:
                return item, item.getparent()
    return anchor, anchor.getparent()


def _signature(node: etree._Element | None, depth: int = 4) -> str:
    """Tag/class/id path of a node: list containers on every list page of a section share it."""
    parts = []
    while node is not None and depth > 0:
        tag = node.tag
        if not isinstance(tag, str) or not tag:
            break
        parts.append(f"{tag}.{node.get('class', '')}#{node.get('id', '')}")
        node = node.getparent()
        depth -= 1
    return "/".join(reversed(parts))


def is_pagination_text(text: str) -> bool:
    return (
        text in NEXT_PAGE_TEXTS
        or text in LAST_PAGE_TEXTS
        or text in PREV_PAGE_TEXTS
        or text in FIRST_PAGE_TEXTS
        or bool(PAGE_NUMBER.match(text))
    )


@dataclass(frozen=True)
class ArticleList:
    """The article links of one list page and the signature of the container they came from."""

    links: list[Link]
    signature: str | None


def article_links(
    sel: Selector, base_url: str, *, prefer_signature: str | None = None
) -> ArticleList:
    """The links of the page's main article list, in page order.

    Candidate links are same-host, title-like (at least MIN_TITLE_CHARS characters) and outside
    site chrome. They are grouped by their container's signature; the group whose items carry
    dates, then the largest, wins. ``prefer_signature`` (from the section's first list page)
    keeps a short last page from losing to a sidebar box of "hot news".
    """
    host = urlsplit(base_url).hostname
    groups: dict[str, list[tuple[Link, bool]]] = {}
    # Per group: its container elements and the markup of its rows (row tag and class, link
    # class), to join rows a template set in a box of their own just above the list.
    boxes: dict[str, list[etree._Element]] = {}
    row_markup: dict[str, set[str]] = {}
    # Rows with a short or number-like text ("显示", "1"): kept by position, joined to the
    # winning group when they share its container (same row markup), never a group alone.
    short: dict[str, list[tuple[int, Link]]] = {}
    order: dict[str, int] = {}
    for position, (anchor, link) in enumerate(page_links(sel, base_url)):
        if urlsplit(link.url).hostname != host:
            continue
        pager_word = link.text in PAGER_WORDS
        if not link.text or pager_word or _in_chrome(anchor):
            continue
        item, container = _item_and_container(anchor)
        signature = _signature(container)
        known = boxes.setdefault(signature, [])
        if container is not None and all(box is not container for box in known):
            known.append(container)
        row_markup.setdefault(signature, set()).add(_row_markup(item, anchor))
        if len(link.text) < MIN_TITLE_CHARS or is_pagination_text(link.text):
            short.setdefault(signature, []).append((position, link))
            continue
        order.setdefault(link.url, position)
        dated = bool(DATE_IN_ITEM.search(_STRING(item)))
        groups.setdefault(signature, []).append((link, dated))
    if not groups:
        return ArticleList([], None)
    if prefer_signature in groups:
        signature = prefer_signature
    else:
        signature = max(
            groups,
            key=lambda s: (sum(d for _, d in groups[s]) * 2 + len(groups[s]), len(groups[s])),
        )
    rows = [(order[link.url], link) for link, _ in groups[signature]] + short.get(signature, [])
    for other in _boxes_just_above(signature, boxes, row_markup):
        rows += [(order[link.url], link) for link, _ in groups.get(other, [])]
        rows += short.get(other, [])
    rows.sort(key=lambda row: row[0])
    return ArticleList(_unique(link for _, link in rows), signature)


def _row_markup(item: etree._Element, anchor: etree._Element) -> str:
    return f"{item.tag}.{item.get('class', '')}|a.{anchor.get('class', '')}"


def _boxes_just_above(
    signature: str, boxes: dict[str, list[etree._Element]], row_markup: dict[str, set[str]]
) -> list[str]:
    """Groups whose box stands right above the list's box, in the same parent, with rows of the
    same markup: a CMS that sets its first (pinned) rows in a table of their own (issue 19).
    A box elsewhere on the page (a sidebar of hot news) is never joined."""
    by_box = {id(box): other for other, found in boxes.items() for box in found if other != signature}
    joined: list[str] = []
    for box in boxes.get(signature, [])[:1]:
        for sibling in box.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue  # a comment (<!-- 列表开始 -->) or processing instruction: no box, no text
            other = by_box.get(id(sibling))
            if other is None:
                if "".join(sibling.itertext()).strip():
                    break  # a box with other text between: not part of this list
                continue  # a spacer
            if row_markup.get(other, set()) & row_markup.get(signature, set()):
                joined.append(other)
            else:
                break
    return joined


def _unique(links: Iterable[Link]) -> list[Link]:
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def next_page_links(sel: Selector, base_url: str) -> list[str]:
    """URLs of the 下一页 links only: an incremental run walks the list in order and may stop."""
    here = base_url.split("#", 1)[0]
    urls = [link.url for _, link in page_links(sel, base_url) if link.text in NEXT_PAGE_TEXTS]
    return [url for url in dict.fromkeys(urls) if url != here]


def pagination_links(sel: Selector, base_url: str) -> list[str]:
    """URLs of the other list pages reachable from this one: next, last and numbered pages."""
    links = page_links(sel, base_url)
    here = base_url.split("#", 1)[0]
    controls = [
        (anchor, link)
        for anchor, link in links
        if link.text in NEXT_PAGE_TEXTS or link.text in LAST_PAGE_TEXTS or link.text in PREV_PAGE_TEXTS
    ]
    # The numbered links that matter sit in the same block as 下一页 / 尾页; elsewhere a number
    # is a date, a count or a phone extension.
    containers: list[etree._Element] = []
    for anchor, _ in controls:
        for parent in _NEAR_ANCESTORS(anchor):
            if len(_ANCHORS_UNDER(parent)) >= 2:
                containers.append(parent)
                break
    if not containers:
        containers = [
            node for node in _NAMED(sel.root) if PAGINATION_CONTAINER_HINT.search(_class_id(node))
        ]
    urls = [link.url for _, link in controls if link.text not in PREV_PAGE_TEXTS]
    for container in containers:
        for anchor in _ANCHORS_UNDER(container):
            text = normalize_link_text(_anchor_text(anchor))
            url = _absolute(base_url, anchor.get("href"))
            if url and PAGE_NUMBER.match(text):
                urls.append(url)
    return [url for url in dict.fromkeys(urls) if url != here]


class ListWalk:
    """One section's list walk: which list pages it requested, and the caps that bound it.

    Set by PARKCRAWL_MAX_LIST_PAGES (``max_pages``) and PARKCRAWL_MAX_URL_VARIANTS
    (``max_variants``); 0 turns a cap off. A hostile or broken site can link list pages without
    end (an endless 下一页, a calendar in the pager, ``?sort=RAND`` self-links, ever deeper chains);
    every such walk either requests new list pages forever, which ``max_pages`` stops, or keeps
    requesting variants of one path that list nothing new, which ``max_variants`` stops early.
    A refused page is recorded in ``cuts`` (cap → what it cut) so the run can say the walk is cut.
    """

    def __init__(self, section: str, max_pages: int, max_variants: int):
        self.section = section
        self.max_pages = max_pages
        self.max_variants = max_variants
        self.requested: set[str] = set()
        # The listed articles' keys, by their hash: only "new to this walk?" is asked of them,
        # and a 64-bit hash of a 70-character URL takes half its memory (this set grows by
        # one entry per article of the section, ~4 MB fewer per 50,000). Two URLs sharing a hash
        # (odds ~1e-10 at 50,000) would count one article as not new.
        self.listed: set[int] = set()
        # Per path: query variants whose page listed no article new to this walk. A real pager
        # (``?page=N``) lists new articles on every page, so only traps are counted.
        self.barren_variants: dict[tuple[str, str], int] = {}
        self.cuts: dict[str, str] = {}
        self.refused = 0

    @staticmethod
    def _path_key(url: str) -> tuple[str, str] | None:
        parts = urlsplit(url)
        return (parts.netloc.lower(), parts.path) if parts.query else None

    def admit(self, key: str) -> bool:
        """Whether to request the list page ``key`` (its canonical URL): new to the walk and in the caps."""
        if key in self.requested:
            return False
        path = self._path_key(key)
        if path is not None and self.max_variants and (
            self.barren_variants.get(path, 0) >= self.max_variants
        ):
            self.cuts.setdefault(
                "url variant cap",
                f"{self.max_variants} query variants of {path[1]} listed nothing new "
                f"(PARKCRAWL_MAX_URL_VARIANTS) in section {self.section}",
            )
            self.refused += 1
            return False
        if self.max_pages and len(self.requested) >= self.max_pages:
            self.cuts.setdefault(
                "list page cap",
                f"list page cap {self.max_pages} reached (PARKCRAWL_MAX_LIST_PAGES) "
                f"in section {self.section}",
            )
            self.refused += 1
            return False
        self.requested.add(key)
        return True

    def read(self, key: str, article_keys: Iterable[str]) -> int:
        """Note that list page ``key`` listed ``article_keys``; returns how many were new to the walk."""
        before = len(self.listed)
        self.listed.update(map(hash, article_keys))
        new = len(self.listed) - before
        path = self._path_key(key)
        if not new and path is not None:
            self.barren_variants[path] = self.barren_variants.get(path, 0) + 1
        return new
