"""Signals parkcrawl's components send each other."""

# Sent with (url: str, reason: str) when an article page could not be captured before any item
# existed for it (a fetch error, a non-HTML answer). Pipelines raise DropItem instead.
article_dropped = object()

# Sent with (file: SyncedFeedFile) when a local feed file is opened, so the state can make sure a
# line is on disk before it records the article (parkcrawl.feedstorage, parkcrawl.state).
feed_file_opened = object()

# Sent with (path: Path, error: OSError) when the output of record could not be written: the run
# stops, and articles from then on are neither counted as written nor recorded.
output_failed = object()
