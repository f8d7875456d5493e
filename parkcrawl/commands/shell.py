"""`scrapy shell` without the crawl's output (see parkcrawl.commands._quiet)."""

from __future__ import annotations

import argparse

from scrapy.commands.shell import Command as ScrapyShellCommand

from parkcrawl.commands._quiet import without_crawl_output


class Command(ScrapyShellCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_crawl_output(self.settings)
