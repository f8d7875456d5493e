"""`scrapy view` without the crawl's output (see parkcrawl.commands._quiet)."""

from __future__ import annotations

import argparse

from scrapy.commands.view import Command as ScrapyViewCommand

from parkcrawl.commands._quiet import without_crawl_output


class Command(ScrapyViewCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_crawl_output(self.settings)
