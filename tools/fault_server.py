"""A fault-injecting HTTP server on 127.0.0.1: a fixture site whose paths misbehave on demand.

Serves a site folder as :mod:`parkcrawl.devtools.demo_server` does, except where a rules table
(path → :class:`Fault`, given at start) says otherwise::

    rules = {
        "/dtyw/yqxx/a1.html": Status(503, times=2),        # 503 twice, then the page
        "/dtyw/yqxx/a2.html": Status(429, retry_after="1", times=1),
        "/dtyw/yqxx/a3.html": Hang(10),                    # past any test's DOWNLOAD_TIMEOUT
        "/dtyw/yqxx/a4.html": Redirect("http://localhost:{port}/x.html"),   # another host
        "/robots.txt": robots_disallow("/dtyw/yqxx/a5.html"),
    }
    with FaultServer(site_dir, rules) as server:
        crawl(server.base_url + "/index.html")
        server.hits("/dtyw/yqxx/a1.html")                  # what the crawler asked for, in order

A rule's path may end in ``*`` to match every path it starts (an exact path wins); a
:class:`Generate` fault builds each answer from the request target, query string included, so one
rule serves a site without end (an endless pager, ``?sort=RAND`` self-links, a calendar).
A fault applies ``times`` times (None: always) and the path is served normally afterwards.
``flaky=0.1, seed=7`` makes every path fail transiently with probability 0.1 per request (at most
``flaky_max`` times per path, so a crawler that retries more often always gets it), decided by
(seed, path, attempt) so a run is reproducible whatever order the requests arrive in.
The server binds 127.0.0.1 only (or another loopback address given as ``host``, e.g. 127.0.0.2 as
"another host" for the off-site tests) and stops by itself after ``lifetime`` seconds, or when
its ``with`` block ends.
"""

from __future__ import annotations

import functools
import gzip
import ipaddress
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import unquote, urlsplit

from parkcrawl.devtools.demo_server import QuietHandler


@dataclass(frozen=True)
class Fault:
    """Misbehave ``times`` times (None: on every request), then serve the path normally."""

    times: int | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Status(Fault):
    """Answer ``code`` with a small HTML error page, and a Retry-After header if given."""

    code: int = 503
    retry_after: str | None = None


@dataclass(frozen=True)
class Hang(Fault):
    """Say nothing for ``seconds`` (past the crawler's DOWNLOAD_TIMEOUT), then answer normally."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Reset(Fault):
    """Read the request, then reset the connection (TCP RST) without answering."""


@dataclass(frozen=True)
class Truncate(Fault):
    """Declare the page's full Content-Length, send the first ``keep`` share of it and close."""

    keep: float = 0.5


@dataclass(frozen=True)
class LieLength(Fault):
    """Send the whole page under a Content-Length ``extra`` bytes larger, then close."""

    extra: int = 4096


@dataclass(frozen=True)
class Redirect(Fault):
    """Redirect (301/302/303/307/308) to ``location``; ``{base}`` and ``{port}`` are filled in."""

    location: str = "/"
    code: int = 302


@dataclass(frozen=True)
class ContentType(Fault):
    """Serve the page's own bytes under this Content-Type header (wrong type or charset)."""

    value: str = "application/octet-stream"


@dataclass(frozen=True)
class Body(Fault):
    """Serve these bytes instead of the file (binary, malformed, empty, a robots.txt …)."""

    data: bytes = b""
    content_type: str | None = "text/html"


@dataclass(frozen=True)
class Large(Fault):
    """Serve ``size`` bytes of HTML, with or without declaring the length up front."""

    size: int = 20 * 1024 * 1024
    declare_length: bool = True


@dataclass(frozen=True)
class GzipBomb(Fault):
    """Serve a small gzip body (``Content-Encoding: gzip``) that inflates to ``size`` bytes of
    zeros: 20 MB compress to about 20 KB, so only a limit on the inflated size stops it."""

    size: int = 20 * 1024 * 1024


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (cached: compressing 20 MB takes a moment)."""
    return gzip.compress(bytes(size), compresslevel=9)


@dataclass(frozen=True)
class Hold(Fault):
    """Say nothing until the test calls ``server.release()``, then answer normally (a test's
    way to know the crawler is mid-crawl, waiting on this page, while it breaks something else)."""


@dataclass(frozen=True)
class Generate(Fault):
    """Answer 200 with ``render(target)`` (target: path and query as requested); None is a 404."""

    render: Callable[[str], bytes | None] = lambda target: None
    content_type: str = "text/html; charset=utf-8"


def robots_disallow(*paths: str) -> Body:
    """A robots.txt fault that disallows ``paths`` for every user agent."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in paths), ""]
    return Body("\n".join(lines).encode("ascii"), content_type="text/plain")


# The transient faults of flaky mode: each one is retried by a polite crawler.
FLAKY_FAULTS: tuple[Fault, ...] = (
    Status(500),
    Status(502),
    Status(503),
    Status(429, retry_after="1"),
    Reset(),
    Truncate(),
)


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    at: float  # time.monotonic()
    path: str
    host: str
    attempt: int  # 1 for the first request of this path
    fault: str | None  # the fault's class name, None when served normally
    query: str = ""  # the query string as requested


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FaultServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a fault is the point, not an error


class FaultHandler(QuietHandler):
    """Static files, or the fault the owner's rules name for this request."""

    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        target = urlsplit(self.path)
        path = unquote(target.path)
        fault = owner._decide(path, self.headers.get("Host", ""), target.query)
        try:
            if fault is None:
                super().do_GET()
            else:
                self._apply(fault, owner)
        except OSError:  # the client gave up (timeout, too large): nothing to answer
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass

    def _file_bytes(self) -> bytes | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        return path.read_bytes() if path.is_file() else None

    def _send(
        self,
        code: int,
        body: bytes,
        content_type: str | None,
        length: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _apply(self, fault: Fault, owner: FaultServer) -> None:
        self.close_connection = True
        if isinstance(fault, Status):
            body = f"<html><body><h1>{fault.code}</h1></body></html>".encode("ascii")
            extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
            self._send(fault.code, body, "text/html", headers=extra)
        elif isinstance(fault, Hang):
            owner._stopping.wait(fault.seconds)
            if not owner._stopping.is_set():
                super().do_GET()
        elif isinstance(fault, Reset):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        elif isinstance(fault, (Truncate, LieLength, ContentType)):
            data = self._file_bytes()
            if data is None:
                self.send_error(404)
            elif isinstance(fault, Truncate):
                self._send(200, data[: int(len(data) * fault.keep)], "text/html", length=len(data))
            elif isinstance(fault, LieLength):
                self._send(200, data, "text/html", length=len(data) + fault.extra)
            else:
                self._send(200, data, fault.value)
        elif isinstance(fault, Redirect):
            location = fault.location.format(base=owner.base_url, port=owner.port)
            self._send(fault.code, b"", "text/html", headers={"Location": location})
        elif isinstance(fault, Body):
            self._send(200, fault.data, fault.content_type)
        elif isinstance(fault, Large):
            self._send_large(fault)
        elif isinstance(fault, GzipBomb):
            self._send(
                200, gzip_bomb(fault.size), "text/html; charset=utf-8",
                headers={"Content-Encoding": "gzip"},
            )
        elif isinstance(fault, Hold):
            while not (owner._released.wait(0.05) or owner._stopping.is_set()):
                pass
            if not owner._stopping.is_set():
                super().do_GET()
        elif isinstance(fault, Generate):
            body = fault.render(self.path)
            if body is None:
                self.send_error(404)
            else:
                self._send(200, body, fault.content_type)
        else:
            raise TypeError(f"unknown fault {fault!r}")

    def _send_large(self, fault: Large) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if fault.declare_length:
            self.send_header("Content-Length", str(fault.size))
        self.end_headers()
        chunk = ("<p>园区信息" + "。" * 1000 + "</p>\n").encode("utf-8")
        sent = 0
        while sent < fault.size:
            piece = chunk[: fault.size - sent]
            self.wfile.write(piece)
            sent += len(piece)


class FaultServer:
    """Serve ``root`` on 127.0.0.1 with the faults of ``rules``; a context manager, time-bounded."""

    def __init__(
        self,
        root: Path | str,
        rules: dict[str, Fault] | None = None,
        *,
        flaky: float = 0.0,
        seed: int = 0,
        flaky_max: int = 2,
        lifetime: float = 300.0,
        host: str = "127.0.0.1",
    ):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fault server binds loopback addresses only, not {host}")
        self.host = host
        self.root = Path(root)
        self.rules = dict(rules or {})
        self.flaky = flaky
        self.seed = seed
        self.flaky_max = flaky_max
        self.lifetime = lifetime
        self.log: list[Hit] = []
        self._attempts: dict[str, int] = {}
        self._flaky_failures: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop_lock = threading.Lock()
        self._stopping = threading.Event()
        self._released = threading.Event()
        self._httpd: _Server | None = None
        self._timer: threading.Timer | None = None
        self.port = 0
        self.base_url = ""

    # -- lifecycle

    def start(self) -> str:
        """Bind a free port of its host (127.0.0.1), serve in a background thread; returns the base URL."""
        handler = functools.partial(FaultHandler, directory=str(self.root))
        httpd = _Server((self.host, 0), handler)
        httpd.owner = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fault-server",
            daemon=True,
        ).start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving (idempotent); hanging answers are cut short."""
        with self._stop_lock:
            if self._httpd is None:
                return
            self._stopping.set()
            if self._timer is not None and threading.current_thread() is not self._timer:
                self._timer.cancel()
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def release(self) -> None:
        """Let every request a Hold fault keeps waiting (and later ones) be answered."""
        self._released.set()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what happened

    def hits(self, path: str | None = None) -> list[Hit]:
        """The requests received (for ``path`` only, if given), in arrival order."""
        with self._lock:
            return [h for h in self.log if path is None or h.path == path]

    def injected(self) -> list[Hit]:
        """The requests that were answered with a fault."""
        return [h for h in self.hits() if h.fault is not None]

    # -- deciding

    def _rule(self, path: str) -> Fault | None:
        fault = self.rules.get(path)
        if fault is None:
            prefixes = [key for key in self.rules if key.endswith("*") and path.startswith(key[:-1])]
            if prefixes:
                fault = self.rules[max(prefixes, key=len)]
        return fault

    def _decide(self, path: str, host: str, query: str = "") -> Fault | None:
        with self._lock:
            attempt = self._attempts.get(path, 0) + 1
            self._attempts[path] = attempt
            fault = self._rule(path)
            if fault is not None and fault.times is not None and attempt > fault.times:
                fault = None
            if fault is None and self.flaky > 0:
                fault = self._flaky_fault(path, attempt)
            self.log.append(
                Hit(
                    time.monotonic(), path, host, attempt,
                    type(fault).__name__ if fault else None, query,
                )
            )
            return fault

    def _flaky_fault(self, path: str, attempt: int) -> Fault | None:
        failures = self._flaky_failures.get(path, 0)
        if failures >= self.flaky_max:
            return None
        rng = random.Random(f"{self.seed}\0{path}\0{attempt}")
        if rng.random() >= self.flaky:
            return None
        self._flaky_failures[path] = failures + 1
        return rng.choice(FLAKY_FAULTS)
