"""What the CMSs of Chinese government sites hide in scripts, read from the page itself (pure).

Two CMS families keep a section's list out of reach of a selector over the visible HTML:

* Hanweb (大汉) jcms writes the first list page's items into
  ``<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>…`` and fetches
  the rest with a POST to ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``
  whose form fields (``col, appid, webid, path, columnid, …``) stand in the page's script. The
  reply is the same datastore XML with ``totalrecord`` and ``totalpage``.
* TRS WCM writes the pager with ``createPageHTML(count, current, "index", "html")``: page 0 is
  ``index.html``, page k is ``index_k.html``, the last is ``index_{count-1}.html``.

Government pages also carry standard meta tags (国办发〔2017〕47号, GB/T 42147-2022): SiteName,
ColumnName and others. Nothing here imports Scrapy or knows a site; the datastore XML is parsed
without entity expansion, DTDs or network access, and only up to a size limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml import etree
from parsel import Selector

from parkcrawl.navigation import (
    NEXT_PAGE_TEXTS,
    Link,
    is_pagination_text,
    normalize_link_text,
    page_links,
)
from parkcrawl.urls import safe_join_url

# -- Hanweb datastore ------------------------------------------------------------------------------

# A datastore is a list of links: a few hundred KB at most. Anything far larger is a fault or an
# attack, and is refused before parsing.
MAX_DATASTORE_BYTES = 4 * 1024 * 1024
# The form fields the dataproxy module reads, in the order the module's own script posts them.
DATAPROXY_FIELDS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
# Without columnid the module answers with another column's records, or none.
DATAPROXY_REQUIRED = ("columnid",)
DEFAULT_PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
# jpage's defaults when the page's script leaves them out.
DEFAULT_PER_PAGE = 15
DEFAULT_GROUP_SIZE = 3
# A reply claiming more records than this is not believed (each record is a request).
MAX_TOTAL_RECORDS = 100_000

_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)
_CDATA = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|$)", re.S)
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_RECORD = re.compile(r"<record\b[^>]*>(.*?)</record\s*>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>(.*?)</nextgroup\s*>", re.S | re.I)
_CDATA_BODY = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|$)", re.S)
_TOTAL = {
    name: re.compile(rf"<{name}\b[^>]*>\s*(\d{{1,9}})\s*</{name}\s*>", re.I)
    for name in ("totalrecord", "totalpage")
}


@dataclass(frozen=True)
class Datastore:
    """The records of a Hanweb datastore and the totals it states.

    ``problems`` names what was wrong with the document: ``too_large`` and ``dtd_refused``
    (nothing was read), ``malformed_xml`` (records were recovered by a tolerant scan),
    ``empty_record`` (a record without content was skipped).
    """

    records: tuple[str, ...]  # the HTML of each record, usually one <li>…</li>
    total_record: int | None = None
    total_page: int | None = None
    problems: tuple[str, ...] = ()


def _as_text(xml: str | bytes) -> str:
    if isinstance(xml, str):
        return xml
    # The declaration names the codec (UTF-8 by default; GBK sites say so).
    head = xml[:200].decode("ascii", "replace")
    match = re.search(r"encoding\s*=\s*[\"']([\w.:-]+)[\"']", head)
    codec = match.group(1) if match else "utf-8"
    if codec.lower().replace("-", "").replace("_", "") in ("gb2312", "gbk"):
        codec = "gb18030"  # a superset: GBK-only characters in a gb2312-labelled reply survive
    try:
        return xml.decode(codec, "replace")
    except (LookupError, UnicodeError):
        # no such codec, no text codec (rot13), or one that cannot replace a bad byte (idna,
        # undefined): the reply names it, so a hostile one would otherwise raise out of here
        return xml.decode("utf-8", "replace")


def _total(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return min(int(value.strip()), MAX_TOTAL_RECORDS)


def _strict_records(text: str) -> tuple[list[str | None], dict[str, int | None]] | None:
    """Records and totals from a well-formed document, or None when it is not well-formed."""
    try:
        root = etree.fromstring(
            _XML_DECLARATION.sub("", text, count=1).encode("utf-8"), _XML_PARSER
        )
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    records: list[str | None] = []
    for record in root.iter("record"):
        if len(record):  # markup written without CDATA: keep it as HTML
            inner = (record.text or "") + "".join(
                etree.tostring(child, encoding="unicode", with_tail=True) for child in record
            )
        else:
            inner = record.text or ""
        records.append(inner.strip() or None)
    totals = {name: _total(root.findtext(f".//{name}")) for name in _TOTAL}
    return records, totals


def _tolerant_records(text: str) -> tuple[list[str | None], dict[str, int | None]]:
    """Records and totals scanned record by record, for a document a strict parser rejects."""
    records: list[str | None] = []
    for match in _RECORD.finditer(text):
        body = match.group(1)
        cdata = _CDATA_BODY.search(body)
        inner = cdata.group(1) if cdata else body
        records.append(inner.strip() or None)
    totals: dict[str, int | None] = {}
    outside_cdata = _CDATA.sub("", text)
    for name, pattern in _TOTAL.items():
        found = pattern.search(outside_cdata)
        totals[name] = _total(found.group(1)) if found else None
    return records, totals


def parse_datastore(xml: str | bytes, *, max_bytes: int = MAX_DATASTORE_BYTES) -> Datastore:
    """The records and totals of a datastore document (a page's script or a dataproxy reply).

    Safe on hostile input: documents over ``max_bytes`` and any document declaring a DTD or
    entities are refused unread; entities are never expanded and nothing is fetched. A document
    that is not well-formed (an unescaped ``&``, a broken CDATA section) is read record by record
    so one bad record does not lose the others.
    """
    if len(xml) > max_bytes:
        return Datastore((), problems=("too_large",))
    text = _as_text(xml)
    if _DTD.search(_CDATA.sub("", text)):
        return Datastore((), problems=("dtd_refused",))
    problems: list[str] = []
    strict = _strict_records(text)
    if strict is None:
        problems.append("malformed_xml")
        records, totals = _tolerant_records(text)
    else:
        records, totals = strict
    if any(record is None for record in records):
        problems.append("empty_record")
    return Datastore(
        tuple(record for record in records if record is not None),
        totals["totalrecord"],
        totals["totalpage"],
        tuple(problems),
    )


def record_link(record: str, base_url: str) -> Link | None:
    """The article link of one datastore record: its anchor with the longest text.

    A record may carry more than one link (a ``[部门动态]`` column tag before the title); the
    title is the longest text. ``None`` when the record links nowhere.
    """
    links = [link for _, link in page_links(Selector(text=record), base_url)]
    if not links:
        return None
    return max(links, key=lambda link: len(link.text))


@dataclass(frozen=True)
class RecordLinks:
    """The article links of a datastore's records, in order, and how many records had none."""

    links: list[Link]
    unlinked: int


def datastore_links(store: Datastore, base_url: str) -> RecordLinks:
    """The article links of a datastore's records (first occurrence of each URL kept)."""
    links: list[Link] = []
    seen: set[str] = set()
    unlinked = 0
    for record in store.records:
        link = record_link(record, base_url)
        if link is None:
            unlinked += 1
        elif link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return RecordLinks(links, unlinked)


# -- Hanweb dataproxy ------------------------------------------------------------------------------

_QUOTED_VALUE = r"""(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s,;&}'"\)]+))"""
_FIELD = re.compile(
    r"""(?<![\w$.#-])["']?(?P<name>"""
    + "|".join(DATAPROXY_FIELDS)
    + r""")["']?\s*[:=]\s*"""
    + _QUOTED_VALUE
)
_PROXY_URL = re.compile(r"""[\w/.:-]*dataproxy\.jsp(?:\?[^"'<>\s\]]*)?""", re.I)
_PER_PAGE = re.compile(r"""\bper_?page["']?\s*[:=]\s*["']?(\d{1,4})""", re.I)
_GROUP_SIZE = re.compile(r"""\bgroup_?size["']?\s*[:=]\s*["']?(\d{1,3})""", re.I)
_TOTAL_RECORD = re.compile(r"""\btotal_?record["']?\s*[:=]\s*["']?(\d{1,9})""", re.I)


@dataclass(frozen=True)
class DataproxyForm:
    """How to ask a Hanweb dataproxy module for a column's further records."""

    url: str  # the module's absolute URL, without query
    fields: tuple[tuple[str, str], ...]  # the POST form, in DATAPROXY_FIELDS order
    per_page: int
    group_size: int = DEFAULT_GROUP_SIZE
    total_record: int | None = None  # as the page's script states it, if it does

    def formdata(self) -> dict[str, str]:
        """The POST form fields."""
        return dict(self.fields)

    def request_url(self, start: int, end: int) -> str:
        """The module's URL for records ``start``..``end`` (1-based, inclusive)."""
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": self.per_page})
        return f"{self.url}?{query}"

    def records_range(self, start: int, total: int | None = None) -> tuple[int, int] | None:
        """The next request's records from ``start``: one group of pages, within ``total``.

        ``total`` (the reply's ``totalrecord``) wins over the page's script. ``None`` when
        ``start`` is past the last record.
        """
        known = total if total is not None else self.total_record
        end = start + self.per_page * self.group_size - 1
        if known is not None:
            if start > known:
                return None
            end = min(end, known)
        return start, end


def _field_value(match: re.Match[str]) -> str:
    for group in ("dq", "sq", "bare"):
        value = match.group(group)
        if value is not None:
            return value.strip()
    return ""


def dataproxy_form(script: str, base_url: str, *, records_on_page: int = 0) -> DataproxyForm | None:
    """The dataproxy request a Hanweb list page's script describes, or None.

    The fields come from the jpage configuration (``columnid: 2111`` or ``columnid='2111'``),
    then from the query of a ``dataproxy.jsp?…`` link (the datastore's ``nextgroup``). The
    page size falls back to the records the page shows.
    """
    fields: dict[str, str] = {}
    # Configuration first; a link's query is percent-encoded, so it is read apart, decoded.
    for match in _FIELD.finditer(_PROXY_URL.sub(" ", script)):
        fields.setdefault(match.group("name"), _field_value(match))
    proxy_path = None
    for match in _PROXY_URL.finditer(script):
        found = match.group().replace("&amp;", "&")
        path, _, query = found.partition("?")
        if proxy_path is None and path.lower() != "dataproxy.jsp":
            proxy_path = path  # the first named: the configuration's proxyUrl comes first
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name in DATAPROXY_FIELDS:
                fields.setdefault(name, value)
    if not all(fields.get(name) for name in DATAPROXY_REQUIRED):
        return None
    per_page = _int(_PER_PAGE, script) or records_on_page or DEFAULT_PER_PAGE
    url = safe_join_url(base_url, proxy_path or DEFAULT_PROXY_PATH)
    if url is None or urlsplit(url).scheme not in ("http", "https"):
        return None
    return DataproxyForm(
        url=url.split("?", 1)[0],
        fields=tuple((name, fields[name]) for name in DATAPROXY_FIELDS if name in fields),
        per_page=per_page,
        group_size=_int(_GROUP_SIZE, script) or DEFAULT_GROUP_SIZE,
        total_record=_int(_TOTAL_RECORD, script),
    )


def _int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return min(int(match.group(1)), MAX_TOTAL_RECORDS) if match else None


# -- TRS createPageHTML ----------------------------------------------------------------------------

# Static list pages a TRS site writes for one column; a larger count is a fault.
MAX_TRS_PAGES = 10_000
_CALL = re.compile(r"(?<![\w$.])(function\s+)?createPageHTML\s*\(([^()]*)\)")
_ARG = re.compile(r"""\s*("[^"]*"|'[^']*'|[^,]+?)\s*(?:,|$)""")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


@dataclass(frozen=True)
class PageCall:
    """A ``createPageHTML(count, current, name, ext)`` call: the column has ``count`` pages."""

    count: int
    current: int
    name: str = "index"
    ext: str = "html"

    def page_url(self, page: int, base_url: str) -> str | None:
        """Page 0 is ``index.html``, page k ``index_k.html``, next to the current page; None
        where the script's name makes no URL."""
        file = f"{self.name}.{self.ext}" if page == 0 else f"{self.name}_{page}.{self.ext}"
        return safe_join_url(base_url, file)

    def page_urls(self, base_url: str) -> list[str | None]:
        """Every list page of the column, first to last (``count`` of them, capped)."""
        return [self.page_url(page, base_url) for page in range(min(self.count, MAX_TRS_PAGES))]

    def index_of(self, url: str) -> int | None:
        """Which page of the column ``url`` is, by its file name (``index_3.html`` → 3)."""
        file = urlsplit(url).path.rsplit("/", 1)[-1]
        if file in ("", f"{self.name}.{self.ext}"):
            return 0
        match = re.fullmatch(rf"{re.escape(self.name)}_(\d+)\.{re.escape(self.ext)}", file)
        return int(match.group(1)) if match else None

    def next_page_url(self, base_url: str) -> str | None:
        """The page after ``base_url``'s, or None on the last page.

        The URL says which page this is; the call's ``current`` only where the URL does not
        (templates disagree on whether it counts from 0 or 1).
        """
        current = self.index_of(base_url)
        after = (self.current if current is None else current) + 1
        return self.page_url(after, base_url) if after < min(self.count, MAX_TRS_PAGES) else None


def _arguments(text: str) -> list[str]:
    return [match.group(1) for match in _ARG.finditer(text) if match.group(1)]


def _resolve_int(arg: str, script: str) -> int | None:
    arg = arg.strip()
    if arg.isdigit():
        return int(arg)
    if _IDENT.fullmatch(arg):
        # createPageHTML(countPage, currentPage, …) with `var countPage = 4;` earlier.
        assigned = re.search(
            rf"(?<![\w$.]){re.escape(arg)}\s*=\s*[\"']?(\d+)[\"']?\s*(?:[;,\n]|$)", script
        )
        if assigned:
            return int(assigned.group(1))
    return None


def _unquote(arg: str) -> str | None:
    arg = arg.strip()
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
        return arg[1:-1]
    return None


# `Pager({size:7, current:0, prefix:'index', suffix:'htm'})`: the same static pages, written
# by another pager script (size = page count, current counted from 0).
_PAGER = re.compile(r"(?<![\w$.])Pager\s*\(\s*\{([^{}]*)\}\s*\)")
_PAGER_FIELD = re.compile(r"""["']?(\w+)["']?\s*:\s*("[^"]*"|'[^']*'|[\w$.]+)""")


def _pager_object_call(script: str) -> PageCall | None:
    for match in _PAGER.finditer(script):
        fields = {key.lower(): value for key, value in _PAGER_FIELD.findall(match.group(1))}
        count = _resolve_int(fields.get("size", ""), script) if "size" in fields else None
        current = _resolve_int(fields.get("current", "0"), script)
        if count is None or current is None:
            continue
        name = _unquote(fields.get("prefix", "")) or "index"
        ext = (_unquote(fields.get("suffix", "")) or "html").lstrip(".")
        return PageCall(count, current, name, ext)
    return None


def find_page_call(script: str) -> PageCall | None:
    """The first ``createPageHTML`` call of a script whose page count is known, or None.

    Skips the function's own definition. Accepts the classic four arguments
    ``(count, current, "index", "html")``, counts held in variables, and the newer form with a
    container id first and a record count last: ``('page_div', count, current, 'index',
    'html', records)``. Else a ``Pager({size, current, prefix, suffix})`` call.
    """
    for match in _CALL.finditer(script):
        if match.group(1):  # `function createPageHTML(_nPageCount, …)`: the definition
            continue
        args = _arguments(match.group(2))
        while args and _unquote(args[0]) is not None:
            args = args[1:]  # a leading container id
        if len(args) < 2:
            continue
        count = _resolve_int(args[0], script)
        current = _resolve_int(args[1], script)
        if count is None or current is None:
            continue
        name = _unquote(args[2]) if len(args) > 2 else None
        ext = _unquote(args[3]) if len(args) > 3 else None
        return PageCall(count, current, name or "index", (ext or "html").lstrip("."))
    return _pager_object_call(script)


# -- pager functions: <a href="javascript:goToPageURL(3)">3</a> -----------------------------------

# A pager control that calls a function of the page with the page number (goToPageURL(3),
# gotoPage('3')) instead of linking the page. The function, defined in the page's own script,
# says where page N is: `location.href = "index_" + (n - 1) + ".html"`. Only its string
# arithmetic is read (literals, the parameter, the parameter plus or minus a constant); a
# function defined elsewhere or building the URL any other way is not guessed at.
_PAGE_CALL = re.compile(r"""(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(\s*["']?(\d{1,5})["']?\s*\)""")
_FUNCTION = re.compile(r"function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)\s*[,)][^{]*\{")
_GOTO = re.compile(
    r"""(?:location(?:\.href)?\s*=(?!=)|location\.(?:replace|assign)\s*\(|window\.open\s*\()"""
    r"""\s*([^;\n}]+)"""
)
_TERM = re.compile(
    r"""\s*(?:"([^"]*)"|'([^']*)'|\(?\s*([A-Za-z_$][\w$]*)\s*(?:([-+])\s*(\d{1,3}))?\s*\)?)\s*$"""
)
_FIRST_PAGE_TEST = r"if\s*\(\s*{param}\s*(?:===?|<=)\s*['\"]?1['\"]?\s*\)"


def _function_body(script: str, start: int) -> str:
    """The text between the ``{`` just before ``start`` and its matching ``}``."""
    depth = 1
    for index in range(start, len(script)):
        if script[index] == "{":
            depth += 1
        elif script[index] == "}":
            depth -= 1
            if depth == 0:
                return script[start:index]
    return script[start:]


def _url_expression(expression: str, param: str, page: int) -> str | None:
    """``"index_" + (n - 1) + ".html"`` with n = page, or None if it is not plain arithmetic."""
    parts = []
    for term in _terms(expression):
        match = _TERM.fullmatch(term)
        if match is None:
            return None
        double, single, name, sign, number = match.groups()
        if double is not None or single is not None:
            parts.append(double if double is not None else single)
        elif name == param:
            shift = int(number or 0) * (-1 if sign == "-" else 1)
            parts.append(str(page + shift))
        else:
            return None
    url = "".join(parts)
    return url or None


def _terms(expression: str) -> list[str]:
    """Split ``a + (n - 1) + b`` at the top-level plus signs; it ends at an unmatched ``)`` or a
    top-level ``,`` (``window.open(url, "_self")``)."""
    terms, depth, current = [], 0, ""
    for ch in expression.strip():
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch == "," and depth == 0:
            break
        if ch == "+" and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += ch
    terms.append(current)
    return terms


@dataclass(frozen=True)
class PageFunction:
    """A page's pager function: where page ``n`` is, from its ``location`` assignments."""

    param: str
    expressions: tuple[str, ...]
    first_page_branch: bool  # `if (n == 1) location = "index.html"; else …`

    def page_url(self, page: int, base_url: str) -> str | None:
        expression = (
            self.expressions[0]
            if self.first_page_branch and page == 1
            else self.expressions[-1]
        )
        url = _url_expression(expression, self.param, page)
        return safe_join_url(base_url, url) if url else None


def find_page_function(script: str, name: str) -> PageFunction | None:
    """The definition of the pager function ``name`` in ``script``, if it sets the location."""
    for match in _FUNCTION.finditer(script):
        if match.group(1) != name:
            continue
        param = match.group(2)
        body = _function_body(script, match.end())
        expressions = tuple(goto.group(1) for goto in _GOTO.finditer(body))
        if not expressions:
            return None
        first = re.search(_FIRST_PAGE_TEST.format(param=re.escape(param)), body)
        branch = bool(first) and len(expressions) >= 2 and body.find(expressions[0]) > first.start()
        return PageFunction(param, expressions, branch)
    return None


def page_function_pages(sel: Selector, base_url: str) -> tuple[tuple[str, ...], str | None]:
    """The list pages a page's pager reaches through a function call (see PageFunction): every
    page up to the highest number its controls name (尾页 included), page 1 — where the walk
    came in — left out; and the page 下一页 goes to."""
    calls: list[tuple[str, int, str]] = []  # (function, page, control text)
    for anchor in sel.xpath("//a[@href or @onclick]"):
        href = anchor.attrib.get("href", "")
        code = href[len("javascript:") :] if href.lower().startswith("javascript:") else ""
        code = code or anchor.attrib.get("onclick", "")
        match = _PAGE_CALL.search(code)
        if match is None:
            continue  # most anchors: their text is not read (a Selector per text node)
        text = normalize_link_text(" ".join(anchor.xpath(".//text()").getall()))
        if is_pagination_text(text):
            calls.append((match.group(1), int(match.group(2)), text))
    if not calls:
        return (), None
    name = calls[0][0]
    scripts = "\n".join(sel.xpath("//script[not(@src)]/text()").getall())
    function = find_page_function(scripts, name)
    if function is None:
        return (), None
    last = min(max(page for fn, page, _ in calls if fn == name), MAX_TRS_PAGES)
    here = base_url.split("#", 1)[0]
    urls = [function.page_url(page, base_url) for page in range(2, last + 1)]
    pages = tuple(url for url in dict.fromkeys(urls) if url and url != here)
    following = next(
        (page for fn, page, text in calls if fn == name and text in NEXT_PAGE_TEXTS), None
    )
    next_url = function.page_url(following, base_url) if following is not None else None
    return pages, (next_url if next_url != here else None)


# -- what a list page's scripts add ----------------------------------------------------------------


@dataclass(frozen=True)
class ScriptedListing:
    """What a list page's scripts add to its visible HTML.

    ``links`` is None when no script holds the list (the visible list stands); otherwise it
    replaces the visible list, whose links then belong to other boxes of the page.
    """

    links: list[Link] | None = None
    page_urls: tuple[str, ...] = ()  # every other list page a script names (TRS)
    next_page_url: str | None = None  # the page after this one (TRS)
    dataproxy: DataproxyForm | None = None  # where the further records are (Hanweb)
    next_record: int = 1  # the first record the page does not show
    problems: tuple[str, ...] = ()


def _is_xml_script(script: Selector) -> bool:
    return "xml" in (script.attrib.get("type") or "").lower()


def scripted_listing(sel: Selector, base_url: str) -> ScriptedListing:
    """The list hidden in a page's scripts: a Hanweb datastore (with its dataproxy form) or a
    TRS ``createPageHTML`` pager. The datastore with the most records is the list."""
    best: tuple[Datastore, RecordLinks, str] | None = None
    other_scripts: list[str] = []
    for script in sel.xpath("//script"):
        text = script.xpath("string()").get() or ""
        if not _is_xml_script(script) or "<datastore" not in text.lower():
            other_scripts.append(text)
            continue
        store = parse_datastore(text)
        found = datastore_links(store, base_url)
        # The jpage configuration follows its datastore in the same box; the datastore's own
        # nextgroup link (never its records, whose links have queries of their own) comes last.
        config = script.xpath("following-sibling::script[position() <= 2]/text()").getall()
        config.extend(_NEXTGROUP.findall(text))
        if best is None or len(found.links) > len(best[1].links):
            best = (store, found, "\n".join(config))
    if best is not None:
        store, found, config = best
        shown = len(store.records)
        problems = store.problems + (("unlinked_record",) if found.unlinked else ())
        form = dataproxy_form(config, base_url, records_on_page=shown) or dataproxy_form(
            "\n".join(other_scripts), base_url, records_on_page=shown
        )
        return ScriptedListing(
            links=found.links, dataproxy=form, next_record=shown + 1, problems=problems
        )
    for text in other_scripts:
        call = find_page_call(text)
        if call is not None:
            # Page 0 is the page the walk came in by (often as the column's directory URL,
            # …/news/, which no URL comparison matches to …/news/index.html): never again.
            here = call.index_of(base_url)
            urls = tuple(
                url for page, url in enumerate(call.page_urls(base_url))
                if url and page not in (0, here)
            )
            return ScriptedListing(page_urls=urls, next_page_url=call.next_page_url(base_url))
    pages, next_url = page_function_pages(sel, base_url)
    return ScriptedListing(page_urls=pages, next_page_url=next_url)


@dataclass(frozen=True)
class DataproxyReply:
    """A dataproxy reply: its article links and the next request's records, if any."""

    links: list[Link]
    next_range: tuple[int, int] | None
    total_record: int | None
    problems: tuple[str, ...] = ()


def dataproxy_reply(
    xml: str | bytes, base_url: str, form: DataproxyForm, end: int
) -> DataproxyReply:
    """Read the reply to the request for records up to ``end`` and say what to ask next.

    Stops when the reply is empty, holds fewer records than asked without stating a total
    (the column ended), or the stated total is reached.
    """
    store = parse_datastore(xml)
    found = datastore_links(store, base_url)
    problems = store.problems + (("unlinked_record",) if found.unlinked else ())
    next_range = None
    if store.records:
        asked = form.per_page * form.group_size
        complete = store.total_record is not None or len(store.records) >= asked
        if complete:
            next_range = form.records_range(end + 1, store.total_record)
    return DataproxyReply(found.links, next_range, store.total_record, problems)


# -- government-site meta tags ---------------------------------------------------------------------

SITE_NAME_META = ("SiteName",)
COLUMN_META = ("ColumnName",)
# A template placeholder the CMS failed to fill (<$[栏目名称]>, {$ColumnName}, ${...}) or a
# value too long to be a name: not believed.
_PLACEHOLDER = re.compile(r"[<>{}$\[\]]|^(?:null|undefined|none)$", re.I)
MAX_NAME_CHARS = 60


def plausible_name(value: str | None) -> str | None:
    """A SiteName / ColumnName value worth reporting: whitespace-collapsed, not a template
    placeholder, not empty, not longer than MAX_NAME_CHARS; else None."""
    if value is None:
        return None
    value = " ".join(value.split())
    if not value or len(value) > MAX_NAME_CHARS or _PLACEHOLDER.search(value):
        return None
    return value
