"""The two CMS fixture sites served on 127.0.0.1, once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import ROOT
from tools.cms_server import RunningSite, serve

HANWEB_SITE = ROOT / "fixtures" / "hanweb" / "site"
TRS_SITE = ROOT / "fixtures" / "trs" / "site"


@pytest.fixture(scope="session")
def hanweb_site() -> Iterator[RunningSite]:
    """The Hanweb jcms demo site with its dataproxy module."""
    with serve(HANWEB_SITE) as site:
        yield site


@pytest.fixture(scope="session")
def trs_site() -> Iterator[RunningSite]:
    """The TRS WCM demo site (GBK)."""
    with serve(TRS_SITE) as site:
        yield site
