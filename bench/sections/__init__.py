"""One module per benchmark section, each with ``NAME``, ``estimate_s(ctx)``, ``measure(ctx)``,
``markdown(result, why)`` and either ``SUMMARY_KEYS`` (figures copied into summary.json) or
``summary(result)``.

To add a row: a new module here, its name in ``RUN_ORDER`` and ``REPORT_ORDER``; bench/run.py
and bench/report.py need no other change.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def not_measured(why: str | None) -> list[str]:
    """The report's line for a section (or part) that was not measured."""
    return ["", f"not measured: {why}", ""] if why else []


# Run order: the cheap sections first, then the crawls; scale before the optional sections
# (memory and incremental cost are the core figures), redis last (the slowest per figure).
# reextract runs last: in full mode it is the longest (trafilatura over 10,000 pages), and it
# reads the WARC the scale section kept.
RUN_ORDER = (
    "extract", "clean", "people", "throughput", "scale", "profile", "warc", "redis", "reextract",
)  # fmt: skip
# The order of BENCHMARKS.md.
REPORT_ORDER = (
    "throughput", "extract", "scale", "clean", "people", "reextract", "warc", "redis", "profile",
)  # fmt: skip
SECTIONS = (
    "extract", "clean", "people", "throughput", "warc", "redis", "scale", "profile", "reextract",
)  # fmt: skip


def load(name: str) -> ModuleType:
    return importlib.import_module(f"bench.sections.{name}")
