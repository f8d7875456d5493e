"""Article body: find the text container, lay its text out as paragraphs, drop the furniture.

Known CMS containers are tried first (``selectors.CONTENT_SELECTORS``); pages without one fall
back to a text- and punctuation-density scorer (the method GNE is built on).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree
from parsel.csstranslator import HTMLTranslator

from parkcrawl.extract.authors import parse_byline
from parkcrawl.extract.dates import find_dates
from parkcrawl.extract.selectors import (
    BLOCK_TAGS,
    BODY_END_LINES,
    BODY_END_MARKERS,
    BODY_MAX_LINK_RATIO,
    BODY_MIN_CHARS,
    BOILERPLATE_LINE_MAX_CHARS,
    BOILERPLATE_LINE_PATTERNS,
    BREADCRUMB_LINE,
    BREADCRUMB_MARKERS,
    BYLINE_LEAD_LINES,
    BYLINE_MAX_CHARS,
    BYLINE_PARAGRAPH_CHARS,
    BYLINE_REST_MAX_CHARS,
    BYLINE_SENTENCE,
    CELL_TAGS,
    CLIMB_MAX_LEVELS,
    CLIMB_MAX_LINK_RATIO,
    CLIMB_MIN_GAIN,
    CLIMB_MIN_PUNCT_SHARE,
    CLIMB_MIN_SCORE_SHARE,
    CONTENT_HINT,
    CONTENT_HINT_BONUS,
    CONTENT_SELECTORS,
    COUNTER_LINE,
    DATELINE_MAX_CHARS,
    DATELINE_WORDS,
    DENSITY_SKIP_TAGS,
    DISCLOSURE_META_LINE,
    DROP_TAGS,
    FEED_MIN_ITEMS,
    FURNITURE_CLASSES,
    GENERIC_CONTAINER_MIN_SHARE,
    GENERIC_CONTENT_SELECTORS,
    HIDDEN_STYLE,
    INLINE_TAGS,
    KNOWN_INSIDE_MIN_SHARE,
    LINK_BOX_KEEP_HREF,
    LINK_BOX_MAX_SHARE,
    LINK_BOX_MIN_LINKS,
    LINK_BOX_MIN_RATIO,
    LINK_BOX_TAGS,
    NOISE_HINT,
    NOISE_HINT_PENALTY,
    NOTICE_MAX_CHARS,
    NOTICE_MIN_WORDS,
    NOTICE_PENALTY,
    NOTICE_WORDS,
    PARAGRAPH_RUN_MIN,
    PUNCTUATION,
    REPEATED_POST_MIN,
    REPEATED_POST_TAGS,
    SUMMARY_HINT,
    SUMMARY_LABEL,
    SUMMARY_MAX_CHARS,
    SUMMARY_MAX_LINK_RATIO,
    SUMMARY_MIN_CHARS,
    SUMMARY_SIBLINGS,
    WIDGET_HINT,
    WIDGET_MAX_CHARS,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u3000\xa0\u200b\u200c\u200d\u2060\ufeff]+")
_CSS = HTMLTranslator()
_BREAK = "\n"
_XPATH_CACHE: dict[str, etree.XPath] = {}


def clean_line(text: str) -> str:
    """Collapse whitespace (full-width spaces, nbsp, zero-width characters) and trim."""
    return collapse_spaces(text).strip()


def collapse_spaces(text: str) -> str:
    """Each run of whitespace (full-width spaces, nbsp, zero-width characters) as one space.

    Most pieces of a page's text need no regex: half are whitespace only (the markup's
    indentation), and most others hold no character but printable ones and single ASCII spaces
    (every other space, and every zero-width character, is not printable), which the regex
    leaves as they are. Those two tests run in C; the regex is for the rest (~5% of pieces).
    """
    if text.isspace():
        return " "
    if text.isprintable() and "  " not in text:
        return text
    return _SPACES.sub(" ", text)


def tag_name(el: etree._Element) -> str:
    """Lower-case tag name; "" for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def css(el: etree._Element, selector: str) -> list[etree._Element]:
    """Elements matching a CSS selector (compiled once)."""
    xpath = _XPATH_CACHE.get(selector)
    if xpath is None:
        xpath = _XPATH_CACHE[selector] = etree.XPath(
            _CSS.css_to_xpath(selector, prefix="descendant-or-self::")
        )
    return list(xpath(el))


class AttrMatcher:
    """What ``//*[re:test(@class, C, 'i') or re:test(@id, I, 'i')]`` (plus ``//tag`` for each of
    ``tags``) selects, in document order over the element's whole document, with Python's re
    run here instead of through libxml2's EXSLT callbacks (several times faster)."""

    def __init__(
        self, class_pattern: str | None, id_pattern: str | None, tags: Iterable[str] = ()
    ) -> None:
        self.class_re = re.compile(class_pattern, re.IGNORECASE) if class_pattern else None
        self.id_re = re.compile(id_pattern, re.IGNORECASE) if id_pattern else None
        self.tags = frozenset(tags)

    def __call__(self, el: etree._Element) -> list[etree._Element]:
        # XPath's "//" starts at the document's root whatever the context element.
        root = el.getroottree().getroot()
        class_re, id_re, tags = self.class_re, self.id_re, self.tags
        found = []
        for node in root.iter(etree.Element):
            if node.tag in tags:
                found.append(node)
                continue
            value = node.get("class")
            if value is not None and class_re is not None and class_re.search(value):
                found.append(node)
                continue
            value = node.get("id")
            if value is not None and id_re is not None and id_re.search(value):
                found.append(node)
        return found


# Plain libxml2 elements, not lxml.html's: its parser gives each element a Python class
# (HtmlElement, looked up in Python for every node a walk touches), which cost ~2.5% of reading
# an article page for two conveniences, drop_tree and text_content, kept below as functions.
_HTML_PARSER = etree.HTMLParser()


def drop_tree(el: etree._Element) -> None:
    """Remove ``el`` and its subtree, keeping its tail text in place (lxml.html's drop_tree)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def text_content(el: etree._Element) -> str:
    """All the text inside ``el``, tails of its descendants included (lxml.html's text_content)."""
    return "".join(el.itertext())


def parse_html(html: str) -> etree._Element | None:
    """Parse decoded HTML into a tree with scripts, styles, comments and hidden widgets removed."""
    html = _XML_DECLARATION.sub("", html.lstrip("\ufeff"), count=1)
    if not html.strip():
        return None
    try:
        root = etree.fromstring(html, _HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None
    if root is None:  # nothing but blanks, comments or a doctype: no document
        return None
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in root.xpath("//body//*[@style]"):
        if HIDDEN_STYLE.search(el.get("style", "")) and el.getparent() is not None:
            drop_tree(el)
    return root


# -- text layout ---------------------------------------------------------------------------------


def element_lines(el: etree._Element, skip: Iterable[etree._Element] = ()) -> list[str]:
    """The element's text laid out as trimmed, non-empty lines (blocks and <br> break lines)."""
    skipped = set(skip)
    parts: list[str] = []
    # Newlines in the markup are spaces to a browser: only blocks and <br> break lines.
    add = parts.append

    def walk(node: etree._Element) -> None:
        tag = tag_name(node)
        block = tag in BLOCK_TAGS
        if block:
            add(_BREAK)
        elif tag in CELL_TAGS:
            add(" ")
        if node.text and tag:
            add(collapse_spaces(node.text))
        for child in node:
            if child not in skipped:
                walk(child)
            if child.tail:
                add(collapse_spaces(child.tail))
        if block:
            add(_BREAK)

    walk(el)
    lines = (clean_line(line) for line in "".join(parts).split(_BREAK))
    return [line for line in lines if line]


# -- density scoring -------------------------------------------------------------------------------


@dataclass
class NodeStats:
    """Text measures of one element and everything under it."""

    chars: int = 0  # non-space characters
    link_chars: int = 0  # of which inside <a>
    punct: int = 0  # sentence punctuation characters outside links
    tags: int = 0  # descendant elements that are not inline formatting
    link_tags: int = 0  # descendant <a> elements
    paragraphs: int = 0  # descendant <p> and <br>

    @property
    def text_chars(self) -> int:
        return self.chars - self.link_chars

    @property
    def link_ratio(self) -> float:
        return self.link_chars / self.chars if self.chars else 1.0


# Characters that do not count as text (str.isspace() plus the zero-width space), and the
# punctuation marks, as regular expressions: counted in C, not per character in Python.
_NOT_COUNTED = re.compile("[\\s\u200b]+")
_PUNCTUATION_CHARS = re.compile("[" + re.escape("".join(sorted(set(PUNCTUATION)))) + "]")


def _count(text: str | None) -> tuple[int, int]:
    if not text:
        return 0, 0
    chars = len(text) - sum(len(run) for run in _NOT_COUNTED.findall(text))
    return chars, len(_PUNCTUATION_CHARS.findall(text))


def measure(root: etree._Element) -> dict[etree._Element, NodeStats]:
    """NodeStats for every element under (and including) ``root``, in one bottom-up pass."""
    stats: dict[etree._Element, NodeStats] = {}
    # Locals and plain sums, one NodeStats built per element: this runs on every element of
    # every article page, and attribute updates per child cost more than the counting itself.
    not_counted, punctuation, inline = _NOT_COUNTED, _PUNCTUATION_CHARS, INLINE_TAGS

    def walk(node: etree._Element, tag: str, in_link: bool) -> NodeStats:
        is_link = in_link or tag == "a"
        text = node.text
        # whitespace only (half the pieces of a page): nothing to count, no regex to run
        if text and not text.isspace():
            chars, punct = len(not_counted.sub("", text)), len(punctuation.findall(text))
        else:
            chars = punct = 0
        sub_chars = sub_links = sub_punct = tags = link_tags = paragraphs = 0
        for child in node:
            child_tag = child.tag
            if not isinstance(child_tag, str):
                continue  # a comment or processing instruction: neither it nor its tail counts
            child_tag = child_tag.lower()
            sub = walk(child, child_tag, is_link)
            sub_chars += sub.chars
            sub_links += sub.link_chars
            sub_punct += sub.punct
            tags += sub.tags + (child_tag not in inline)
            link_tags += sub.link_tags + (child_tag == "a")
            paragraphs += sub.paragraphs + (child_tag in ("p", "br"))
            tail = child.tail
            if tail and not tail.isspace():
                chars += len(not_counted.sub("", tail))
                punct += len(punctuation.findall(tail))
        own = NodeStats(
            sub_chars + chars,
            sub_links + (chars if is_link else 0),
            sub_punct + (0 if is_link else punct),
            tags,
            link_tags,
            paragraphs,
        )
        stats[node] = own
        return own

    walk(root, tag_name(root), False)
    return stats


def density_score(el: etree._Element, st: NodeStats) -> float:
    """Text density times punctuation and paragraph weight, discounted by link text (GNE-style)."""
    if st.text_chars < BODY_MIN_CHARS or st.punct == 0:
        return 0.0
    # Link tags are inline and not counted in `tags`: links lower the score through link_ratio.
    density = st.text_chars / (st.tags + 1)
    # sqrt(punctuation) rewards holding the whole article over holding one long paragraph;
    # density (characters per block tag) punishes page wrappers full of menus and lists.
    score = density * math.sqrt(st.punct) * math.log10(st.paragraphs + 10)
    score *= (1.0 - st.link_ratio) ** 2
    hints = f"{el.get('class', '')} {el.get('id', '')}"
    if CONTENT_HINT.search(hints):
        score *= CONTENT_HINT_BONUS
    if NOISE_HINT.search(hints):
        score *= NOISE_HINT_PENALTY
    return score


def densest_node(
    body: etree._Element, stats: dict[etree._Element, NodeStats]
) -> etree._Element | None:
    """The block element whose text is densest in sentences and poorest in links."""
    best, best_score = None, 0.0
    for el in body.iter():
        tag = tag_name(el)
        if not tag or tag in DENSITY_SKIP_TAGS:
            continue
        score = density_score(el, stats[el])
        # (the feed and notice tests walk the element: asked only of one that would win)
        if score > best_score and _is_notice(el, stats[el]):
            score *= NOTICE_PENALTY
        if score > best_score and not _in_feed(el):
            best, best_score = el, score
        # The element's own paragraphs, scored without the rest of it: old portals set the
        # article's <p>s straight into a layout cell that also holds headline tables and
        # spacers, which drown the cell's own score.
        run = _paragraph_run(el, stats) if stats[el].paragraphs >= PARAGRAPH_RUN_MIN else None
        if run is not None:
            score = density_score(el, run)
            if score > best_score:
                best, best_score = el, score
    return _climb(best, best_score, body, stats) if best is not None else None


def _paragraph_run(
    el: etree._Element, stats: dict[etree._Element, NodeStats]
) -> NodeStats | None:
    """The summed NodeStats of the element's direct <p> children (None under PARAGRAPH_RUN_MIN)."""
    paragraphs = [child for child in el if child.tag == "p"]
    if len(paragraphs) < PARAGRAPH_RUN_MIN:
        return None
    run = NodeStats(paragraphs=len(paragraphs), tags=len(paragraphs))
    for p in paragraphs:
        st = stats[p]
        run.chars += st.chars
        run.link_chars += st.link_chars
        run.punct += st.punct
        run.tags += st.tags
        run.link_tags += st.link_tags
        run.paragraphs += st.paragraphs
    return run


def _is_notice(el: etree._Element, st: NodeStats) -> bool:
    """Whether the element is a short legal notice (著作权声明, 免责声明), not an article."""
    if st.text_chars > NOTICE_MAX_CHARS:
        return False
    words = {m.group(0) for m in NOTICE_WORDS.finditer("".join(el.itertext()))}
    return len(words) >= NOTICE_MIN_WORDS


def _in_feed(el: etree._Element) -> bool:
    """Whether the element lies inside an item of a list of FEED_MIN_ITEMS items or more."""
    for ancestor in el.iterancestors("li"):
        parent = ancestor.getparent()
        if parent is not None and sum(child.tag == "li" for child in parent) >= FEED_MIN_ITEMS:
            return True
    return False


def _climb(
    node: etree._Element, score: float, body: etree._Element,
    stats: dict[etree._Element, NodeStats],
) -> etree._Element:
    """From one dense paragraph up to the block holding the rest of the article: templates
    that set paragraphs as <div>s or split an article over cells make one part the densest.
    The widest ancestor (CLIMB_MAX_LEVELS up) with CLIMB_MIN_GAIN times the text, almost no
    links and CLIMB_MIN_SCORE_SHARE of the score wins."""
    mine = stats[node]
    best = node
    for level, parent in enumerate(node.iterancestors()):
        if level >= CLIMB_MAX_LEVELS or parent is body:
            break
        if tag_name(parent) in DENSITY_SKIP_TAGS:  # a table row or list: look further up
            continue
        theirs = stats.get(parent)
        if theirs is None:  # above the measured subtree (a page whose <body> lxml made up)
            break
        if (
            theirs.text_chars >= CLIMB_MIN_GAIN * mine.text_chars
            and theirs.link_ratio <= CLIMB_MAX_LINK_RATIO
            and (
                density_score(parent, theirs) >= CLIMB_MIN_SCORE_SHARE * score
                or theirs.punct * mine.text_chars
                >= CLIMB_MIN_PUNCT_SHARE * mine.punct * theirs.text_chars
            )
        ):
            best = parent
    return best


def _is_ancestor(ancestor: etree._Element, el: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _valid(st: NodeStats) -> bool:
    return st.text_chars >= BODY_MIN_CHARS and st.link_ratio <= BODY_MAX_LINK_RATIO


def _best_match(
    matches: list[etree._Element], stats: dict[etree._Element, NodeStats]
) -> etree._Element | None:
    """Of several matches, the one with the most text; an inner match holding nearly all of an
    outer one's text wins (it carries less furniture)."""
    valid = [m for m in matches if m in stats and _valid(stats[m])]
    if not valid:
        return None
    best = max(valid, key=lambda m: stats[m].text_chars)
    for inner in valid:
        if (
            inner is not best
            and _is_ancestor(best, inner)
            and stats[inner].text_chars >= 0.8 * stats[best].text_chars
        ):
            best = inner
    return best


# "tag.class", "#id", ".class", "tag", "[attr=value]": the selector shapes of the container
# lists, answered from one pass over the page instead of one XPath walk per selector.
_SIMPLE_SELECTOR = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)?(?:\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[(?P<attr>[\w-]+)=(?P<val>[\w-]+)\])?$"
)


class SelectorIndex:
    """Elements of one page by class token, id, tag and (attribute, value), in document order;
    ``select`` answers the simple selectors of CONTENT_SELECTORS without walking the page again."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_class: dict[str, list[etree._Element]] = {}
        self.by_id: dict[str, list[etree._Element]] = {}
        self.by_tag: dict[str, list[etree._Element]] = {}
        self.by_attr: dict[tuple[str, str], list[etree._Element]] = {}
        for el in root.iter(etree.Element):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            self.by_tag.setdefault(tag.lower(), []).append(el)
            for name, value in el.attrib.items():
                if name == "class":
                    for token in value.split():
                        self.by_class.setdefault(token, []).append(el)
                elif name == "id":
                    self.by_id.setdefault(value, []).append(el)
                else:
                    self.by_attr.setdefault((name, value), []).append(el)

    def select(self, selector: str) -> list[etree._Element]:
        """Elements matching ``selector`` (falls back to ``css`` for other shapes)."""
        match = _SIMPLE_SELECTOR.match(selector)
        if match is None:
            return css(self.root, selector)
        tag = match["tag"]
        if match["cls"]:
            found = self.by_class.get(match["cls"], [])
        elif match["id"]:
            found = self.by_id.get(match["id"], [])
        elif match["attr"]:
            found = self.by_attr.get((match["attr"], match["val"]), [])
        else:
            return list(self.by_tag.get(tag or "", []))
        return [el for el in found if tag is None or el.tag.lower() == tag]


def find_body_node(root: etree._Element) -> etree._Element | None:
    """The element holding the article text: a known container, else the densest block; the
    first post when that block is one of a page's repeated posts."""
    body = root.find("body")
    if body is None:
        body = root
    stats = measure(body)
    index = SelectorIndex(body)
    found = _find_container(body, stats, index)
    return _first_post(found, stats, index) if found is not None else None


def _first_post(
    node: etree._Element, stats: dict[etree._Element, NodeStats], index: SelectorIndex
) -> etree._Element:
    """The first of the page's posts when ``node`` is one of REPEATED_POST_MIN or more blocks of
    one template (same tag and class, none inside another, not siblings: each post sits in its
    own wrapper with its title and date), every one a valid text block; else ``node``."""
    tag, cls = tag_name(node), node.get("class", "").strip()
    if tag not in REPEATED_POST_TAGS or not cls:
        return node
    # From the index by class token, not through a selector made of the page's class: a token
    # no CSS identifier can spell (",content", "md:w-2/3") made cssselect raise, and the article
    # was lost to a pipeline error.
    same = [
        el for el in index.by_class.get(cls.split()[0], [])
        if tag_name(el) == tag and el.get("class", "").strip() == cls and el in stats
    ]
    if len(same) < REPEATED_POST_MIN or same[0] is node:
        return node
    parents = {id(el.getparent()) for el in same}
    if len(parents) < len(same):  # siblings: paragraphs or cells of one article
        return node
    if any(_is_ancestor(a, b) for a in same for b in same if a is not b):
        return node
    if not all(_valid(stats[el]) and stats[el].punct > 0 for el in same):
        return node
    return same[0]


def _find_container(
    body: etree._Element, stats: dict[etree._Element, NodeStats], index: SelectorIndex
) -> etree._Element | None:
    dense = densest_node(body, stats)
    # Known CMS containers: trusted when they hold text and do not sit beside a far larger text
    # block (then they are a sidebar or summary box that happens to use the name).
    for selector in CONTENT_SELECTORS:
        match = _best_match(index.select(selector), stats)
        if match is None:
            continue
        if dense is not None and _is_ancestor(dense, match) and match is not dense:
            # Inside the dense block, a known name must still hold a fair share of its text:
            # a small "content" box in an article is a caption or a note, not the article.
            if stats[match].text_chars < KNOWN_INSIDE_MIN_SHARE * stats[dense].text_chars:
                continue
            return match
        if dense is None or _is_ancestor(match, dense):
            return match
        if stats[match].text_chars >= 0.5 * stats[dense].text_chars:
            return match
    # Generic names: used only around the dense node, and only if that node fills most of it.
    if dense is not None:
        for selector in GENERIC_CONTENT_SELECTORS:
            match = _best_match(index.select(selector), stats)
            if match is None or not _is_ancestor(match, dense):
                continue
            if stats[dense].text_chars >= GENERIC_CONTAINER_MIN_SHARE * stats[match].text_chars:
                return match
    return dense


def remove_widgets(container: etree._Element) -> None:
    """Drop share bars, print/close buttons, pagers and related lists inside the container."""
    doomed = []
    for el in container.iterdescendants():
        if not tag_name(el):
            continue
        if FURNITURE_CLASSES.intersection(el.get("class", "").split()):
            doomed.append(el)
            continue
        hints = f"{el.get('class', '')} {el.get('id', '')}"
        if not hints.strip() or not WIDGET_HINT.search(hints):
            continue
        chars, _ = _count("".join(el.itertext()))
        links, _ = _count("".join(t for a in el.iter("a") for t in a.itertext()))
        if chars <= WIDGET_MAX_CHARS or links > 0.5 * chars:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            drop_tree(el)
    remove_link_boxes(container)


def _link_stats(root: etree._Element) -> dict[etree._Element, tuple[int, int, int]]:
    """(characters, link characters, <a> count) of every element under ``root``: the part of
    ``measure`` that remove_link_boxes needs, without its punctuation count."""
    stats: dict[etree._Element, tuple[int, int, int]] = {}
    not_counted = _NOT_COUNTED

    def walk(node: etree._Element, in_link: bool) -> tuple[int, int, int]:
        is_link = in_link or node.tag == "a"
        chars = len(not_counted.sub("", node.text)) if node.text else 0
        sub_chars = sub_links = links = 0
        for child in node:
            if not isinstance(child.tag, str):
                continue
            c, lc, n = walk(child, is_link)
            sub_chars += c
            sub_links += lc
            links += n + (child.tag == "a")
            if child.tail:
                chars += len(not_counted.sub("", child.tail))
        own = (sub_chars + chars, sub_links + (chars if is_link else 0), links)
        stats[node] = own
        return own

    walk(root, False)
    return stats


def remove_link_boxes(container: etree._Element) -> None:
    """Drop headline lists set into the article with no class name to tell them by: a table or
    box (not the whole container) whose text is nearly all links (LINK_BOX_*)."""
    stats = _link_stats(container)
    total = stats[container][0]
    doomed = []

    def walk(node: etree._Element) -> None:
        for el in node:
            st = stats.get(el)
            if st is None or st[2] < LINK_BOX_MIN_LINKS:
                continue  # nothing below holds enough links either
            chars, link_chars, _ = st
            if (
                tag_name(el) in LINK_BOX_TAGS
                and link_chars >= LINK_BOX_MIN_RATIO * chars
                and chars < LINK_BOX_MAX_SHARE * total
                and not any(LINK_BOX_KEEP_HREF.search(a.get("href", "")) for a in el.iter("a"))
            ):
                doomed.append(el)
            else:
                walk(el)

    walk(container)
    for el in doomed:
        if el.getparent() is not None:
            drop_tree(el)


# -- line cleanup ----------------------------------------------------------------------------------


def is_boilerplate(line: str) -> bool:
    """A short line that matches a furniture pattern (share, print, editor, copyright, ...)."""
    if len(line) > BOILERPLATE_LINE_MAX_CHARS:
        return False
    return any(p.search(line) for p in BOILERPLATE_LINE_PATTERNS)


def is_dateline(line: str, *, lone_date: bool = True) -> bool:
    """A short line carrying a date and a dateline word ("发布时间：… 来源：…"), or (with
    ``lone_date``) a date standing alone, as under a headline."""
    if len(line) > DATELINE_MAX_CHARS or "。" in line:
        return False
    dates = find_dates(line)
    if not dates:
        return False
    # A date standing alone ("2024-11-22 09:30", "（2024年11月22日）") is a dateline too.
    rest = line[: dates[0].start] + line[dates[0].end :]
    if lone_date and len(_squash(rest).strip("()（）[]【】|｜")) <= 2:
        return True
    return bool(DATELINE_WORDS.search(line))


def is_byline(line: str) -> bool:
    """A short unlabelled byline: one date plus a few words and no sentence punctuation
    ("某某晚报 2003-7-24", "新闻中心2020-03-05 10:21"); only trusted among a body's first lines."""
    if len(line) > BYLINE_MAX_CHARS or BYLINE_SENTENCE.search(line):
        return False
    dates = find_dates(line)
    if len(dates) != 1:
        return False
    rest = _squash(line[: dates[0].start] + line[dates[0].end :])
    return len(rest) <= BYLINE_REST_MAX_CHARS


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


def _is_title_line(key: str, title_key: str | None) -> bool:
    """The headline, or the headline with a word more or less ("…座谈会强调" over "…座谈会")."""
    if not title_key or not key:
        return False
    if key == title_key:
        return True
    short, long_ = sorted((key, title_key), key=len)
    return len(short) >= 6 and short in long_ and len(long_) <= 1.25 * len(short)


@dataclass
class BodyText:
    """The article's lines plus the lines removed around them (datelines live there)."""

    lines: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # removed before the first body line
    removed: list[str] = field(default_factory=list)  # removed elsewhere, in order

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def clean_lines(lines: list[str], title: str | None) -> BodyText:
    """Remove title, dateline, breadcrumb and furniture lines; cut at related-article lists."""
    result = BodyText()
    title_key = _squash(title) if title else None
    # What is left of the title while a headline set over several lines is consumed.
    title_rest = title_key or ""
    kept: list[str] = []
    started = False
    # Until a paragraph starts, a byline among the first lines is furniture (not text).
    in_lead = True
    for index, line in enumerate(lines):
        if kept and (BODY_END_MARKERS.match(line) or BODY_END_LINES.search(line)):
            result.removed.extend(lines[index:])
            break
        key = _squash(line)
        furniture = is_boilerplate(line)
        # A reporter line over the first paragraph ("本报记者 某某 某某") is no text: it goes
        # to the header, where the authors field reads it.
        # The lead is counted from the first line that is not furniture: a bar of counters
        # and buttons over the headline does not push the byline out of it.
        lead_byline = index - len(result.header) < BYLINE_LEAD_LINES and (
            is_byline(line) or parse_byline(line) is not None
        )
        if not started:
            split_title = bool(title_rest) and title_rest.startswith(key) and len(key) >= 2
            if split_title:
                title_rest = title_rest[len(key) :]
            furniture = (
                furniture
                or split_title
                or is_dateline(line)
                or _is_title_line(key, title_key)
                or bool(BREADCRUMB_MARKERS.match(line))
                or bool(BREADCRUMB_LINE.match(line))
                or bool(DISCLOSURE_META_LINE.match(key))
                # like, comment and share counts over the article ("89", "1.2万")
                or bool(COUNTER_LINE.match(key))
                or lead_byline
            )
        elif in_lead and lead_byline:
            result.header.append(line)
            continue
        if furniture:
            (result.removed if started else result.header).append(line)
            continue
        if len(key) >= BYLINE_PARAGRAPH_CHARS or "。" in line:
            in_lead = False
        started = True
        kept.append(line)
    # Datelines printed under the article (a lone date there is a notice's signature date).
    while kept and is_dateline(kept[-1], lone_date=False):
        result.removed.append(kept.pop())
    result.lines = kept
    return result


def extract_body(
    container: etree._Element | None,
    title: str | None,
    skip: Iterable[etree._Element] = (),
) -> BodyText:
    """The article text of ``container`` as cleaned lines (widgets removed in place)."""
    if container is None:
        return BodyText()
    summary = summary_line(container)
    remove_widgets(container)
    body = clean_lines(element_lines(container, skip), title)
    # Prepended after cleaning: a summary first would end the byline lead of the container.
    if summary and _squash(summary) not in _squash("".join(body.lines)):
        body.lines.insert(0, summary)
    return body


def summary_line(container: etree._Element) -> str | None:
    """The text of an article summary box among the container's nearest preceding siblings."""
    seen = 0
    for el in container.itersiblings(preceding=True):
        if not tag_name(el) or tag_name(el) in DROP_TAGS:
            continue
        seen += 1
        if seen > SUMMARY_SIBLINGS:
            break
        text = clean_line(" ".join(el.itertext()))
        hints = f"{el.get('class', '')} {el.get('id', '')}"
        if not (SUMMARY_HINT.search(hints) or SUMMARY_LABEL.match(text)):
            continue
        chars, _ = _count(text)
        links, _ = _count("".join(t for a in el.iter("a") for t in a.itertext()))
        if (
            SUMMARY_MIN_CHARS <= chars <= SUMMARY_MAX_CHARS
            and any(ch in PUNCTUATION for ch in text)
            and links <= SUMMARY_MAX_LINK_RATIO * chars
        ):
            return text
    return None
