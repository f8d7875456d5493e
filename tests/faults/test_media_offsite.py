"""A hostile article: media on another host, directly, through <base href> and through a redirect.

The site is served on 127.0.0.1; "another host" is a second fault server on 127.0.0.2, so nothing
here can reach beyond the loopback network even if the policy under test were wrong. A third
address, a closed port of 127.0.0.1, is a media host that refuses connections.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.faults.conftest import captured, crawl, stats
from tests.faults.site import PAGE, article_path, write_site
from tools.fault_server import FaultServer, Redirect

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def article(title: str, images: str, head: str = "") -> str:
    main = (
        '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
        '<a href="/dtyw/index.html">动态要闻</a> &gt; <a href="/dtyw/yqxx/index.html">园区信息</a></div>\n'
        f'<div class="article"><h1 class="title">{title}</h1>\n'
        '<div class="info">发布时间：2024-11-20　来源：园区办公室</div>\n'
        '<div class="content"><div class="TRS_Editor">\n'
        f"<p>　　{title}。会议由园区管委会主任主持，各部门负责同志参加。</p>\n{images}\n"
        "<p>　　下一步，园区将持续完善工作机制，推动高质量发展。</p>\n</div></div></div>"
    )
    return PAGE.format(title=title, main=main).replace("<head>", f"<head>{head}", 1)


def closed_port() -> int:
    """A port of 127.0.0.1 nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class HostileSite:
    site: FaultServer
    other: FaultServer
    gone: str  # base URL of the closed port


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[HostileSite]:
    other_root = tmp_path / "other"
    for path in ("direct.png", "redirected.png", "media/based.png", "robots.txt"):
        (other_root / path).parent.mkdir(parents=True, exist_ok=True)
        (other_root / path).write_bytes(b"User-agent: *\nDisallow:\n" if path == "robots.txt" else PNG)
    with FaultServer(other_root, host="127.0.0.2", lifetime=120) as other:
        gone = f"http://127.0.0.1:{closed_port()}"
        root = tmp_path / "site"
        (root / "uploads").mkdir(parents=True)
        (root / "uploads" / "same.png").write_bytes(PNG)
        write_site(root, 2, pages={
            # 1: an image of the site itself, one on another host, one that redirects there,
            #    and one on a port that refuses connections.
            article_path(1): article("园区召开安全生产工作推进会", (
                '<p><img src="/uploads/same.png"></p><p>图为会议现场。</p>\n'
                f'<p><img src="{other.base_url}/direct.png"></p>\n'
                '<p><img src="/uploads/hop.png"></p>\n'
                f'<p><img src="{gone}/gone.png"></p>'
            )),
            # 2: a relative image under a <base href> of the other host.
            article_path(2): article(
                "园区举办科技创新政策宣讲会",
                '<p><img src="based.png"></p>',
                head=f'<base href="{other.base_url}/media/">',
            ),
        })
        rules = {"/uploads/hop.png": Redirect(f"{other.base_url}/redirected.png")}
        with FaultServer(root, rules, lifetime=120) as site:
            yield HostileSite(site, other, gone)


def archived_media(warc_dir: Path) -> list[str]:
    """Target URIs of the response records of kind media, in archive order."""
    uris = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if (
                    record.rec_type in ("response", "revisit")
                    and record.rec_headers.get_header("Parkcrawl-Page-Kind") == "media"
                ):
                    uris.append(record.rec_headers.get_header("WARC-Target-URI"))
    return uris


def archived_hosts(warc_dir: Path) -> set[str]:
    hosts = set()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if uri:
                    hosts.add(uri.split("/")[2].split(":")[0])
    return hosts


def test_media_off_the_site_are_refused(
    tmp_path: Path, hostile: HostileSite
) -> None:
    base, other = hostile.site.base_url, hostile.other.base_url
    run = crawl(tmp_path, base)
    assert run.returncode == 0, run.stderr[-3000:]

    # Not one request reached the other host: not the images, not even its robots.txt.
    assert hostile.other.hits() == []
    assert archived_hosts(tmp_path / "warc") == {"127.0.0.1"}
    assert sorted(archived_media(tmp_path / "warc")) == [f"{base}/uploads/hop.png", f"{base}/uploads/same.png"]

    got = stats(run)
    # direct.png, the redirect's second hop to redirected.png, and based.png via <base href>.
    assert got["parkcrawl/media/refused/off_site"] == 3
    assert got["parkcrawl/media/downloaded"] == 1  # same.png
    assert got["parkcrawl/media/failed"] == 1  # gone.png; refusals are not failures

    # The articles are written, and still list every link: the media describe the article.
    items = captured(run, base)
    assert sorted(items) == [article_path(1), article_path(2)]
    assert [m["url"] for m in items[article_path(1)]["media"]] == [
        f"{base}/uploads/same.png", f"{other}/direct.png", f"{base}/uploads/hop.png",
        f"{hostile.gone}/gone.png",
    ]
    assert [m["url"] for m in items[article_path(2)]["media"]] == [f"{other}/media/based.png"]


def test_allowed_hosts_widen_the_policy(tmp_path: Path, hostile: HostileSite) -> None:
    base, other = hostile.site.base_url, hostile.other.base_url
    run = crawl(tmp_path, base, "-s", "PARKCRAWL_MEDIA_ALLOWED_HOSTS=127.0.0.2")
    assert run.returncode == 0, run.stderr[-3000:]

    assert sorted(hit.path for hit in hostile.other.hits()) == [
        "/direct.png", "/media/based.png", "/redirected.png", "/robots.txt",
    ]
    assert sorted(archived_media(tmp_path / "warc")) == sorted([
        f"{base}/uploads/same.png", f"{base}/uploads/hop.png", f"{other}/direct.png",
        f"{other}/redirected.png", f"{other}/media/based.png",
    ])
    got = stats(run)
    assert not any(key.startswith("parkcrawl/media/refused/") for key in got)
    assert got["parkcrawl/media/downloaded"] == 4


def test_an_unreachable_media_host_is_tried_once(tmp_path: Path, hostile: HostileSite) -> None:
    run = crawl(tmp_path, hostile.site.base_url)
    assert run.returncode == 0, run.stderr[-3000:]
    got = stats(run)
    # gone.png's port refuses connections: its robots.txt and the image are tried once each
    # (the default policy would try each 4 times, waiting 0.1 + 0.2 + 0.4 s between).
    assert got["downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError"] == 2
    assert got["parkcrawl/retry/unreachable_not_retried"] == 2
    assert "retry/count" not in got
    assert got["parkcrawl/media/failed"] == 1
    # a dead media link is one warning line, not MediaPipeline's ERROR with a traceback (the
    # one ERROR left is Scrapy's robots.txt middleware on the unreachable host's robots.txt)
    assert f"media {hostile.gone}/gone.png not archived: connection refused" in run.stderr
    assert "[scrapy.pipelines.media] ERROR" not in run.stderr
    assert "pipelines/media.py" not in run.stderr  # no frame of its traceback either


def test_a_name_resolving_to_a_private_address_is_refused_at_lookup(tmp_path: Path) -> None:
    # A public crawl (its start host is a name), and an allow-listed media host whose name
    # resolves to 127.0.0.2: the host check passes, the DNS answer is refused. Names resolve
    # from a table (tests/faults/offline_resolver.py), never through DNS.
    other_root = tmp_path / "other"
    other_root.mkdir()
    (other_root / "p.png").write_bytes(PNG)
    with FaultServer(other_root, host="127.0.0.2", lifetime=120) as other:
        root = tmp_path / "site"
        write_site(root, 1, pages={article_path(1): article(
            "园区召开安全生产工作推进会",
            f'<p><img src="http://cdn.parkcrawl.test:{other.port}/p.png"></p>',
        )})
        with FaultServer(root, lifetime=120) as site:
            base = f"http://site.parkcrawl.test:{site.port}"
            hosts = '{"site.parkcrawl.test": "127.0.0.1", "cdn.parkcrawl.test": "127.0.0.2"}'
            run = crawl(
                tmp_path, base,
                "-s", "TWISTED_DNS_RESOLVER=tests.faults.offline_resolver.OfflineGuardResolver",
                "-s", f"TEST_HOSTS={hosts}",
                "-s", "PARKCRAWL_MEDIA_ALLOWED_HOSTS=cdn.parkcrawl.test",
            )
            assert run.returncode == 0, run.stderr[-3000:]
            assert other.hits() == []
            # The site's own name resolves to a loopback address too: a start host keeps it.
            assert len(site.hits(article_path(1))) == 1
    assert "private addresses refused; DNS answers checked" in run.stderr
    got = stats(run)
    assert got["parkcrawl/media/refused/private_address"] == 1
    # The image and, before it, cdn's robots.txt: one lookup each, refused, not retried.
    assert got["parkcrawl/resolver/refused"] == 2
    assert "parkcrawl/media/failed" not in got
    assert "retry/count" not in got
    assert "log_count/ERROR" not in got  # a refusal is one INFO line, not an error
    items = captured(run, base)
    assert [m["url"] for m in items[article_path(1)]["media"]] == [
        f"http://cdn.parkcrawl.test:{other.port}/p.png"
    ]
