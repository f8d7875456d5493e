"""`scrapy parse` without the crawl's output (see parkcrawl.commands._quiet)."""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand

from parkcrawl.commands._quiet import without_crawl_output


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_crawl_output(self.settings)
