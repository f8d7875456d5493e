"""Article title: government meta tags, then the headline element, then the <title> element."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lxml import etree

from parkcrawl.extract.body import (
    AttrMatcher,
    clean_line,
    find_body_node,
    tag_name,
    text_content,
)
from parkcrawl.extract.selectors import (
    BARE_SUFFIX_HEAD_RATIO,
    BARE_SUFFIX_MAX_CHARS,
    BARE_SUFFIX_WORD,
    HEADLINE_CLASS,
    HEADLINE_COUNTER,
    HEADLINE_ID,
    HEADLINE_MAX_CHARS,
    HEADLINE_MIN_CHARS,
    HEADLINE_TAGS,
    SENTENCE_END,
    SITE_NAME_MAX_CHARS,
    SITE_NAME_TAIL,
    SITE_SEGMENT_MAX_CHARS,
    STYLED_HEADLINE_FOLLOWING_TEXTS,
    STYLED_HEADLINE_MAX_CHARS,
    STYLED_HEADLINE_PARAGRAPH_CHARS,
    STYLED_HEADLINE_XPATH,
    TITLE_BARE_HYPHEN,
    TITLE_DASH_SEPARATOR,
    TITLE_STRONG_SEPARATORS,
    UNREFERENCED_HEADLINE_CLASS,
    UNREFERENCED_HEADLINE_ID,
    UNREFERENCED_HEADLINE_MIN_CHARS,
)

# HEADLINE_XPATH and UNREFERENCED_HEADLINE_XPATH, evaluated in Python (see AttrMatcher).
_HEADLINES = AttrMatcher(HEADLINE_CLASS, HEADLINE_ID, HEADLINE_TAGS)
_UNREFERENCED = AttrMatcher(UNREFERENCED_HEADLINE_CLASS, UNREFERENCED_HEADLINE_ID)
_REGEX_NS = {"re": "http://exslt.org/regular-expressions"}
_STYLED = etree.XPath(STYLED_HEADLINE_XPATH, namespaces=_REGEX_NS)
_FOLLOWING_TEXTS = etree.XPath(
    f"following::text()[normalize-space()][position() <= {STYLED_HEADLINE_FOLLOWING_TEXTS}]"
)
# A headline candidate must match the reference title at least this well.
MIN_SIMILARITY = 0.6
# A candidate of at least this many characters at the start or end of the title scores this.
EDGE_MATCH_MIN_CHARS = 6
EDGE_MATCH_SCORE = 0.8


def _site_like(segment: str) -> bool:
    if len(segment) <= SITE_SEGMENT_MAX_CHARS:
        return True
    return len(segment) <= SITE_NAME_MAX_CHARS and bool(SITE_NAME_TAIL.search(segment))


def strip_site_suffix(title: str) -> str:
    """Remove site and channel names appended to a page title ("标题_频道_网站" → "标题")."""
    title = clean_line(title)
    parts = [p for p in TITLE_STRONG_SEPARATORS.split(title) if p]
    if not parts:
        return ""
    # Peel trailing segments while they look like site or channel names; the first stays.
    while len(parts) > 1 and _site_like(parts[-1]):
        parts.pop()
    # Two long halves left: the separator was inside the headline, or the site name was not
    # recognised; the longest part is the headline either way.
    title = max(parts, key=len) if len(parts) > 1 else parts[0]
    # "标题-新华网": a bare dash separates a suffix only when the tail names a site.
    while True:
        pieces = TITLE_DASH_SEPARATOR.split(title)
        tail = pieces[-1]
        if len(pieces) < 2 or len(tail) > SITE_NAME_MAX_CHARS or not SITE_NAME_TAIL.search(tail):
            break
        title = title[: len(title) - len(tail)].rstrip().rstrip("-–—－").rstrip()
    return _strip_bare_suffixes(title)


def _strip_bare_suffixes(title: str) -> str:
    """Peel "-栏目" / "-站点" tails joined by a bare hyphen ("标题-搜狐财经")."""
    while True:
        matches = list(TITLE_BARE_HYPHEN.finditer(title))
        if not matches:
            return title
        match = matches[-1]
        head, tail = title[: match.start()], title[match.end() :]
        if (
            tail != tail.strip()
            or head != head.rstrip()
            or not 2 <= len(tail) <= BARE_SUFFIX_MAX_CHARS
            or not BARE_SUFFIX_WORD.match(tail)
            or len(head) < BARE_SUFFIX_HEAD_RATIO * len(tail)
            or len(head) < HEADLINE_MIN_CHARS
        ):
            return title
        title = head


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def similarity(candidate: str, reference: str) -> float:
    """How well a headline candidate matches the page title (1.0 = the same text)."""
    cand, ref = candidate.replace(" ", ""), reference.replace(" ", "")
    if not cand or not ref:
        return 0.0
    if cand == ref:
        return 1.0
    if cand in ref or ref in cand:
        ratio = min(len(cand), len(ref)) / max(len(cand), len(ref))
        # A headline that opens or closes the page title is the title with words the suffix
        # stripping did not recognise ("标题 某某资讯平台", "某市政府 通知公告 标题").
        # Only when the candidate is the shorter one: a box holding the title plus its dateline
        # must not pass for the headline.
        if len(cand) >= EDGE_MATCH_MIN_CHARS and (ref.startswith(cand) or ref.endswith(cand)):
            return max(ratio, EDGE_MATCH_SCORE)
        return ratio
    a, b = _bigrams(cand), _bigrams(ref)
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


@dataclass(frozen=True)
class TitleResult:
    """The title and the headline element it was matched to (None if no element matched)."""

    title: str | None
    headline: etree._Element | None


def _candidates(root: etree._Element) -> list[tuple[etree._Element, str]]:
    found = []
    for el in _HEADLINES(root):
        if tag_name(el) in ("title", "meta", "head", "body", "html"):
            continue
        text = _headline_text(el)
        if HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS:
            found.append((el, text))
    return found


def _headline_text(el: etree._Element) -> str:
    """The element's text without the counters a headline may carry in child elements
    ("标题<span class="count">241</span>": comment, view or word counts)."""
    parts = [el.text or ""]
    for child in el:
        child_text = " ".join(child.itertext()) if tag_name(child) else ""
        if not HEADLINE_COUNTER.fullmatch(child_text.strip()):
            parts.append(child_text)
        parts.append(child.tail or "")
    return clean_line(" ".join(parts))


def _title_element_text(root: etree._Element) -> str:
    el = root.find(".//title")
    return clean_line(text_content(el)) if el is not None else ""


def _headline_by_text(root: etree._Element, title: str) -> etree._Element | None:
    """The innermost element whose whole text is the title (old table layouts set headlines in
    <td><b><font>), outside links; the first one wins."""
    body = root.find("body")
    key = title.replace(" ", "")
    if body is None or not key:
        return None
    found = None
    for el in body.iter():
        tag = tag_name(el)
        if not tag or tag == "a" or el.getparent() is None:
            continue
        text = clean_line(" ".join(el.itertext())).replace(" ", "")
        if text == key and not any(tag_name(a) == "a" for a in el.iterancestors()):
            found = el  # keep descending: an inner element with the same text is tighter
        elif found is not None and not _is_inside(el, found):
            break
    return found


def _is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def extract_title(
    root: etree._Element, meta_title: str | None, social_title: str | None = None
) -> TitleResult:
    """Meta ArticleTitle, else the headline best matching <title>, else <title> minus suffixes."""
    page_title = _title_element_text(root)
    stripped = strip_site_suffix(page_title) if page_title else ""
    if not stripped and social_title:
        # An empty <title>: the og:title / twitter:title the page gives for sharing stands in.
        stripped = strip_site_suffix(social_title)
    meta_title = clean_line(meta_title) if meta_title else None
    reference = meta_title or stripped
    best_rank: tuple[float, int, int] | None = None
    best: tuple[etree._Element, str] | None = None
    if reference:
        for order, (el, text) in enumerate(_candidates(root)):
            score = similarity(text, reference)
            # h1 beats a class="title" box of the same text; earlier beats later.
            rank = (round(score, 3), 1 if tag_name(el) == "h1" else 0, -order)
            if score >= MIN_SIMILARITY and (best_rank is None or rank > best_rank):
                best_rank, best = rank, (el, text)
    if meta_title:
        headline = best[0] if best else _headline_by_text(root, meta_title)
        return TitleResult(meta_title, headline)
    if not stripped or _is_link_label(root, stripped):
        # The <title> names only the site, or a column its navigation links to ("新闻动态_某市
        # 人民政府"): the page's single <h1> is the headline.
        lone = _lone_h1(root)
        # An <h1> holding the stripped title ("标题[编辑]") confirms it instead.
        if lone is not None and (not stripped or stripped.replace(" ", "") not in (
            (lone.title or "").replace(" ", "")
        )):
            return lone
    if best_rank is None or best_rank[0] < 1.0:
        # No headline element carries the stripped <title> exactly: if the page prints it on
        # its own anyway (old table layouts), it is the title; if it prints several segments of
        # the <title> ("站名 - 标题", the site name in the banner), the one nearest above the
        # article text.
        shown = _segment_shown(root, stripped)
        if shown is not None:
            return _segment_nearest_body(root, page_title, shown) or shown
    if best is not None:
        return TitleResult(best[1], best[0])
    if not stripped:
        return _unreferenced_headline(root)
    return TitleResult(stripped, _headline_by_text(root, stripped))


def _unreferenced_headline(root: etree._Element) -> TitleResult:
    """No title to match against: the first element named as a headline box, if its text has a
    headline's length."""
    body = root.find("body")
    if body is None:
        return TitleResult(None, None)
    for el in _UNREFERENCED(body):
        text = _headline_text(el)
        if UNREFERENCED_HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS:
            return TitleResult(text, el)
    return _styled_headline(body)


def _styled_headline(body: etree._Element) -> TitleResult:
    """The first bold, big or centred line standing right above a paragraph (see
    STYLED_HEADLINE_XPATH): an old table layout's headline, with nothing else to name it."""
    for el in _STYLED(body):
        if any(tag_name(a) == "a" for a in el.iterancestors()) or el.find(".//a") is not None:
            continue  # a link (menu, related list) is never the headline
        text = clean_line(" ".join(el.itertext()))
        if not HEADLINE_MIN_CHARS <= len(text) <= STYLED_HEADLINE_MAX_CHARS or SENTENCE_END.search(
            text
        ):
            continue
        # following:: skips the element's own texts
        following = [clean_line(t) for t in _FOLLOWING_TEXTS(el)]
        if any(len(t) >= STYLED_HEADLINE_PARAGRAPH_CHARS for t in following):
            return TitleResult(text, el)
    return TitleResult(None, None)


def _is_link_label(root: etree._Element, text: str) -> bool:
    """A link of the page (navigation, breadcrumb) has exactly this text."""
    key = text.replace(" ", "")
    return any(clean_line(text_content(a)).replace(" ", "") == key for a in root.iter("a"))


def _segment_shown(root: etree._Element, stripped: str) -> TitleResult | None:
    """The stripped <title> when an element holds it as its whole text outside links (an exact
    headline beats a heading that only resembles it, such as a numbered section heading)."""
    if not HEADLINE_MIN_CHARS <= len(stripped) <= HEADLINE_MAX_CHARS:
        return None
    el = _headline_by_text(root, stripped)
    return TitleResult(stripped, el) if el is not None else None


def _segment_nearest_body(
    root: etree._Element, page_title: str, stripped: TitleResult
) -> TitleResult | None:
    """The stripped title is printed on its own; if other segments of the <title> are too
    (outside links), the one opening or nearest above the article text, else None."""
    shown = [(stripped.title, stripped.headline)]
    for part in TITLE_STRONG_SEPARATORS.split(page_title):
        segment = clean_line(part)
        if (
            segment == stripped.title
            or not HEADLINE_MIN_CHARS <= len(segment) <= HEADLINE_MAX_CHARS
            or segment in (seg for seg, _ in shown)
        ):
            continue
        el = _headline_by_text(root, segment)
        if el is not None and not _is_link_label(root, segment):
            shown.append((segment, el))
    if len(shown) < 2:
        return None
    container = find_body_node(root)
    if container is None:
        return None
    position = {el: index for index, el in enumerate(root.iter())}
    start = position.get(container)
    if start is None:
        return None
    # The article box may open with the headline: the first segment inside it wins; else the
    # last one above it.
    inside = [(position[el], seg, el) for seg, el in shown if _is_inside(el, container)]
    before = [(position[el], seg, el) for seg, el in shown if position.get(el, start) < start]
    if inside:
        _, segment, el = min(inside, key=lambda item: item[0])
    elif before:
        _, segment, el = max(before, key=lambda item: item[0])
    else:
        return None
    return TitleResult(segment, el)


def _lone_h1(root: etree._Element) -> TitleResult | None:
    """The page's only <h1>, when its text has a headline's length."""
    h1s = list(root.iter("h1"))
    if len(h1s) != 1:
        return None
    text = clean_line(" ".join(h1s[0].itertext()))
    if HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS:
        return TitleResult(text, h1s[0])
    return None
