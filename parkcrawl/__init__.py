"""parkcrawl: crawl 首页 > 动态要闻 > 园区信息 of a park-government site into clean JSONL."""

__version__ = "0.1.0"
