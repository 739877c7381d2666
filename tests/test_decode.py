"""Reading and decoding a file: encodings, mixed encodings, the size cap (through the loader)."""
from __future__ import annotations

import pandas as pd
import pytest

from corpuskit import article, load1, write
from newsdesk import config, parse
from newsdesk.corpus import load_corpus, rejects, text


@pytest.mark.parametrize("encode, warning", [
    (lambda s: s.encode("utf-8"), None),
    (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), None),
    (lambda s: s.replace("\n", "\r\n").encode("utf-8"), None),
    (lambda s: s.replace("\n", "\r").encode("utf-8"), None),
    (lambda s: s.encode("utf-16"), None),
    (lambda s: s.encode("utf-16-le"), "decoded as UTF-16-LE (no byte-order mark)"),
    (lambda s: s.encode("cp1252"), "not valid UTF-8 (line 1); decoded as cp1252"),
], ids=["utf8", "bom", "crlf", "cr", "utf16-bom", "utf16-nobom", "cp1252"])
def test_encodings(tmp_path, encode, warning):
    content = article("Café society", body="Señor Müller said: “we’ll see”.\nSecond line.")
    a = load1(tmp_path, encode(content))
    row = a.iloc[0]
    assert row["title"] == "Café society"
    assert text(a).iloc[0] == "Señor Müller said: “we’ll see”.\nSecond line."
    assert "\r" not in row["body"]
    assert (pd.isna(row["warnings"]) if warning is None else warning in row["warnings"])


def test_mixed_encodings_in_one_file_keep_utf8_and_report_stray_bytes(tmp_path):
    content = article("Café", body="Ünïcode line.\nA cp1252 quote: \x93hi\x94 and \x81.").encode("utf-8")
    content = content.replace("\x93".encode("utf-8"), b"\x93").replace("\x94".encode("utf-8"), b"\x94")
    content = content.replace("\x81".encode("utf-8"), b"\x81")
    a = load1(tmp_path, content)
    assert text(a).iloc[0] == "Ünïcode line.\nA cp1252 quote: “hi” and \ufffd."
    w = a.iloc[0]["warnings"]
    assert "mixed encodings: 3 byte(s) not valid UTF-8 (first at line 9)" in w
    assert "1 undecodable byte(s) replaced by U+FFFD" in w


def test_file_over_size_cap_is_rejected_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 4096)
    write(tmp_path, "big.txt", article(body="word " * 2000))
    write(tmp_path, "small.txt", article())
    decoded: list[int] = []   # the bytes decoded, by either route (the usual file's, or decode())
    real, real_plain = parse.decode, parse._parse_plain
    monkeypatch.setattr(parse, "decode", lambda data: decoded.append(len(data)) or real(data))
    monkeypatch.setattr(parse, "_parse_plain", lambda text, data, rel: decoded.append(len(data)) or real_plain(text, data, rel))
    a = load_corpus(tmp_path, cache=False)
    assert list(a["path"]) == ["small.txt"]
    assert len(decoded) == 1 and decoded[0] < 4096  # the big file was never decoded
    assert rejects(a).iloc[0]["reason"].startswith("file too large (")
    assert "Split it into one file per article" in rejects(a).iloc[0]["reason"]
