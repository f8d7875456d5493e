"""The seed's text layout, for the tests that read ../shared/seed (test scaffolding, not product).

The seed is a page copied as text. The product extracts from HTML; these tests split the text
into title, body and breadcrumb to check the product's cleaning and participants on it.

For text users already hold there is no markup to lean on, so the layout of such copies is used:
an optional breadcrumb line (当前位置 …), then the title line, then the body paragraphs.
"""

from __future__ import annotations

from parkcrawl.extract.article import ArticleFields, parse_breadcrumb
from parkcrawl.extract.selectors import BREADCRUMB_MARKERS

# A title is one short line that does not end a sentence.
TITLE_MAX_CHARS = 60
SENTENCE_END = tuple("。！？；…") + (".", "!", "?", ";")


def extract_text_article(text: str) -> ArticleFields:
    """Title, body and breadcrumb of cleaned plain article text; dates and source are not guessed."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    breadcrumb: list[str] = []
    if lines and BREADCRUMB_MARKERS.search(lines[0]):
        breadcrumb = parse_breadcrumb(lines.pop(0))
    title = None
    if lines and len(lines[0]) <= TITLE_MAX_CHARS and not lines[0].endswith(SENTENCE_END):
        title = lines.pop(0)
    return ArticleFields(title, "\n".join(lines), None, None, breadcrumb)
