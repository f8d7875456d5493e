"""The archive: WARC files of everything fetched, their CDXJ index, article media, re-extraction
from the archive without the network, and an optional plain-file mirror.

- :mod:`parkcrawl.archive.warc`       WarcWriter: size-rotated gzip WARC files (no Scrapy)
- :mod:`parkcrawl.archive.extension`  WarcArchive: the Scrapy extension feeding it
- :mod:`parkcrawl.archive.cdxj`       the CDXJ index written beside each WARC
- :mod:`parkcrawl.archive.records`    reading archived responses back
- :mod:`parkcrawl.archive.media`      extract_media, media_from_tree: an article's images and attachments (pure)
- :mod:`parkcrawl.archive.pipelines`  MediaDownloadPipeline
- :mod:`parkcrawl.archive.reextract`  ``parkcrawl reextract``: the pipelines over archived pages
- :mod:`parkcrawl.archive.mirror`     mirror_path and the MirrorWriter extension
(The WARC writer's overhead benchmark is ``tools/warc_bench.py``, outside the package.)
"""
