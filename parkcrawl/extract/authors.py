"""By-lines: who wrote, edited or photographed an article, as ``{name, role}`` (issue 17).

Pure: ``parse_byline(line)`` reads one line that is a by-line and nothing else
(``记者 张三 李四``, ``（责任编辑：王五）``, ``编辑:某某 通讯员:某某``, ``某某 摄``);
``find_labelled_authors(text)`` picks ``作者：…`` / ``编辑：…`` out of a dateline
(``发布时间：… 作者：… 来源：…``); ``extract_authors(lines)`` applies both to the lines around
an article. Removing these lines from the body is the body cleaner's job (they are furniture
there); this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Label as written -> the role written to the output. The roles are few on purpose: analysts
# group by them, and 责任编辑 / 责编 / 值班编辑 are the same job for that purpose.
ROLE_LABELS: dict[str, str] = {
    "责任编辑": "编辑",
    "值班编辑": "编辑",
    "网络编辑": "编辑",
    "文字编辑": "编辑",
    "责编": "编辑",
    "编辑": "编辑",
    "本报记者": "记者",
    "特约记者": "记者",
    "见习记者": "记者",
    "融媒体记者": "记者",
    "记者": "记者",
    "特约通讯员": "通讯员",
    "通讯员": "通讯员",
    "作者": "作者",
    "撰稿": "作者",
    "撰文": "作者",
    "摄影": "摄影",
    "摄像": "摄影",
}
# Slash forms of magazines and portals: "文/张三 图/李四".
SLASH_LABELS: dict[str, str] = {"文": "作者", "图": "摄影"}
# Longest first, so 责任编辑 is not read as 责任 + 编辑.
_LABEL = "|".join(sorted(ROLE_LABELS, key=len, reverse=True))
_SLASH = "|".join(SLASH_LABELS)

# One name: Han characters (with the middle dot of minority and foreign names) or a Latin
# name. Two characters at least (a one-character "name" is a stray word); 20 at most, so an
# organisation given as 作者 (园区管委会办公室) is kept while a sentence is not.
# Labels written straight before the name ("记者张三"); the others need a colon or a space, so
# a heading such as "作者简介" or "编辑说明" is not read as a by-line.
JOINED_LABELS = frozenset(
    label for label, role in ROLE_LABELS.items() if role in {"记者", "通讯员"}
)
_JOINED = "|".join(sorted(JOINED_LABELS, key=len, reverse=True))
# A label is never a name: "编辑:甲 通讯员:乙" has two labelled parts, not a name 通讯员, and
# "通讯员孔令一" is a label and a name.
_NAME = (
    rf"(?!{_JOINED}|(?:{_LABEL}|摄)(?![\u3400-\u9fff]))"
    r"(?:[\u3400-\u9fff·•][\u3400-\u9fff·•]{1,19}(?![\u3400-\u9fff·•])"
    r"|[A-Za-z][A-Za-z.'-]{0,30}[A-Za-z](?![A-Za-z]))"
    # A word followed by a colon is another label (审核：, 校对：), not a name; one followed by
    # "=" is markup leaking into text (作者： size="20").
    r"(?!\s*[:：=])"
)
_NAME_RE = re.compile(_NAME)
# Names after one label: separated by spaces, 、 ， , / or ；.
_NAMES = rf"(?:{_NAME})(?:\s*[、，,/／;；\s]\s*(?:{_NAME}))*"
_NAME_SEPARATORS = re.compile(r"\s*[、，,/／;；\s]\s*")

# "记者 张三 李四", "责任编辑：王五", "文/张三": a label then its names.
_LABELLED = re.compile(rf"(?P<label>{_LABEL})(?P<sep>\s*[:：]?\s*)(?P<names>{_NAMES})")
_SLASHED = re.compile(rf"(?P<label>{_SLASH})\s*[/／]\s*(?P<names>{_NAMES})")
# "张三 摄", "张三/摄", "张三 李四 摄影": the photographer's names before 摄.
_PHOTO_AFTER = re.compile(rf"^(?P<names>{_NAMES})\s*[/／]?\s*(?:摄影|摄)$")
# Brackets a by-line is often set in: "（记者 张三）", "【责任编辑：王五】".
_BRACKETS = "（）()【】[]〔〕"
# A dateline or by-line this long is a paragraph, not a by-line.
BYLINE_MAX_CHARS = 120
# In a dateline only a label with a colon counts ("作者：张三"), and the value ends at the next
# label of the dateline ("来源：", "发布时间：") or a run of spaces.
_IN_DATELINE = re.compile(
    rf"(?P<label>{_LABEL})\s*[:：]\s*(?P<names>{_NAME}(?:[、，,/／](?:{_NAME}))*"
    rf"(?:\s(?:{_NAME}))*)"
)
# Every by-line holds one of these: lines without any are skipped before the costlier patterns
# (most lines around an article are no by-line; this keeps the by-line pass under a millisecond).
_HINT = re.compile(r"编|记者|作者|通讯员|摄|撰|[/／]")
# A by-line in brackets at the head of a paragraph: "本报南州6月17日电（记者 吴霁川）记者从…".
_LEAD_BRACKET = re.compile(r"[（(]([^（）()]{2,40})[）)]")
LEAD_BRACKET_WITHIN = 30
# Words that end a dateline value when they follow it: the other dateline labels.
_DATELINE_STOP = re.compile(
    r"(来源|发布|时间|日期|浏览|点击|阅读|字号|字体|打印|分享|关闭|信息来源|文章来源|出自|转自|摘自)"
)


# Words that follow a label in headings and menus but name nobody ("记者调查", "出自[…]").
NOT_NAMES = frozenset(
    "调查 观察 手记 连线 采访 走访 探访 暗访 获悉 了解 发现 跟踪 直击 专访 出自 转自 摘自 选自 来自 "
    "本报 本网 报道 佚名 不详 未知 匿名".split()
)
# A person's name is at most four Han characters (longer ones carry a middle dot); a longer
# credit is an office or a medium and ends like one ("园区党政办公室", "新京报"). Anything
# else that long is a description ("…研究部部长").
PERSON_MAX_CHARS = 4
OFFICE_SUFFIXES = (
    "办公室", "委员会", "中心", "协会", "学会", "研究院", "研究所", "编辑部", "工作室", "融媒体",
    "局", "厅", "委", "办", "部", "处", "科", "室", "院", "所", "站", "台", "社", "报", "网", "组",
    "队", "会", "馆", "团", "司", "行", "镇", "街道", "村", "园", "区", "县", "市", "省",
)
# A place the reporter filed from, glued to the names: "罗科发自北京".
_FILED_FROM = re.compile(r"(发自|报道|综合报道|摄影报道).*$")


@dataclass(frozen=True)
class Author:
    """One person (or office) credited in a by-line, with the output role."""

    name: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


def _plausible(name: str) -> bool:
    if name in NOT_NAMES or name in ROLE_LABELS:
        return False
    if not ("\u3400" <= name[0] <= "\u9fff") or "·" in name or "•" in name:
        return True  # a Latin name, or a name with a middle dot
    return len(name) <= PERSON_MAX_CHARS or name.endswith(OFFICE_SUFFIXES)


def _names(text: str, *, strict: bool = False) -> list[str]:
    """The names in ``text``; with ``strict`` none at all when one of them is no name (a line
    such as "记者调查 民意调查" is a menu, not a by-line)."""
    names = []
    for part in _NAME_SEPARATORS.split(text.strip()):
        part = _FILED_FROM.sub("", part)
        if part and _NAME_RE.fullmatch(part) and _plausible(part):
            names.append(part)
        elif part and strict:
            return []
    return names


def parse_byline(line: str) -> list[Author] | None:
    """The people credited by ``line`` when the whole line is a by-line, else None."""
    text = line.strip()
    if not text or len(text) > BYLINE_MAX_CHARS:
        return None
    # Outer brackets and the spaces inside them do not belong to any name.
    text = text.strip(_BRACKETS + " \u3000").strip()
    photo = _PHOTO_AFTER.match(text)
    if photo:
        return [Author(name, "摄影") for name in _names(photo.group("names"), strict=True)] or None
    authors: list[Author] = []
    pos = 0
    while pos < len(text):
        match = _LABELLED.match(text, pos) or _SLASHED.match(text, pos)
        if match is None:
            return None
        labels = ROLE_LABELS if match.re is _LABELLED else SLASH_LABELS
        if labels is ROLE_LABELS and not match.group("sep"):
            if match.group("label") not in JOINED_LABELS:
                return None
        role = labels[match.group("label")]
        names = _names(match.group("names"), strict=True)
        if not names:
            return None
        authors.extend(Author(name, role) for name in names)
        pos = match.end()
        # Between two labelled parts: spaces, a separator or a bracket pair ("（记者 甲）（通讯员 乙）").
        while pos < len(text) and text[pos] in " \u3000,，;；、|｜" + _BRACKETS:
            pos += 1
    return authors or None


def find_labelled_authors(text: str) -> list[Author]:
    """``作者：…``, ``编辑：…`` and the like inside a dateline or other short line."""
    found: list[Author] = []
    for match in _IN_DATELINE.finditer(text):
        value = match.group("names")
        stop = _DATELINE_STOP.search(value)
        if stop:
            value = value[: stop.start()]
        # A run of two spaces (or a full-width space) closes the value in datelines.
        value = re.split(r"\s{2,}|\u3000", value)[0]
        role = ROLE_LABELS[match.group("label")]
        found.extend(Author(name, role) for name in _names(value))
    return found


def lead_byline(paragraph: str) -> list[Author] | None:
    """The by-line in brackets that opens a news paragraph ("…电（记者 张三）…"), or None."""
    match = _LEAD_BRACKET.search(paragraph, 0, LEAD_BRACKET_WITHIN + 42)
    if match is None or match.start() > LEAD_BRACKET_WITHIN:
        return None
    return parse_byline(match.group(1))


def extract_authors(lines: Iterable[str]) -> list[Author]:
    """Everyone credited in ``lines`` (whole-line by-lines, else labels in short lines), in
    order, each name and role once."""
    seen: set[Author] = set()
    out: list[Author] = []
    for line in lines:
        line = line.strip()
        if not line or not _HINT.search(line, 0, BYLINE_MAX_CHARS):
            continue
        if len(line) > BYLINE_MAX_CHARS:
            # A paragraph: only a by-line in brackets at its head counts.
            found = lead_byline(line) or []
        else:
            found = parse_byline(line) or lead_byline(line)
        if found is None:
            found = find_labelled_authors(line)
        for author in found:
            if author not in seen:
                seen.add(author)
                out.append(author)
    return out
