"""extract_media: the images and attachments an article links from its body (pure, no Scrapy).

Works on the cleaned HTML (Simplified, annotations stripped), so captions read as the body does.
The body is found the way extraction finds it (:func:`parkcrawl.extract.body.find_body_node`);
attachment boxes that CMSs put just outside it are looked at too. Site furniture (logo, badges,
banners) lies outside both and is never taken.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from lxml import etree

from parkcrawl.extract.body import clean_line, find_body_node, parse_html, remove_widgets, tag_name
from parkcrawl.urls import join_url

IMAGE = "image"
ATTACHMENT = "attachment"

# File extensions of linked attachments (government sites publish these) and of images.
ATTACHMENT_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "txt", "rtf",
    "csv", "zip", "rar", "7z", "tar", "gz", "odt", "ods", "odp",
})
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "svg"})
# Attachment boxes placed beside (not inside) the text container: 附件 lists of TRS/Hanweb pages.
ATTACHMENT_BOX = re.compile(r"(fujian|attach|appendix|enclosure|\bfj\b|xgfj)", re.IGNORECASE)
# Where an image's caption is the paragraph after it: a short line, centred or starting with 图.
CAPTION_MAX_CHARS = 80
CAPTION_PREFIX = re.compile(r"^[（(]?(图为|图：|图:|上图|下图|左图|右图|图片|图\s*\d)")
CENTERED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
# Alt texts that describe nothing: empty-ish words and file names.
GENERIC_ALT = re.compile(
    r"^(图片|图像|照片|image|img|picture|photo|pic|null|undefined|\S+\.(jpe?g|png|gif|bmp|webp))$",
    re.IGNORECASE,
)
# Elements that hold one image and maybe its caption.
IMAGE_BLOCKS = frozenset({"p", "div", "figure", "center", "td", "span"})


def _extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _absolute(base: str, href: str | None) -> str | None:
    """The http(s) URL an href points at, fragment removed; None for anything else."""
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(("javascript:", "data:", "mailto:", "#")):
        return None
    joined = join_url(base, href)
    if joined is None:
        return None
    url = urldefrag(joined)[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def _text(el: etree._Element) -> str:
    return clean_line("".join(el.itertext()))


def _useful_alt(value: str | None) -> str | None:
    text = clean_line(value or "")
    return text if text and not GENERIC_ALT.match(text) else None


def _image_block(img: etree._Element, stop: etree._Element) -> etree._Element | None:
    """The nearest block around the image that holds no text of its own."""
    el = img.getparent()
    while el is not None and el is not stop:
        if tag_name(el) in IMAGE_BLOCKS:
            return el if not _text(el) else None
        el = el.getparent()
    return None


def _next_element(el: etree._Element) -> etree._Element | None:
    nxt = el.getnext()
    while nxt is not None and not tag_name(nxt):
        nxt = nxt.getnext()
    return nxt


def _is_caption(el: etree._Element) -> bool:
    text = _text(el)
    if not text or len(text) > CAPTION_MAX_CHARS or el.find(".//img") is not None:
        return False
    centered = CENTERED.search(el.get("style", "")) or el.get("align", "").lower() == "center"
    return bool(centered or CAPTION_PREFIX.match(text) or tag_name(el) == "figcaption")


def image_caption(img: etree._Element, container: etree._Element) -> str | None:
    """figcaption, else the caption line after the image's block, else a meaningful alt/title."""
    figure = next((a for a in img.iterancestors() if tag_name(a) == "figure"), None)
    if figure is not None:
        caption = figure.find(".//figcaption")
        if caption is not None and _text(caption):
            return _text(caption)
    block = _image_block(img, container)
    if block is not None:
        nxt = _next_element(block)
        if nxt is not None and _is_caption(nxt):
            return _text(nxt)
    return _useful_alt(img.get("alt")) or _useful_alt(img.get("title"))


def _regions(root: etree._Element, body: etree._Element | None) -> list[etree._Element]:
    if body is None:
        return []
    regions = [body]
    for el in root.iter():
        if not tag_name(el) or el is body:
            continue
        hints = f"{el.get('class', '')} {el.get('id', '')}"
        if hints.strip() and ATTACHMENT_BOX.search(hints):
            # Only boxes outside the body and not around it (a page-wide wrapper may say "fj").
            inside = any(a is body for a in el.iterancestors())
            around = any(a is el for a in body.iterancestors())
            if not inside and not around and not any(r in el.iterancestors() for r in regions):
                regions.append(el)
    return regions


def extract_media(html: str, url: str) -> list[dict[str, str | None]]:
    """Images and attachments linked from the article body, in page order, each URL once.

    Each is ``{"url": absolute URL, "type": "image" | "attachment", "caption": str | None}``.
    """
    root = parse_html(html)
    if root is None:
        return []
    body = find_body_node(root)
    if body is not None:
        remove_widgets(body)
    return media_from_tree(root, body, url)


def media_from_tree(
    root: etree._Element, body: etree._Element | None, url: str
) -> list[dict[str, str | None]]:
    """extract_media over a page already parsed, ``body`` being its body node with the widgets
    removed (as :func:`parkcrawl.extract.article.extract_fields` leaves it): the page object
    hands on the extractor's tree instead of parsing and searching the page a second time."""
    base_el = root.find(".//base[@href]")
    base = (join_url(url, base_el.get("href")) or url) if base_el is not None else url
    found: dict[str, dict[str, str | None]] = {}

    def add(media_url: str | None, kind: str, caption: str | None) -> None:
        if media_url and media_url not in found:
            found[media_url] = {"url": media_url, "type": kind, "caption": caption or None}

    for region in _regions(root, body):
        for el in region.iter():
            tag = tag_name(el)
            if tag == "img":
                add(_absolute(base, el.get("src")), IMAGE, image_caption(el, region))
            elif tag == "a":
                target = _absolute(base, el.get("href"))
                if target is None:
                    continue
                ext = _extension(target)
                text = _text(el) or _useful_alt(el.get("title"))
                if ext in ATTACHMENT_EXTENSIONS:
                    add(target, ATTACHMENT, text)
                elif ext in IMAGE_EXTENSIONS:
                    inner = el.find(".//img")
                    caption = image_caption(inner, region) if inner is not None else text
                    add(target, IMAGE, caption)
    return list(found.values())
