"""Feed exporters: CSV whose list and object fields are JSON text, not Python's repr.

Scrapy's CsvItemExporter writes ``str(value)`` for a list, so ``participants`` became
``[{'name': '张伟', 'role': None}]`` — neither JSON nor parseable by csv readers, DuckDB or
pandas. Enabled for ``.csv`` feeds by FEED_EXPORTERS in settings.py; ``-s
FEED_EXPORT_ENCODING=utf-8-sig`` adds the byte-order mark Excel needs to read UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.exporters import CsvItemExporter


def json_text(value: Any) -> Any:
    """Lists and dicts as compact JSON (non-ASCII kept); other values unchanged."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class JsonFieldsCsvItemExporter(CsvItemExporter):
    """CSV with one column per output field; nested fields as JSON text."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return super().serialize_field(field, name, json_text(value))
