"""Signals parkcrawl's components send each other."""

# Sent with (url: str, reason: str) when an article page could not be captured before any item
# existed for it (a fetch error, a non-HTML answer). Pipelines raise DropItem instead.
article_dropped = object()
