"""A real HTTP server on 127.0.0.1 for a fixture site folder (demo, tests, benchmarks).

Serves files as a plain static web server would: ``text/html`` with no charset, so a page's own
``<meta>`` (or nothing) decides its encoding, exactly as the crawler meets many CMS sites.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without per-request logging, with ETag / If-None-Match like real servers.

    The standard handler already answers If-Modified-Since with 304; ETags are added so that
    conditional re-checks can be tested the way most CMS front ends answer them.
    """

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def _etag(self) -> str | None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return None
        stat = path.stat()
        return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'

    def send_head(self):  # type: ignore[no-untyped-def]
        etag = self._etag()
        if etag and etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self.end_headers()  # adds the ETag
            return None
        return super().send_head()

    def end_headers(self) -> None:
        etag = self._etag()
        if etag:
            self.send_header("ETag", etag)
        super().end_headers()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(root: Path, port: int = 0) -> SiteServer:
    """A server for ``root`` on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(QuietHandler, directory=str(root))
    return SiteServer(("127.0.0.1", port), handler)


@contextlib.contextmanager
def serve(root: Path, port: int = 0) -> Iterator[str]:
    """Serve ``root`` in a background thread; yields the base URL, stops on exit."""
    server = make_server(root, port)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, bound_port = server.server_address[:2]
        yield f"http://{host}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fixture site on 127.0.0.1.")
    parser.add_argument("root", type=Path, help="the site folder, e.g. fixtures/site")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.exit(2, f"serve: error: no such folder: {args.root}\n")
    try:
        server = make_server(args.root, args.port)
    except OSError as exc:
        parser.exit(2, f"serve: error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}\n")
    return serve_until_interrupted(server, args.root)


def serve_until_interrupted(server: Any, root: Path) -> int:
    """Announce ``server``'s address (the line the tests and tools read), serve until Ctrl-C."""
    host, port = server.server_address[:2]
    print(f"serving {root} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
