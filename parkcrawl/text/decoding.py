"""CONTRACT: decode_html(body: bytes, content_type: str | None = None) -> Decoded(text, encoding)."""
