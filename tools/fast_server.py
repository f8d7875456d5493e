"""A fast static HTTP/1.1 server on 127.0.0.1 for benchmark sites (asyncio, keep-alive).

The stdlib server of :mod:`parkcrawl.devtools.demo_server` opens a thread and a connection per
request (HTTP/1.0), which is what caps a crawl of a generated site on a small machine; this one
answers on kept-alive connections from one event loop, in a process of its own::

    python -m tools.fast_server [OVERLAY_DIR…] SITE_DIR [--port 0] [--delay 0.05]

It serves what demo_server serves: files as they are, ``text/html`` with no charset (a page's
own ``<meta>`` decides), ``index.html`` for a directory URL, ETag and Last-Modified with 304
answers to If-None-Match / If-Modified-Since, 404 for anything else. With several folders, a
path is served from the first that holds it (so a site's later state can be an overlay of the
changed files). ``--delay`` holds every answer that many seconds (an I/O-bound site for the
scale-out benchmark). GET and HEAD only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.utils
import mimetypes
import os
import posixpath
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tools.processes import stop

MAX_HEAD = 64 * 1024  # a request head larger than this is refused


def content_type(path: str) -> str:
    """Type as a plain static server guesses it from the name (no charset for text/html)."""
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def resolve(roots: list[str], target: str) -> tuple[str | None, bool]:
    """(file path, needs a trailing-slash redirect) for a request target; None if not servable."""
    path = unquote(urlsplit(target).path)
    if not path.startswith("/") or "\x00" in path:
        return None, False
    norm = posixpath.normpath(path)
    if norm.startswith("/.."):
        return None, False
    for root in roots:
        local = os.path.join(root, norm.lstrip("/"))
        if os.path.isdir(local):
            if not path.endswith("/"):
                return local, True
            local = os.path.join(local, "index.html")
        if os.path.isfile(local):
            return local, False
    return None, False


class StaticProtocol(asyncio.Protocol):
    """One connection: parse request heads, answer each in order, keep the connection alive."""

    def __init__(self, roots: list[str], delay: float):
        self.roots = roots
        self.delay = delay
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.pending: list[asyncio.TimerHandle] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        for handle in self.pending:
            handle.cancel()
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            reply, keep = self.answer(head)
            if self.delay > 0:
                loop = asyncio.get_running_loop()
                self.pending.append(loop.call_later(self.delay, self._send, reply, keep))
            else:
                self._send(reply, keep)

    def _send(self, reply: bytes, keep: bool) -> None:
        if self.transport is None:
            return
        self.transport.write(reply)
        if not keep:
            self.transport.close()

    def answer(self, head: bytes) -> tuple[bytes, bool]:
        """The full response for one request head, and whether to keep the connection."""
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) != 3:
            return _response(400, b"bad request\n"), False
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if method not in ("GET", "HEAD"):
            return _response(501, b"not implemented\n", keep=keep), keep
        local, redirect = resolve(self.roots, target)
        if local is None:
            return _response(404, b"not found\n", keep=keep, head=method == "HEAD"), keep
        if redirect:
            location = urlsplit(target).path + "/"
            return _response(301, b"", keep=keep, extra=[("Location", location)]), keep
        stat = os.stat(local)
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        extra = [("ETag", etag), ("Last-Modified", last_modified)]
        if etag in headers.get("if-none-match", ""):
            return _response(304, None, keep=keep, extra=extra), keep
        since = headers.get("if-modified-since")
        if since and "if-none-match" not in headers:
            with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
                when = email.utils.parsedate_to_datetime(since)
                if int(stat.st_mtime) <= when.timestamp():
                    return _response(304, None, keep=keep, extra=extra), keep
        with open(local, "rb") as fh:
            body = fh.read()
        ctype = content_type(local)
        return _response(
            200, body, keep=keep, ctype=ctype, extra=extra, head=method == "HEAD"
        ), keep


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    501: "Not Implemented",
}


def _response(
    status: int,
    body: bytes | None,
    *,
    keep: bool = False,
    ctype: str = "text/plain",
    extra: list[tuple[str, str]] | None = None,
    head: bool = False,
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {_REASONS[status]}",
        "Server: parkcrawl-fast-server",
        f"Date: {email.utils.formatdate(usegmt=True)}",
    ]
    if body is not None:
        lines.append(f"Content-Type: {ctype}")
        lines.append(f"Content-Length: {len(body)}")
    for name, value in extra or []:
        lines.append(f"{name}: {value}")
    lines.append("Connection: keep-alive" if keep else "Connection: close")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return data if head or body is None else data + body


async def _serve_forever(roots: list[Path], port: int, delay: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: StaticProtocol([str(r) for r in roots], delay), "127.0.0.1", port, backlog=1024
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"serving {' over '.join(map(str, roots))} on http://127.0.0.1:{bound}/", flush=True)
    async with server:
        await server.serve_forever()


@contextlib.contextmanager
def serve(*roots: Path, delay: float = 0.0) -> Iterator[str]:
    """Serve ``roots`` (first match wins) from a child process on a free port; yields the base URL."""
    cmd = [sys.executable, "-m", "tools.fast_server", *map(str, roots), "--port", "0"]
    if delay:
        cmd += ["--delay", str(delay)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if " on http://" not in line:
            raise RuntimeError(f"fast_server did not start (said {line!r})")
        yield line.rsplit(" on ", 1)[1].rstrip("/")
    finally:
        stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a site folder fast on 127.0.0.1.")
    parser.add_argument(
        "roots",
        type=Path,
        nargs="+",
        help="site folders; a path is served from the first that holds it",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to hold every answer")
    args = parser.parse_args(argv)
    for root in args.roots:
        if not root.is_dir():
            parser.exit(2, f"fast_server: error: no such folder: {root}\n")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever([r.resolve() for r in args.roots], args.port, args.delay))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
