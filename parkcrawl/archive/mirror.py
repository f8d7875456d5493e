"""A plain-file mirror, ``<mirror>/<host>/<path>`` like ``wget --mirror``; off by default.

``mirror_path`` maps a URL to a file inside the mirror folder and nothing else: dot segments (also
%-encoded ones such as ``%2e%2e``) are resolved without climbing above the host folder, separators
and control characters inside a segment are %-escaped, and over-long names are shortened with a
hash. ``MirrorWriter`` (enabled by ``PARKCRAWL_MIRROR_ENABLED``, folder ``PARKCRAWL_MIRROR_DIR``)
writes each 200 response's body as the spider saw it (after decompression).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

INDEX_NAME = "index.html"
# Bytes per path segment (filesystems allow 255) and per mirror-relative path.
MAX_SEGMENT_BYTES = 200
MAX_PATH_BYTES = 2000
# Characters a file name never gets: separators of any OS, NUL and other controls, and % itself
# (so an escaped name cannot be confused with one that was never escaped).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\%]")


def _escape(name: str) -> str:
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), name)


def _decode(segment: str) -> str:
    """%-decode a path segment; bytes that are not UTF-8 keep their %-encoded form."""
    raw = unquote_to_bytes(segment)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return segment


def _shorten(name: str, limit: int = MAX_SEGMENT_BYTES) -> str:
    """A name of at most ``limit`` UTF-8 bytes: a prefix, a hash of the whole, the extension."""
    if len(name.encode("utf-8")) <= limit:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot and 0 < len(ext.encode("utf-8")) <= 16 else ""
    keep = limit - len(digest) - 1 - len(suffix.encode("utf-8"))
    prefix = (stem if suffix else name).encode("utf-8")[:keep].decode("utf-8", "ignore")
    return f"{prefix}-{digest}{suffix}"


def host_folder(url: str) -> str:
    """``host`` or ``host+port`` (``+`` as wget writes it where ``:`` is not allowed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").strip(".") or "_"
    try:
        port = parts.port
    except ValueError:
        port = None
    name = f"{host}+{port}" if port else host
    return _shorten(_escape(name))


def mirror_relpath(url: str) -> Path:
    """The mirror-relative path of a URL: ``host/dir/file`` (``index.html`` for directories)."""
    parts = urlsplit(url)
    segments: list[str] = []
    raw_segments = parts.path.split("/")
    for raw in raw_segments:
        segment = _decode(raw)
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()  # RFC 3986 dot-segment removal, never above the host folder
            continue
        segments.append(segment)
    directory_url = not parts.path or parts.path.endswith("/") or raw_segments[-1] in (".", "..")
    if directory_url or not segments:
        segments.append(INDEX_NAME)
    if parts.query:
        segments[-1] += "?" + parts.query
    names = [_shorten(_escape(s)) for s in segments]
    rel = Path(host_folder(url), *names)
    if len(str(rel).encode("utf-8")) > MAX_PATH_BYTES:
        # Too deep for some filesystems: one hashed name under the host folder.
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        ext = Path(names[-1]).suffix
        rel = Path(host_folder(url), "_long", digest + (ext if len(ext) <= 16 else ""))
    return rel


def mirror_path(url: str, root: Path) -> Path:
    """The file for ``url`` inside ``root``; raises ValueError if it would fall outside."""
    target = Path(root) / mirror_relpath(url)
    resolved_root = Path(root).resolve()
    if not target.resolve().is_relative_to(resolved_root) or target.resolve() == resolved_root:
        raise ValueError(f"mirror path of {url!r} falls outside {root}")
    return target


def write_file(target: Path, body: bytes) -> None:
    """Write through a temporary name so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name[:200]}.{os.getpid()}.tmp")
    tmp.write_bytes(body)
    tmp.replace(target)


class MirrorWriter:
    """Save each 200 response as a plain file; PARKCRAWL_MIRROR_ENABLED, PARKCRAWL_MIRROR_DIR."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorWriter:
        settings = crawler.settings
        if not settings.getbool("PARKCRAWL_MIRROR_ENABLED", False):
            raise NotConfigured("PARKCRAWL_MIRROR_ENABLED is off")
        ext = cls(Path(settings.get("PARKCRAWL_MIRROR_DIR") or "output/mirror"))
        ext.crawler = crawler
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        if response.status != 200:
            return
        stats = self.crawler.stats
        try:
            target = mirror_path(response.url, self.root)
            if target.is_dir():
                target = target / INDEX_NAME  # /a was saved as a folder for /a/b already
            write_file(target, response.body)
        except (OSError, ValueError) as exc:
            # e.g. /a saved as a file before /a/b needs it as a folder
            stats.inc_value("parkcrawl/mirror/not_written")
            logger.warning("mirror: %s not written: %s", response.url, exc)
            return
        stats.inc_value("parkcrawl/mirror/written")
