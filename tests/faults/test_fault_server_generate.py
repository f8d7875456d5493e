"""The fault server's Generate faults and ``path*`` rules: answers built from the request."""

from __future__ import annotations

import http.client
from pathlib import Path

from tools.fault_server import Body, FaultServer, Generate


def get(server: FaultServer, target: str) -> tuple[int, bytes, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Content-Type")
    finally:
        conn.close()


def echo(target: str) -> bytes | None:
    return None if "missing" in target else f"<p>{target}</p>".encode()


def test_generate_answers_from_the_target_query_included(tmp_path: Path) -> None:
    with FaultServer(tmp_path, {"/list.html": Generate(echo)}, lifetime=30) as server:
        assert get(server, "/list.html?sort=R1") == (
            200, b"<p>/list.html?sort=R1</p>", "text/html; charset=utf-8"
        )
        assert get(server, "/list.html?missing=1")[0] == 404
        assert [(h.path, h.query, h.fault) for h in server.hits()] == [
            ("/list.html", "sort=R1", "Generate"),
            ("/list.html", "missing=1", "Generate"),
        ]


def test_star_rule_matches_every_path_it_starts_the_longest_and_exact_ones_first(
    tmp_path: Path,
) -> None:
    (tmp_path / "other.html").write_bytes(b"<p>file</p>")
    rules = {
        "/l/*": Generate(echo),
        "/l/deep/*": Body(b"<p>deep</p>"),
        "/l/exact.html": Body(b"<p>exact</p>"),
    }
    with FaultServer(tmp_path, rules, lifetime=30) as server:
        assert get(server, "/l/index_7.html")[1] == b"<p>/l/index_7.html</p>"
        assert get(server, "/l/deep/x/index.html")[1] == b"<p>deep</p>"
        assert get(server, "/l/exact.html")[1] == b"<p>exact</p>"
        # A path no rule starts is the folder's file, as before.
        assert get(server, "/other.html")[1] == b"<p>file</p>"
