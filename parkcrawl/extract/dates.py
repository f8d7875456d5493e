"""Publication dates: parsing Chinese and ISO date strings, choosing the dateline's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from parkcrawl.extract.selectors import (
    DATE_LABEL_WINDOW,
    DATE_LABELS_IGNORED,
    DATE_LABELS_ISSUED,
    DATE_LABELS_PUBLISHED,
    DATE_LABELS_PUBLISHED_AFTER,
    DATE_LABELS_WRITTEN,
    URL_DATE_PATTERNS,
)

CHINA_TZ = timezone(timedelta(hours=8))

# "2024-11-22", "2024/11/22", "2024.11.22" (one separator throughout) or "2024年11月22日",
# optionally followed by a time "09:30" / "09:30:15" / "T09:30:15+08:00" / "09时30分", or
# "-09:30:15" as www.gov.cn's firstpublishedtime meta writes it ("2020-03-05-10:21:00").
DATE_PATTERN = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*"
    r"(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日?)"
    r"(?:(?:\s*|T|-|\s*日\s*)(?P<H>[01]?\d|2[0-3])\s*[:：时]\s*(?P<M>[0-5]\d)(?!\d)"
    r"(?:\s*[:：分]\s*(?P<S>[0-5]\d)(?!\d)(?:\.\d+)?)?"
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?)?"
    # "7/5/2005 9:23:57 PM": month/day/year, as ASP and .NET pages print dates by default.
    r"|(?<![\d/])(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(?P<H3>\d{1,2}):(?P<M3>[0-5]\d)(?::(?P<S3>[0-5]\d))?(?:\s*(?P<ampm>[AaPp][Mm]))?)?"
)


@dataclass(frozen=True)
class FoundDate:
    """A date found in text, formatted, with where it was and how it was labelled."""

    value: str
    start: int
    end: int
    label: str | None  # "published", "written", "ignored" or None (no label before it)


def _format(match: re.Match[str]) -> str | None:
    if match["y3"]:
        return _format_mdy(match)
    year = int(match["y"])
    month = int(match["m"] or match["m2"])
    day = int(match["d"] or match["d2"])
    try:
        day_value = date(year, month, day)
    except ValueError:  # month 13, 30 February, ...
        return None
    if match["H"] is None:
        return day_value.isoformat()
    hour, minute = int(match["H"]), int(match["M"])
    second = int(match["S"]) if match["S"] is not None else None
    moment = datetime(year, month, day, hour, minute, second or 0)
    tz = match["tz"]
    if tz:
        # A time written in another zone is moved to China time; the precision stays as written.
        offset = UTC if tz == "Z" else _parse_offset(tz)
        moment = moment.replace(tzinfo=offset).astimezone(CHINA_TZ).replace(tzinfo=None)
    if second is None:
        return moment.strftime("%Y-%m-%dT%H:%M") + "+08:00"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


def _format_mdy(match: re.Match[str]) -> str | None:
    """A month/day/year date ("7/5/2005 9:23:57 PM"), with its 12-hour time made 24-hour."""
    try:
        day_value = date(int(match["y3"]), int(match["m3"]), int(match["d3"]))
    except ValueError:
        return None
    if match["H3"] is None:
        return day_value.isoformat()
    hour = int(match["H3"])
    ampm = (match["ampm"] or "").lower()
    if hour > 23 or (ampm and not 1 <= hour <= 12):
        return day_value.isoformat()
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    text = f"{day_value.isoformat()}T{hour:02d}:{match['M3']}"
    return text + (f":{match['S3']}" if match["S3"] else "") + "+08:00"


def _parse_offset(text: str) -> timezone:
    digits = text.replace(":", "")
    sign = -1 if digits[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5])))


def _label(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - DATE_LABEL_WINDOW) : start]
    if DATE_LABELS_IGNORED.search(before):
        return "ignored"
    if DATE_LABELS_WRITTEN.search(before):
        return "written"
    if DATE_LABELS_PUBLISHED.search(before):
        return "published"
    if DATE_LABELS_PUBLISHED_AFTER.match(text, end, end + 2 * DATE_LABEL_WINDOW + 6):
        return "published"
    return None


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text``, in order, with its label."""
    found = []
    for match in DATE_PATTERN.finditer(text):
        value = _format(match)
        if value is not None:
            found.append(
                FoundDate(value, match.start(), match.end(), _label(text, match.start(), match.end()))
            )
    return found


def parse_date(text: str | None) -> str | None:
    """The first valid date in ``text`` as "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]+08:00"."""
    if not text:
        return None
    found = find_dates(text)
    return found[0].value if found else None


def pick_dateline_date(text: str, *, labelled_only: bool = False) -> str | None:
    """The publication date of a dateline: a published-labelled date, else an unlabelled one,
    else a 成文日期 (the signing date is only right when nothing else is given).

    ``labelled_only`` keeps only dates with a publication label, for text far from the headline.
    """
    found = find_dates(text)
    order: tuple[str | None, ...] = (
        ("published",) if labelled_only else ("published", None, "written")
    )
    for wanted in order:
        for item in found:
            if item.label == wanted:
                return item.value
    return None


def pick_issued_date(text: str) -> str | None:
    """The first date in ``text`` printed under a label that names the publication outright
    (发布日期：, 发文日期：, 生成日期：…, ``DATE_LABELS_ISSUED``), else None."""
    for item in find_dates(text):
        if DATE_LABELS_ISSUED.search(text[max(0, item.start - DATE_LABEL_WINDOW) : item.start]):
            return item.value
    return None


def date_from_url(url: str) -> str | None:
    """A date written into the URL path (CMS archive folders and file names)."""
    for pattern in URL_DATE_PATTERNS:
        match = pattern.search(url)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                continue
    return None


def same_day(first: str, second: str) -> bool:
    """Both values fall on the same calendar day."""
    return first[:10] == second[:10]


def more_precise(first: str, second: str) -> str:
    """Of two values of the same day, the one written with more precision."""
    return second if len(second) > len(first) else first
