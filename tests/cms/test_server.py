"""The CMS test server answers dataproxy.jsp POSTs as the real module does."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from parkcrawl.cms import parse_datastore
from tests.cms.conftest import HANWEB_SITE
from tools.cms_server import RunningSite, dataproxy_xml

DATA = HANWEB_SITE.parent / "dataproxy"
FORM = {
    "col": "1",
    "appid": "1",
    "webid": "12",
    "path": "/",
    "columnid": "2111",
    "sourceContentType": "1",
    "unitid": "8840",
    "webname": "临江湾科技产业园区",
    "permissiontype": "0",
}


def slice_of(
    query: dict[str, str], form: dict[str, str] = FORM
) -> tuple[int, int | None, int | None]:
    store = parse_datastore(dataproxy_xml(DATA, query, form))
    return len(store.records), store.total_record, store.total_page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"startrecord": "1", "endrecord": "4", "perpage": "4"}, (4, 15, 4)),
        ({"startrecord": "5", "endrecord": "12", "perpage": "4"}, (8, 15, 4)),
        # a range past the last record is cut at it
        ({"startrecord": "13", "endrecord": "20", "perpage": "4"}, (3, 15, 4)),
        ({"startrecord": "16", "endrecord": "20", "perpage": "4"}, (0, 15, 4)),
        # perpage decides totalpage; no range: one page from record 1
        ({"perpage": "5"}, (5, 15, 3)),
    ],
)
def test_dataproxy_xml_slices_the_column(query: dict[str, str], expected: tuple) -> None:
    assert slice_of(query) == expected


@pytest.mark.parametrize(
    "form",
    [
        {**FORM, "unitid": "8841"},  # another unit
        {**FORM, "webid": "1"},  # another web
        {**FORM, "columnid": "9999"},  # no such column
        {**FORM, "columnid": "../../etc/passwd"},  # not a column id at all
        {k: v for k, v in FORM.items() if k != "columnid"},
    ],
)
def test_a_wrong_form_finds_nothing(form: dict[str, str]) -> None:
    assert slice_of({"startrecord": "1", "endrecord": "4", "perpage": "4"}, form) == (0, 0, 0)


def test_the_server_answers_a_post(hanweb_site: RunningSite) -> None:
    url = hanweb_site.url + "/module/web/jpage/dataproxy.jsp?startrecord=5&endrecord=8&perpage=4"
    with urllib.request.urlopen(url, data=urllib.parse.urlencode(FORM).encode()) as reply:
        assert reply.headers["Content-Type"] == "text/xml;charset=UTF-8"
        store = parse_datastore(reply.read())
    assert len(store.records) == 4 and store.total_record == 15
    assert any(
        hit.method == "POST" and hit.path.endswith("startrecord=5&endrecord=8&perpage=4")
        for hit in hanweb_site.requests
    )


def test_the_server_serves_static_pages_and_refuses_other_posts(hanweb_site: RunningSite) -> None:
    with urllib.request.urlopen(hanweb_site.url + "/col/col2111/index.html") as page:
        assert b"<datastore>" in page.read()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(hanweb_site.url + "/index.html", data=b"x=1")
    refused.value.close()
    assert refused.value.code == 404
