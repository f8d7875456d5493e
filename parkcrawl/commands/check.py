"""`scrapy check` without the crawl's output (see parkcrawl.commands._quiet)."""

from __future__ import annotations

import argparse

from scrapy.commands.check import Command as ScrapyCheckCommand

from parkcrawl.commands._quiet import without_crawl_output


class Command(ScrapyCheckCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Contracts fetch sample pages: they must not leave WARC files, state or run reports.
        without_crawl_output(self.settings)
