"""The fault server itself: each fault does on the wire what its name says, and the server stops."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.fault_server import (
    FLAKY_FAULTS,
    Body,
    ContentType,
    FaultServer,
    Hang,
    Large,
    LieLength,
    Redirect,
    Reset,
    Status,
    Truncate,
    robots_disallow,
)

PAGE = "<html><head><meta charset='utf-8'><title>园区信息</title></head><body><p>正文</p></body></html>"
PAGE_BYTES = PAGE.encode("utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "a.html").write_bytes(PAGE_BYTES)
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "index.html").write_bytes(PAGE_BYTES)
    return tmp_path


def get(
    server: FaultServer, path: str, timeout: float = 5
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


@pytest.fixture
def serve(root: Path) -> Iterator:
    servers: list[FaultServer] = []

    def start(rules: dict, **kwargs: object) -> FaultServer:
        server = FaultServer(root, rules, lifetime=30, **kwargs)  # type: ignore[arg-type]
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_binds_127_0_0_1_and_serves_the_folder(serve) -> None:
    server = serve({})
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    response, body = get(server, "/a.html")
    assert (response.status, body) == (200, PAGE_BYTES)
    assert response.getheader("Content-Type") == "text/html"
    assert get(server, "/dir/")[1] == PAGE_BYTES
    assert get(server, "/nothing.html")[0].status == 404


def test_status_n_times_then_the_page(serve) -> None:
    server = serve({"/a.html": Status(503, retry_after="7", times=2)})
    answers = [get(server, "/a.html") for _ in range(3)]
    assert [r.status for r, _ in answers] == [503, 503, 200]
    assert [r.getheader("Retry-After") for r, _ in answers] == ["7", "7", None]
    assert answers[2][1] == PAGE_BYTES
    assert [(h.attempt, h.fault) for h in server.hits("/a.html")] == [
        (1, "Status"),
        (2, "Status"),
        (3, None),
    ]


def test_hang_outlasts_the_client_timeout_then_serves(serve) -> None:
    server = serve({"/a.html": Hang(30, times=1)})
    with pytest.raises(TimeoutError):
        get(server, "/a.html", timeout=0.3)
    assert get(server, "/a.html")[1] == PAGE_BYTES


def test_reset_drops_the_connection(serve) -> None:
    server = serve({"/a.html": Reset()})
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        get(server, "/a.html")


@pytest.mark.parametrize("fault", [Truncate(), LieLength()], ids=["truncated", "lying length"])
def test_body_shorter_than_its_content_length(serve, fault) -> None:
    server = serve({"/a.html": fault})
    with pytest.raises(http.client.IncompleteRead):
        get(server, "/a.html")


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirect_fills_in_base_and_port(serve, code: int) -> None:
    server = serve(
        {
            "/a.html": Redirect("http://localhost:{port}/b.html", code=code),
            "/c.html": Redirect("{base}/a.html"),
        }
    )
    response, _ = get(server, "/a.html")
    assert (response.status, response.getheader("Location")) == (
        code,
        f"http://localhost:{server.port}/b.html",
    )
    assert get(server, "/c.html")[0].getheader("Location") == f"{server.base_url}/a.html"


def test_content_type_keeps_the_page(serve) -> None:
    server = serve({"/a.html": ContentType("image/png")})
    response, body = get(server, "/a.html")
    assert (response.getheader("Content-Type"), body) == ("image/png", PAGE_BYTES)


def test_body_replaces_the_file(serve) -> None:
    server = serve(
        {
            "/a.html": Body(b"\x89PNG\r\n\x1a\n", content_type="text/html"),
            "/robots.txt": robots_disallow("/a.html", "/dir/"),
        }
    )
    assert get(server, "/a.html")[1] == b"\x89PNG\r\n\x1a\n"
    response, body = get(server, "/robots.txt")
    assert response.getheader("Content-Type") == "text/plain"
    assert body == b"User-agent: *\nDisallow: /a.html\nDisallow: /dir/\n"


@pytest.mark.parametrize("declare", [True, False])
def test_large_page(serve, declare: bool) -> None:
    server = serve({"/a.html": Large(size=20 * 1024 * 1024, declare_length=declare)})
    response, body = get(server, "/a.html", timeout=30)
    assert len(body) == 20 * 1024 * 1024
    assert response.getheader("Content-Length") == (str(20 * 1024 * 1024) if declare else None)


def test_flaky_mode_is_reproducible_and_transient(serve) -> None:
    paths = [f"/p{i}.html" for i in range(150)]

    def faults(seed: int) -> list[str | None]:
        server = serve({}, flaky=0.3, seed=seed, flaky_max=2)
        for path in paths:
            for _ in range(3):  # a crawler's first request and two retries
                try:
                    get(server, path)
                except (OSError, http.client.HTTPException):
                    pass
        return [h.fault for h in sorted(server.hits(), key=lambda h: (h.path, h.attempt))]

    first, again, other = faults(7), faults(7), faults(8)
    assert first == again  # same seed, same faults on the same requests
    assert first != other
    kinds = {type(f).__name__ for f in FLAKY_FAULTS}
    assert set(first) <= kinds | {None}
    # Never more than flaky_max (2) faults on a path: one of its three requests succeeds.
    assert all(None in trio for trio in zip(first[0::3], first[1::3], first[2::3]))
    # About 30% of first requests fail (the decisions are seeded, so this is exact for seed 7).
    share = sum(fault is not None for fault in first[0::3]) / len(paths)
    assert 0.2 < share < 0.4


def test_stops_by_itself_after_its_lifetime(root: Path) -> None:
    server = FaultServer(root, {"/a.html": Hang(60)}, lifetime=0.5)
    server.start()
    deadline = time.monotonic() + 20
    while server.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not server.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_stops_when_the_with_block_ends_even_with_a_hanging_answer(root: Path) -> None:
    with FaultServer(root, {"/a.html": Hang(60)}) as server, pytest.raises(TimeoutError):
        get(server, "/a.html", timeout=0.3)
    assert not server.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
