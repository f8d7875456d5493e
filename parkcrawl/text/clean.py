"""The cleaning contract the crawler relies on (implementation: text helper).

CONTRACT (keep these names and signatures):

@dataclass(frozen=True)
class CleanedText:
    text: str                      # annotations stripped, Simplified if convert, whitespace normalized
    script: str                    # "Hans" or "Hant": the script of the input as served
    quality_flags: tuple[str, ...] # e.g. ("pinyin_annotations",), ("lost_characters",)

@dataclass(frozen=True)
class CleanedPage:
    html: str                      # the page's HTML with every text node cleaned (annotations
                                   # stripped, Simplified if convert); markup kept so selectors work
    encoding: str                  # the codec the bytes were decoded with, e.g. "utf-8", "gb18030"
    script: str                    # "Hans" or "Hant"
    quality_flags: tuple[str, ...]

def clean_text(text: str, *, convert: bool = True) -> CleanedText
def clean_html(html: str, *, convert: bool = True) -> CleanedPage   # encoding = "" (already text)
def clean_page(body: bytes, content_type: str | None = None, *, convert: bool = True) -> CleanedPage
"""
