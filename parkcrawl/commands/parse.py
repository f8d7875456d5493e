"""`scrapy parse` without the crawl's output (see parkcrawl.commands._quiet).

``scrapy parse --spider parknews -c parse_article URL`` needs neither ``--cbkwargs`` (the
callbacks default what a crawl's requests carry) nor ``-a start_url``: with no start URL given
anywhere, the page's own URL stands for it, so the spider knows the site it is on.
"""

from __future__ import annotations

import argparse
import os

from scrapy.commands.parse import Command as ScrapyParseCommand

from parkcrawl.commands._quiet import without_crawl_output


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_crawl_output(self.settings)
        given = (
            opts.spargs.get("start_url")
            or self.settings.get("PARKCRAWL_START_URL")
            or self.settings.get("PARKNEWS_START_URL")
            or os.environ.get("PARKCRAWL_START_URL")
            or os.environ.get("PARKNEWS_START_URL")
        )
        if args and not given:
            opts.spargs["start_url"] = args[0]
