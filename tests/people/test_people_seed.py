"""The real seed page (kept outside the repo) names exactly the two officials."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkcrawl.extract.participants import Participant, extract_participants
from parkcrawl.text import clean_text

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "seed-article.txt"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not available")
def test_seed_article_names_the_two_officials() -> None:
    text = clean_text(SEED.read_text(encoding="utf-8")).text
    assert extract_participants(text) == [
        Participant("虞越嵩", "园区党工委书记"),
        Participant("黄晓峰", "党工委副书记、管委会主任"),
    ]
