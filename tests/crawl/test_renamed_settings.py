"""The PARKNEWS_* setting names of earlier releases still work, with a deprecation warning."""

from __future__ import annotations

import pytest
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import Settings

from parkcrawl.renamed import RENAMED, apply_renamed, start_url_from_environment


def test_an_old_name_sets_the_new_one_and_warns() -> None:
    settings = Settings({"PARKCRAWL_STATE_DIR": "output/state"}, priority="project")
    settings.set("PARKNEWS_STATE_DIR", "/srv/state", priority="cmdline")
    with pytest.warns(ScrapyDeprecationWarning, match="PARKNEWS_STATE_DIR is now PARKCRAWL_STATE_DIR"):
        assert apply_renamed(settings) == ["PARKNEWS_STATE_DIR"]
    assert settings.get("PARKCRAWL_STATE_DIR") == "/srv/state"


def test_the_new_name_given_as_strongly_wins() -> None:
    settings = Settings()
    settings.set("PARKNEWS_RUNS_DIR", "old", priority="project")
    settings.set("PARKCRAWL_RUNS_DIR", "new", priority="cmdline")
    with pytest.warns(ScrapyDeprecationWarning):
        apply_renamed(settings)
    assert settings.get("PARKCRAWL_RUNS_DIR") == "new"


def test_nothing_to_carry_over_is_silent(recwarn: pytest.WarningsRecorder) -> None:
    assert apply_renamed(Settings({"PARKCRAWL_STATE_DIR": "x"})) == []
    assert len(recwarn) == 0


def test_every_old_name_maps_to_its_prefix_twin() -> None:
    assert all(new == "PARKCRAWL_" + old.removeprefix("PARKNEWS_") for old, new in RENAMED.items())


def test_the_old_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARKCRAWL_START_URL", raising=False)
    monkeypatch.setenv("PARKNEWS_START_URL", "http://park.test/")
    with pytest.warns(ScrapyDeprecationWarning, match="PARKCRAWL_START_URL"):
        assert start_url_from_environment() == "http://park.test/"
    monkeypatch.setenv("PARKCRAWL_START_URL", "http://new.test/")
    assert start_url_from_environment() == "http://new.test/"
