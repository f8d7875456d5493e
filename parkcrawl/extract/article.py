"""Article fields from one cleaned HTML page: title, body, publication date, source, breadcrumb.

Pure: ``extract_article(html, url)`` needs no Scrapy, network or clock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from parkcrawl.cms import COLUMN_META, SITE_NAME_META, plausible_name
from parkcrawl.extract.authors import extract_authors
from parkcrawl.extract.body import (
    AttrMatcher,
    BodyText,
    clean_line,
    element_lines,
    extract_body,
    find_body_node,
    parse_html,
    tag_name,
    text_content,
)
from parkcrawl.extract.dates import (
    date_from_url,
    find_dates,
    more_precise,
    parse_date,
    pick_dateline_date,
    pick_issued_date,
    same_day,
)
from parkcrawl.extract.selectors import (
    BLOCK_TAGS,
    BREADCRUMB_CLASS,
    BREADCRUMB_CSS_ONLY,
    BREADCRUMB_DROP_TAIL,
    BREADCRUMB_ID,
    BREADCRUMB_ITEM_MAX_CHARS,
    BREADCRUMB_MARKERS,
    BREADCRUMB_MAX_CHARS,
    BREADCRUMB_MAX_ITEMS,
    BREADCRUMB_SEPARATORS,
    CELL_TAGS,
    DATE_ELEMENT_CLASS,
    DATE_ELEMENT_ID,
    DATE_ELEMENT_MAX_CHARS,
    DATE_META_NAMES,
    DATELINE_WINDOW_AFTER,
    DATELINE_WINDOW_BEFORE,
    DEAD_HREF,
    DESCRIPTION_MAX_CHARS,
    DESCRIPTION_META_NAMES,
    JSON_LD_MAX_CHARS,
    KEYWORD_MAX_CHARS,
    KEYWORD_SEPARATORS,
    KEYWORDS_META_NAMES,
    MODIFIED_LABEL,
    MODIFIED_LABEL_GAP,
    MODIFIED_META_NAMES,
    SOCIAL_TITLE_META_NAMES,
    SOURCE_END,
    SOURCE_LABEL,
    SOURCE_MAX_CHARS,
    SOURCE_META_NAMES,
    SOURCE_STRIP,
    TITLE_META_NAMES,
)
from parkcrawl.extract.title import extract_title
from parkcrawl.urls import join_url

_SPACES = re.compile(r"\s+")
MIDNIGHT = "T00:00"
# BREADCRUMB_ATTR_XPATH and DATE_ELEMENT_XPATH, evaluated in Python (see AttrMatcher).
_BREADCRUMB_ELEMENTS = AttrMatcher(BREADCRUMB_CLASS, BREADCRUMB_ID)
_DATE_ELEMENTS = AttrMatcher(DATE_ELEMENT_CLASS, DATE_ELEMENT_ID)
_JSON_LD = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>", re.S | re.I
)


@dataclass(frozen=True)
class ArticleFields:
    """What the crawler stores for one article page."""

    title: str | None  # cleaned title, no site suffix
    body: str  # paragraphs joined by "\n"; "" when no body was found
    published_at: str | None  # "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]+08:00" (precision as written)
    source: str | None  # the 来源 value, e.g. "园区管委会办公室"
    breadcrumb: list[str] = field(default_factory=list)  # ["首页", "动态要闻", "园区信息"]
    site_name: str | None = None  # the SiteName meta tag, e.g. "苏锡通科技产业园区"
    column: str | None = None  # the ColumnName meta tag: the column the page says it is in
    # -- schema 1.3 (issue 17) --
    authors: list[dict[str, str]] = field(default_factory=list)  # [{"name": "王敏", "role": "编辑"}]
    description: str | None = None  # the Description meta
    keywords: list[str] = field(default_factory=list)  # the Keywords meta, split
    modified_at: str | None = None  # dateModified-like meta or a 更新时间 line, as published_at
    # One per breadcrumb item: the absolute URL its link points to, None where it has no link.
    breadcrumb_urls: list[str | None] = field(default_factory=list)


EMPTY = ArticleFields(None, "", None, None, [])


def extract_article(html: str, url: str) -> ArticleFields:
    """Extract the article fields of one page (html already decoded and cleaned)."""
    root = parse_html(html)
    if root is None:
        return EMPTY
    return extract_fields(root, find_body_node(root), html, url)


def extract_fields(
    root: etree._Element, container: etree._Element | None, html: str, url: str
) -> ArticleFields:
    """The article fields of a page already parsed (parse_html) whose body node was found
    (find_body_node); the container's widgets are removed in place, so a caller that reads the
    body after this (the media list) sees what the body text was taken from."""
    metas = read_metas(root)
    breadcrumb, breadcrumb_urls = extract_breadcrumb_links(root, base_url(root, url))
    titled = extract_title(
        root, first_meta(metas, TITLE_META_NAMES), first_meta(metas, SOCIAL_TITLE_META_NAMES)
    )
    skip = [titled.headline] if titled.headline is not None else []
    body = extract_body(container, titled.title, skip)
    before, after = dateline_regions(root, titled.headline, container, body)
    boxes = date_element_text(root, container)
    return ArticleFields(
        title=titled.title,
        body=body.text,
        published_at=extract_published_at(
            metas, before, after, boxes, url, json_ld_date(html)
        ),
        source=extract_source(metas, before, after),
        breadcrumb=breadcrumb,
        # Reported as the page declares them (a page may name the wrong column); template
        # placeholders the CMS left unfilled are not.
        site_name=plausible_name(first_meta(metas, SITE_NAME_META)),
        column=plausible_name(first_meta(metas, COLUMN_META)),
        authors=[a.as_dict() for a in extract_authors(byline_candidates(before, after, body))],
        description=extract_description(metas),
        keywords=extract_keywords(metas),
        modified_at=extract_modified_at(metas, before, after, boxes) or json_ld_modified(html),
        breadcrumb_urls=breadcrumb_urls,
    )


# -- by-lines, descriptive metas, modification date (schema 1.3) ---------------------------------

# How many lines at each end of the kept body may be a whole-line by-line ("（记者 程晨）").
BODY_BYLINE_LINES = 2


def byline_candidates(before: str, after: str, body: BodyText) -> list[str]:
    """Lines where by-lines stand, in page order: the dateline region, the body's first and last
    lines (a by-line paragraph the body keeps), then what was cut after the body."""
    lines = before.splitlines()
    lines += body.lines[:BODY_BYLINE_LINES]
    lines += body.lines[BODY_BYLINE_LINES:][-BODY_BYLINE_LINES:]
    lines += after.splitlines()
    return lines


def extract_description(metas: dict[str, str]) -> str | None:
    """The page's Description meta, whitespace collapsed; None when absent or a placeholder."""
    value = first_meta(metas, DESCRIPTION_META_NAMES)
    if value is None or len(value) > DESCRIPTION_MAX_CHARS or plausible_name(value[:60]) is None:
        return None
    return value


def extract_keywords(metas: dict[str, str]) -> list[str]:
    """The Keywords meta split into its terms, in order, each once."""
    value = first_meta(metas, KEYWORDS_META_NAMES)
    if value is None:
        return []
    parts = KEYWORD_SEPARATORS.split(value)
    if len(parts) == 1:
        # "园区 安全生产 会议": spaces separate only where no comma or 、 does.
        parts = value.split()
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if part and len(part) <= KEYWORD_MAX_CHARS and part not in out and plausible_name(part):
            out.append(part)
    return out


def labelled_modified_date(text: str) -> str | None:
    """The date right after the first 更新时间 / 修改时间 label in ``text`` that has one."""
    for match in MODIFIED_LABEL.finditer(text):
        rest = text[match.end() :]
        for found in find_dates(rest):
            if found.start <= MODIFIED_LABEL_GAP:
                return found.value
            break
    return None


def json_ld_modified(html: str) -> str | None:
    """The first ``dateModified`` of the page's JSON-LD blocks (``@graph`` and lists too)."""
    return json_ld_value(html, "dateModified")


def extract_modified_at(metas: dict[str, str], before: str, after: str, boxes: str) -> str | None:
    """A last-modified meta, else a labelled 更新时间 line around the article; None otherwise."""
    for name in MODIFIED_META_NAMES:
        value = parse_date(metas.get(name) or metas.get(name.lower()))
        if value:
            # As for published_at: a CMS's 00:00:00 is a time nobody wrote.
            return value[:10] if value[10:].startswith(MIDNIGHT) else value
    return (
        labelled_modified_date(before)
        or labelled_modified_date(boxes)
        or labelled_modified_date(after)
    )


# -- meta tags -------------------------------------------------------------------------------------


def read_metas(root: etree._Element) -> dict[str, str]:
    """Meta tag contents by name/property/itemprop (first occurrence wins)."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip(), content.strip())
            metas.setdefault(key.strip().lower(), content.strip())
    return metas


def first_meta(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    """The first non-empty meta value among ``names`` (exact name, then lower-case)."""
    for name in names:
        value = metas.get(name) or metas.get(name.lower())
        if value and clean_line(value):
            return clean_line(value)
    return None


# -- dateline --------------------------------------------------------------------------------------


def _linear_text(
    body: etree._Element, marks: dict[str, etree._Element | None]
) -> tuple[str, dict[str, tuple[int, int]]]:
    """The body's text in document order, with the offsets where marked elements start and end."""
    names = {id(el): name for name, el in marks.items() if el is not None}
    parts: list[str] = []
    length = 0
    starts: dict[str, int] = {}
    offsets: dict[str, tuple[int, int]] = {}
    spaces = _SPACES
    # Inlined appends (no helper call per piece): this walks every node of every article page.
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        tag = tag.lower() if isinstance(tag, str) else ""
        name = names.get(id(el))
        if event == "start":
            piece = "\n" if tag in BLOCK_TAGS else " " if tag in CELL_TAGS else ""
            if piece:
                parts.append(piece)
                length += 1
            if name:
                starts[name] = length
            if el.text and tag:
                piece = el.text
                # what spaces.sub(" ", piece) gives, in C for most pieces (see collapse_spaces)
                if piece.isspace():
                    piece = " "
                elif not piece.isprintable() or "  " in piece:
                    piece = spaces.sub(" ", piece)
                parts.append(piece)
                length += len(piece)
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
                length += 1
            if name:
                offsets[name] = (starts[name], length)
            if el is not body and el.tail:
                piece = el.tail
                if piece.isspace():
                    piece = " "
                elif not piece.isprintable() or "  " in piece:
                    piece = spaces.sub(" ", piece)
                parts.append(piece)
                length += len(piece)
    return "".join(parts), offsets


def dateline_regions(
    root: etree._Element,
    headline: etree._Element | None,
    container: etree._Element | None,
    body: BodyText,
) -> tuple[str, str]:
    """Text where a dateline may stand: (between headline and body, around/after the body).

    The first region is searched for any date, the second only for labelled ones: a date far
    from the headline is trusted only when it says it is the publication date.
    """
    page = root.find("body")
    if page is None or container is None:
        return "\n".join(body.header), "\n".join(body.removed)
    text, at = _linear_text(page, {"headline": headline, "container": container})
    c_start, c_end = at["container"]
    header = "\n".join(body.header)
    if "headline" in at:
        h_start, h_end = at["headline"]
        if h_end <= c_start:
            # Headline above the container: the dateline sits between them.
            before = text[h_end : min(c_start, h_end + DATELINE_WINDOW_BEFORE)] + "\n" + header
            if c_start - h_end > DATELINE_WINDOW_BEFORE:
                # A headline far above (a site or column name taken for it, sidebars between):
                # the article's own title-and-date row stands just above the container.
                before += "\n" + text[max(h_end, c_start - DATELINE_WINDOW_AFTER) : c_start]
        else:
            # Headline inside the container: its leading lines were set aside as the header.
            before = header
        above = text[max(0, h_start - DATELINE_WINDOW_AFTER) : h_start]
    else:
        # No headline found: the dateline is the text just above the container.
        above = text[max(0, c_start - DATELINE_WINDOW_BEFORE) : c_start]
        before = above[-DATELINE_WINDOW_AFTER:] + "\n" + header
    after = "\n".join(["\n".join(body.removed), text[c_end : c_end + DATELINE_WINDOW_AFTER], above])
    return before, after


def date_element_text(root: etree._Element, container: etree._Element | None) -> str:
    """Short texts of elements named like a date box (class="pubtime", id="paperdate"), the
    ones before the article container first."""
    before: list[str] = []
    rest: list[str] = []
    passed = False
    page = root.find("body")
    if page is None:
        return ""
    inside_container = set(container.iter()) if container is not None else set()
    boxes = {id(el) for el in _DATE_ELEMENTS(page)}
    for el in page.iter():
        if container is not None and el is container:
            passed = True
        if id(el) not in boxes or el in inside_container:
            continue
        text = clean_line(" ".join(el.itertext()))
        if text and len(text) <= DATE_ELEMENT_MAX_CHARS:
            (rest if passed else before).append(text)
    return "\n".join(before + rest)


def json_ld_value(html: str, key: str) -> str | None:
    """The first date under ``key`` in the page's JSON-LD blocks (``@graph`` and lists too)."""
    for match in _JSON_LD.finditer(html):
        text = match.group(1)
        if len(text) > JSON_LD_MAX_CHARS or key not in text:
            continue
        try:
            data = json.loads(text.strip().removeprefix("<!--").removesuffix("-->"), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                value = node.get(key)
                if isinstance(value, str) and parse_date(value):
                    return parse_date(value)
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return None


def json_ld_date(html: str) -> str | None:
    """The first ``datePublished`` of the page's JSON-LD blocks (``@graph`` and lists too)."""
    return json_ld_value(html, "datePublished")


def extract_published_at(
    metas: dict[str, str], before: str, after: str, boxes: str, url: str,
    json_ld: str | None = None,
) -> str | None:
    """A date printed under an outright publication label when the meta names another day,
    else the meta publication date (precision taken from the dateline when it agrees), else the
    dateline, else a labelled date near the body, else a date box, else JSON-LD's
    datePublished, else a date in the URL. JSON-LD's time is kept when it falls on the day
    found."""
    dateline = (
        pick_dateline_date(before)
        or pick_dateline_date(after, labelled_only=True)
        or pick_dateline_date(boxes)
    )
    meta = None
    for name in DATE_META_NAMES:
        meta = parse_date(metas.get(name) or metas.get(name.lower()))
        if meta:
            break
    if meta and meta[10:].startswith(MIDNIGHT):
        # "2022-01-28 00:00:00" is a CMS filling in a time nobody wrote: keep the day only.
        meta = meta[:10]
    issued = pick_issued_date(before) or pick_issued_date(after)
    if meta and issued and not same_day(meta, issued):
        # The page tells its reader "发布日期：X" and its meta says another day: the meta is a
        # CMS time (re-publication, migration) that nobody was shown; the printed date wins.
        found = issued
    elif meta and dateline:
        found = more_precise(meta, dateline) if same_day(meta, dateline) else meta
    else:
        found = meta or dateline
    if found and json_ld and same_day(found, json_ld):
        # A day-only dateline or meta takes the time JSON-LD gives for the same day.
        return more_precise(found, json_ld)
    return found or json_ld or date_from_url(url)


# -- source ----------------------------------------------------------------------------------------


def parse_source(text: str) -> str | None:
    """The value after the first "来源：" label in ``text`` that has one."""
    for match in SOURCE_LABEL.finditer(text):
        rest = text[match.end() :]
        end = SOURCE_END.search(rest)
        value = clean_line(rest[: end.start() if end else len(rest)]).strip(SOURCE_STRIP)
        if value and len(value) <= SOURCE_MAX_CHARS:
            return value
    return None


def extract_source(metas: dict[str, str], before: str, after: str) -> str | None:
    """ContentSource meta, else the 来源 of the dateline (or of the lines around the body)."""
    meta = first_meta(metas, SOURCE_META_NAMES)
    if meta and "://" not in meta:
        # Some CMSs put the whole "来源：XXX" label into the meta value.
        value = parse_source(meta) if SOURCE_LABEL.search(meta) else meta.strip(SOURCE_STRIP)
        if value and len(value) <= SOURCE_MAX_CHARS:
            return value
    return parse_source(before) or parse_source(after)


# -- breadcrumb ------------------------------------------------------------------------------------


def parse_breadcrumb(text: str, title: str | None = None) -> list[str]:
    """Split a breadcrumb trail ("当前位置：首页 > 动态要闻 > 正文") into its section names."""
    marker = BREADCRUMB_MARKERS.search(text)
    if marker:
        text = text[marker.end() :]
    items = [clean_line(item).strip(" :：") for item in BREADCRUMB_SEPARATORS.split(text)]
    items = [item for item in items if item]
    # The page kind ("正文") or the article's own title may close the trail; neither is a section.
    while items and (
        items[-1] in BREADCRUMB_DROP_TAIL
        or len(items[-1]) > BREADCRUMB_ITEM_MAX_CHARS
        or (title is not None and items[-1] == title)
    ):
        items.pop()
    return items


def _marker_trail(el: etree._Element) -> tuple[str | None, etree._Element | None]:
    """The line of text holding the breadcrumb marker, widened to the parent when the items
    sit in the next elements; and the element that line was read from (its links)."""
    node: etree._Element | None = el
    for _ in range(4):
        if node is None:
            return None, None
        for line in element_lines(node):
            marker = BREADCRUMB_MARKERS.search(line)
            if marker and line[marker.end() :].strip(" :："):
                return (line, node) if len(line) <= BREADCRUMB_MAX_CHARS else (None, None)
        node = node.getparent()
    return None, None


def base_url(root: etree._Element, url: str) -> str:
    """The URL relative links resolve against: the page's ``<base href>``, else its own URL."""
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return join_url(url, href) or url
    return url


def crumb_urls(items: list[str], el: etree._Element | None, base: str) -> list[str | None]:
    """The absolute URL of each breadcrumb item's link inside ``el``, in trail order; None for
    an item without a link (the current section written as text, a ``javascript:`` link)."""
    links = []
    if el is not None:
        for a in el.iter("a"):
            links.append((clean_line(text_content(a)).strip(" :："), a.get("href") or ""))
    urls: list[str | None] = []
    at = 0
    for item in items:
        url = None
        for index in range(at, len(links)):
            text, href = links[index]
            if text == item:
                at = index + 1
                absolute = join_url(base, href.strip()) if not DEAD_HREF.match(href) else ""
                url = absolute if absolute and absolute.startswith(("http://", "https://")) else None
                break
        urls.append(url)
    return urls


def extract_breadcrumb(root: etree._Element) -> list[str]:
    """The page's own breadcrumb: text after 当前位置/您的位置, else a crumb/position element."""
    return extract_breadcrumb_links(root, "")[0]


def extract_breadcrumb_links(
    root: etree._Element, base: str
) -> tuple[list[str], list[str | None]]:
    """The page's own breadcrumb and, item for item, the absolute URL each links to (None where
    an item has no link); both empty when the page has no breadcrumb."""
    page = root.find("body")
    if page is None:
        return [], []
    for el in page.iter():
        if not tag_name(el):
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        if BREADCRUMB_MARKERS.search(own):
            line, node = _marker_trail(el)
            items = parse_breadcrumb(line) if line else []
            if items:
                return items, crumb_urls(items, node, base)
    for el in _BREADCRUMB_ELEMENTS(page):
        lines = element_lines(el)
        text = " ".join(lines)
        if not text or len(text) > BREADCRUMB_MAX_CHARS:
            continue
        if BREADCRUMB_SEPARATORS.search(text):
            items = parse_breadcrumb(text)
        elif BREADCRUMB_CSS_ONLY.search(f"{el.get('class', '')} {el.get('id', '')}"):
            # Separators drawn by CSS: the links (or list items) are the trail.
            links = [clean_line(text_content(a)) for a in el.iter("a")]
            items = parse_breadcrumb(" > ".join([t for t in links if t] or lines))
        else:
            continue
        if 2 <= len(items) <= BREADCRUMB_MAX_ITEMS:
            return items, crumb_urls(items, el, base)
    return [], []
