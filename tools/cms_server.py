"""A real HTTP server on 127.0.0.1 for the CMS fixture sites (fixtures/hanweb, fixtures/trs).

Static files exactly as :mod:`parkcrawl.devtools.demo_server` serves them, plus the Hanweb jcms
list module: a POST to ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``
with the column's form fields (``columnid``, ``unitid``, ``webid``, …) is answered as the real
module answers it: the XML datastore of records ``startrecord``..``endrecord`` of the column,
with ``totalrecord`` and ``totalpage``. A form that names no known column, or the wrong unit or
web id, gets an empty datastore, as from the real module. Each column's records are read from
``<data>/col{columnid}.xml`` (written by the fixture's ``make_site.py``).

Every request is recorded (method, path with query, status) so tests can assert which list pages
and which record ranges a crawl asked for.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from parkcrawl.cms import DEFAULT_PER_PAGE, parse_datastore
from parkcrawl.devtools.demo_server import QuietHandler, SiteServer, serve_until_interrupted

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
# The module's form is a few hundred bytes; a larger body is refused.
MAX_FORM_BYTES = 16 * 1024
_ROOT_ATTRS = re.compile(r"<datastore\b([^>]*)>", re.I)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.strip().isdigit() else default


def dataproxy_xml(data_dir: Path, query: dict[str, str], form: dict[str, str]) -> str:
    """The module's reply to one POST: the requested slice of the column's records."""
    records: tuple[str, ...] = ()
    columnid = form.get("columnid", "")
    source = data_dir / f"col{columnid}.xml" if columnid.isdigit() else None
    if source is not None and source.is_file():
        text = source.read_text(encoding="utf-8")
        attrs_match = _ROOT_ATTRS.search(text)
        attrs = dict(_ATTR.findall(attrs_match.group(1))) if attrs_match else {}
        # The module looks the column up by unit and web as well: a wrong id finds nothing.
        if all(form.get(name) == attrs.get(name) for name in ("unitid", "webid")):
            records = parse_datastore(text).records
    per_page = max(1, _number(query.get("perpage"), DEFAULT_PER_PAGE))
    start = max(1, _number(query.get("startrecord"), 1))
    end = max(start, _number(query.get("endrecord"), start + per_page - 1))
    chosen = records[start - 1 : end]
    total = len(records)
    body = "\n".join(f"<record><![CDATA[\n{record}]]></record>" for record in chosen)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f"<recordset>\n{body}\n</recordset>\n"
        f"<totalrecord>{total}</totalrecord>\n"
        f"<totalpage>{math.ceil(total / per_page)}</totalpage>\n"
        "</datastore>\n"
    )


class CmsHandler(QuietHandler):
    """Static files, the dataproxy module on POST, and a record of every request."""

    def __init__(self, *args: Any, data_dir: Path | None = None, **kwargs: Any):
        self.data_dir = data_dir  # set before the base class handles the request
        super().__init__(*args, **kwargs)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log = getattr(self.server, "requests", None)
        if log is not None:
            log.append(Hit(self.command, self.path, int(code) if str(code).isdigit() else 0))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        if parts.path != DATAPROXY_PATH or self.data_dir is None:
            self.send_error(404)
            return
        length = _number(self.headers.get("Content-Length"), 0)
        if length > MAX_FORM_BYTES:
            self.send_error(413)
            return
        form = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
        query = dict(parse_qsl(parts.query))
        body = dataproxy_xml(self.data_dir, query, form).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass(frozen=True)
class Hit:
    """One request the server answered."""

    method: str
    path: str
    status: int


class CmsServer(SiteServer):
    """A site server that keeps the list of requests it answered."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.requests: list[Hit] = []


def default_data_dir(root: Path) -> Path | None:
    """``fixtures/hanweb/site`` → ``fixtures/hanweb/dataproxy`` when that folder exists."""
    candidate = root.parent / "dataproxy"
    return candidate if candidate.is_dir() else None


def make_server(root: Path, data_dir: Path | None = None, port: int = 0) -> CmsServer:
    """A server for ``root`` on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(
        CmsHandler, directory=str(root), data_dir=data_dir or default_data_dir(root)
    )
    return CmsServer(("127.0.0.1", port), handler)


@dataclass
class RunningSite:
    """A served fixture site: its base URL and the requests answered so far."""

    url: str
    server: CmsServer = field(repr=False)

    @property
    def requests(self) -> list[Hit]:
        return list(self.server.requests)


@contextlib.contextmanager
def serve(root: Path, data_dir: Path | None = None, port: int = 0) -> Iterator[RunningSite]:
    """Serve ``root`` (and its dataproxy data) in a background thread; stops on exit."""
    server = make_server(root, data_dir, port)
    thread = threading.Thread(target=server.serve_forever, name="cms-site-server", daemon=True)
    thread.start()
    try:
        host, bound_port = server.server_address[:2]
        yield RunningSite(f"http://{host}:{bound_port}", server)
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a CMS fixture site on 127.0.0.1.")
    parser.add_argument("root", type=Path, help="the site folder, e.g. fixtures/hanweb/site")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="dataproxy records (default: the site folder's sibling dataproxy/)",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.exit(2, f"serve: error: no such folder: {args.root}\n")
    server = make_server(args.root, args.data, args.port)
    return serve_until_interrupted(server, args.root)


if __name__ == "__main__":
    raise SystemExit(main())
