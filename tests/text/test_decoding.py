"""decode_html: BOM, declarations, GB supersets, detection, never raising."""

from __future__ import annotations

import codecs

import pytest

from parkcrawl.text.decoding import Decoded, decode_html, normalize_encoding

PROSE = "苏锡通园区管委会召开会议，研究部署明年招商引资和项目建设工作。"
RARE = "王喆、李堃、蓝叒叒、朱镕基出席活动。"  # outside GB2312, inside GBK/GB18030
HANT = "蘇錫通園區管委會召開會議，研究部署明年招商引資和項目建設工作。"


def page(body: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "text", "encoding"),
    [
        # UTF-8 BOM wins over a contradicting header and is stripped
        (codecs.BOM_UTF8 + page(PROSE).encode(), "text/html; charset=gbk", page(PROSE), "utf-8"),
        # UTF-16 BOM
        (codecs.BOM_UTF16_LE + page(PROSE).encode("utf-16-le"), None, page(PROSE), "utf-16-le"),
        # header and meta agree
        (page(PROSE, "utf-8").encode(), "text/html; charset=UTF-8", page(PROSE, "utf-8"), "utf-8"),
        # header says UTF-8 but the bytes are GBK as the meta says: the meta is used
        (page(PROSE, "gbk").encode("gbk"), "text/html; charset=utf-8", page(PROSE, "gbk"), "gb18030"),
        # header says gbk, bytes are UTF-8: a GB declaration over valid UTF-8 means UTF-8
        (page(PROSE, "utf-8").encode(), "text/html; charset=gbk", page(PROSE, "utf-8"), "utf-8"),
        # meta declares gb2312 over UTF-8 bytes (a template that lies)
        (page(PROSE, "gb2312").encode(), None, page(PROSE, "gb2312"), "utf-8"),
        # gb2312-declared GBK with characters outside GB2312: decoded as gb18030, nothing lost
        (page(RARE, "gb2312").encode("gbk"), None, page(RARE, "gb2312"), "gb18030"),
        # the same declared in the header only
        (page(RARE).encode("gb18030"), "text/html; charset=GB2312", page(RARE), "gb18030"),
        # http-equiv form of the meta declaration
        (
            ('<meta http-equiv="Content-Type" content="text/html; charset=gbk">' + PROSE).encode("gbk"),
            None,
            '<meta http-equiv="Content-Type" content="text/html; charset=gbk">' + PROSE,
            "gb18030",
        ),
        # undeclared GBK
        (page(PROSE).encode("gbk"), None, page(PROSE), "gb18030"),
        # undeclared GBK, header without charset
        (page(PROSE + RARE).encode("gb18030"), "text/html", page(PROSE + RARE), "gb18030"),
        # declared Big5
        (page(HANT, "big5").encode("big5"), None, page(HANT, "big5"), "big5"),
        # undeclared Big5: charset-normalizer alone guesses wrong on short text; plausibility wins
        (page(HANT).encode("big5"), None, page(HANT), "big5"),
        # a latin-1 header (server default) over GBK bytes with a gbk meta: the meta wins
        (page(PROSE, "gbk").encode("gbk"), "text/html; charset=ISO-8859-1", page(PROSE, "gbk"), "gb18030"),
        # a latin-1 header over UTF-8 bytes
        (page(PROSE).encode(), "text/html; charset=iso-8859-1", page(PROSE), "utf-8"),
        # pure ASCII, undeclared
        (b"<p>hello</p>", None, "<p>hello</p>", "utf-8"),
        # empty body
        (b"", None, "", "utf-8"),
        # unknown charset label: ignored, detection decides
        (page(PROSE).encode(), "text/html; charset=x-nonsense", page(PROSE), "utf-8"),
    ],
)
def test_decode_html(body: bytes, content_type: str | None, text: str, encoding: str) -> None:
    assert decode_html(body, content_type) == Decoded(text, encoding)


@pytest.mark.parametrize(
    "body",
    [
        bytes(range(256)) * 4,  # every byte value
        b"\xff\xfe\xfd" * 100,  # invalid in every CJK codec
        b"<meta charset=gbk>\x81\x30",  # a truncated four-byte gb18030 sequence
        b"\x00" * 50,  # NULs
        b"<meta charset='utf-16'>\xe5\x9b",  # truncated UTF-8 under a utf-16 meta
    ],
)
def test_garbage_never_raises(body: bytes) -> None:
    decoded = decode_html(body, "text/html; charset=bogus")
    assert isinstance(decoded.text, str)
    assert decoded.encoding


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GB2312", "gb18030"),  # GB family → the superset
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("GB18030", "gb18030"),
        ("UTF8", "utf-8"),
        ("utf-8", "utf-8"),
        ("Big5", "big5"),
        ("iso-8859-1", "cp1252"),  # WHATWG: latin-1 labels mean windows-1252
        ("utf-16", "utf-8"),  # a meta claiming UTF-16 means UTF-8
        ("no-such-codec", None),
        ("", None),
    ],
)
def test_normalize_encoding(label: str, expected: str | None) -> None:
    assert normalize_encoding(label) == expected


@pytest.mark.parametrize("declared", [None, "gb2312"])
def test_gbk_page_with_a_character_cut_in_half_stays_gbk(declared: str | None) -> None:
    # Old portals cut link texts to a byte count: half a character before the dots (issue 19).
    # Strict GB decoding fails there; a single-byte guess must not turn the page into mojibake.
    head = f'<meta charset="{declared}">' if declared else ""
    cut = "园区召开会议".encode("gbk")[:-1] + b"..."
    body = (
        f"<html><head>{head}<title>t</title></head><body>".encode("ascii")
        + (f"<p>{PROSE}</p>" * 20).encode("gbk")
        + b"<a href='/a.html'>" + cut + b"</a></body></html>"
    )
    decoded = decode_html(body)
    assert decoded.encoding == "gb18030"
    assert (PROSE * 20) in decoded.text.replace("<p>", "").replace("</p>", "")
    assert "园区召开会\ufffd..." in decoded.text


def test_broken_utf8_is_not_read_as_gb() -> None:
    # UTF-8 bytes with one broken sequence also pass as GB sequences, but read as GB they are
    # gibberish: the lenient GB reading is refused and UTF-8 with one replacement stands.
    body = (f"<html><body><p>{PROSE}</p>" * 5).encode() + b"\xe5\x9b</body></html>"
    decoded = decode_html(body)
    assert decoded.encoding == "utf-8"
    assert PROSE in decoded.text
