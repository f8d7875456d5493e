"""CONTRACT: normalize_whitespace(text: str) -> str (full-width spaces, nbsp, zero-width, blank runs)."""
