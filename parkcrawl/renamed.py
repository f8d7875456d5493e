"""Settings renamed to the one PARKCRAWL_* prefix: the old PARKNEWS_* names still work for one
release, with a deprecation warning.

:func:`apply_renamed` copies a value given under an old name to the new name (unless the new name
was given with at least the same priority) and warns once per name. The crawl command calls it on
its settings (it reads some before the crawler exists); :class:`RenamedSettings`, an add-on in
``ADDONS``, does the same for every other runner (Scrapyd, ``scrapy shell``).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning

# Old name → new name. Remove in parkcrawl 0.3.
RENAMED = {
    f"PARKNEWS_{name}": f"PARKCRAWL_{name}"
    for name in (
        "OUTPUT", "START_URL", "PATH", "MAX_EXTRACTION_FAILURE_SHARE", "STATE_ENABLED",
        "STATE_DIR", "STOP_AFTER_KNOWN_PAGES", "SITES_FILE", "RUNS_DIR",
    )
}


def apply_renamed(settings: Any) -> list[str]:
    """Carry values set under old names over to the new ones; the old names that were used."""
    used = []
    for old, new in RENAMED.items():
        if old not in settings or settings.get(old) is None:
            continue
        used.append(old)
        old_priority = settings.getpriority(old) or 0
        if old_priority >= (settings.getpriority(new) or 0):
            settings.set(new, settings.get(old), priority=old_priority)
        warnings.warn(
            f"the setting {old} is now {new}; the old name is read until parkcrawl 0.3",
            ScrapyDeprecationWarning, stacklevel=2,
        )
    return used


def start_url_from_environment() -> str | None:
    """PARKCRAWL_START_URL from the environment, or the old PARKNEWS_START_URL (deprecated)."""
    url = os.environ.get("PARKCRAWL_START_URL")
    if url:
        return url
    url = os.environ.get("PARKNEWS_START_URL")
    if url:
        warnings.warn(
            "the environment variable PARKNEWS_START_URL is now PARKCRAWL_START_URL; the old "
            "name is read until parkcrawl 0.3", ScrapyDeprecationWarning, stacklevel=2,
        )
    return url


class RenamedSettings:
    """Add-on: the old PARKNEWS_* setting names for runners other than our crawl command."""

    def update_settings(self, settings: Any) -> None:
        apply_renamed(settings)
