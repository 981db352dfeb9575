"""Plain text: encodings, empty and binary files, paths, folders, stdin, a 50 MB file."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasid.errors import BinaryInputError, EmptyInputError, EncodingError
from rasid.ingest.base import ReadFailure, ReadStats
from rasid.ingest.encoding import decode_bytes
from rasid.ingest.readers import iter_inputs
from rasid.model import Document

ARABIC = (
    "قالت مصادر محلية إن قوات النظام السوري قصفت بلدات في ريف حماة الشمالي، "
    "ما أدى إلى سقوط قتلى وجرحى بين المدنيين.\n"
)


def test_utf8_text_keeps_every_character_and_hashes_the_bytes(tmp_path: Path, read_one) -> None:
    text = "عنوان الخبر\r\n\r\n" + ARABIC + "  سطر أخير بمسافات  \n"
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.text == text
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc.source_uri == str(path.resolve())
    assert doc.title == "عنوان الخبر"
    assert doc.reader == "ingest.text.v1"
    assert doc.content_type == "text/plain"
    assert doc.meta["encoding"] == "utf-8"


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path, read_one) -> None:
    path = tmp_path / "bom.txt"
    data = b"\xef\xbb\xbf" + ARABIC.encode("utf-8")
    path.write_bytes(data)
    doc = read_one(path)
    assert doc.text == ARABIC
    assert doc.sha256 == hashlib.sha256(data).hexdigest()  # the bytes as received, BOM included


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("arabic-cp1256.txt", "cp1256"),
        ("arabic-utf16le-bom.txt", "utf-16-le"),
        ("arabic-utf16be-nobom.txt", "utf-16-be"),
    ],
)
def test_committed_legacy_encodings_are_read(
    fixtures: Path, read_one, name: str, encoding: str
) -> None:
    doc = read_one(fixtures / name)
    assert isinstance(doc, Document), doc
    assert doc.text == ARABIC
    assert doc.meta["encoding"] == encoding


@pytest.mark.parametrize(
    ("codec", "prefix", "detected_by"),
    [
        ("cp1256", b"", "arabic-check"),
        ("utf-16-le", b"\xff\xfe", "bom"),
        ("utf-16-be", b"\xfe\xff", "bom"),
        ("utf-16-le", b"", "nul-pattern"),
        ("utf-16-be", b"", "nul-pattern"),
    ],
)
def test_encodings_are_detected(codec: str, prefix: bytes, detected_by: str) -> None:
    text = ARABIC * 3 + "English words and 2018 too.\n"
    decoded = decode_bytes(prefix + text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == codec
    assert decoded.detected_by == detected_by


def test_cp1256_with_typographic_punctuation() -> None:
    text = "قال المتحدث: «لن ننسحب» — وأضاف أن العملية مستمرة… حتى النهاية."
    assert decode_bytes(text.encode("cp1256")).text == text


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff \n".encode("utf-8")])
def test_empty_or_whitespace_file_fails_as_empty(tmp_path: Path, read_one, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    failure = read_one(path)
    assert isinstance(failure, ReadFailure)
    assert failure.code == "empty"
    assert failure.error_code == EmptyInputError.code
    assert failure.source == str(path.resolve())


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP archive"),
        (b"MZ\x90\x00\x03" + bytes(200), "Windows executable"),
        (b"hello\x00\x01\x02\x03\xff\xfe\x00\x00\x07binary\x00\x00\x00", "NUL bytes"),
    ],
)
def test_binary_files_fail_with_what_they_are(
    tmp_path: Path, read_one, content: bytes, phrase: str
) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(content)
    failure = read_one(path)
    assert isinstance(failure, ReadFailure)
    assert failure.code == "binary"
    assert phrase in failure.reason
    assert "rasid reads text, HTML, JSONL, CSV, XML, PDF" in failure.reason


def test_invalid_utf8_that_is_not_cp1256_fails_naming_the_encodings_tried(
    tmp_path: Path, read_one
) -> None:
    # High bytes without word breaks: not UTF-8, and cp1256 makes noise of them.
    noise = bytes((37 * i + 11) % 128 + 128 for i in range(600))
    path = tmp_path / "noise.txt"
    path.write_bytes(b"header line\n" + noise)
    failure = read_one(path)
    assert isinstance(failure, ReadFailure)
    assert failure.code == "encoding"
    assert failure.error_code == EncodingError.code
    for tried in ("UTF-8", "UTF-16", "Windows-1256", "charset-normalizer"):
        assert tried in failure.reason
    assert "offset 12 (line 2)" in failure.reason


def test_damaged_utf8_is_reported_with_its_offset() -> None:
    data = (ARABIC * 5).encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    with pytest.raises(
        EncodingError, match="mostly UTF-8 but damaged: invalid byte 0xff at offset 100"
    ):
        decode_bytes(data)


def test_utf16_bom_with_broken_content_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="UTF-16 LE byte-order mark"):
        decode_bytes(b"\xff\xfe" + "نص".encode("utf-16-le") + b"\x00\xdc")


def test_control_characters_mean_binary() -> None:
    with pytest.raises(BinaryInputError):
        decode_bytes(bytes(range(1, 9)) * 50)


def test_latin1_text_is_read_when_charset_normalizer_is_sure() -> None:
    text = "Le café est très chaud à Paris, où l'été dure longtemps et où l'hôtel est fermé.\n" * 4
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.detected_by == "charset-normalizer"


def test_missing_path_is_a_failure_that_names_it(read_all) -> None:
    docs, failures = read_all(["/no/such/dir/article.txt"])
    assert docs == []
    assert failures == [
        ReadFailure(
            "/no/such/dir/article.txt",
            "not-found",
            "no such file or directory: /no/such/dir/article.txt",
        )
    ]


def test_folder_mixing_good_and_bad_files(tmp_path: Path, fixtures: Path, read_all) -> None:
    (tmp_path / "b-sub").mkdir()
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "b-sub" / "c.txt").write_bytes(ARABIC.encode("cp1256"))
    (tmp_path / "b-sub" / "d.jsonl").write_text(
        json.dumps({"id": "x1", "text": "نص السجل"}, ensure_ascii=False) + "\n{broken\n",
        encoding="utf-8",
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "z.html").write_bytes((fixtures / "page.html").read_bytes())
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("ignored", encoding="utf-8")
    stats = ReadStats()
    docs, failures = read_all([tmp_path], stats=stats)
    assert [Path(d.source_uri.split("#")[0]).name for d in docs] == [
        "a.txt",
        "c.txt",
        "d.jsonl",
        "z.html",
    ]
    assert {(Path(f.source.split("#")[0]).name, f.code) for f in failures} == {
        ("d.jsonl", "malformed"),
        ("empty.txt", "empty"),
        ("image.png", "binary"),
    }
    assert stats.documents == 4
    assert stats.failures == 3


def test_folder_order_is_deterministic(tmp_path: Path, read_all) -> None:
    for name in ["b.txt", "a.txt", "c.txt"]:
        (tmp_path / name).write_text(f"{name} {ARABIC}", encoding="utf-8")
    first = [d.source_uri for d in read_all([tmp_path])[0]]
    assert first == sorted(first)
    assert first == [d.source_uri for d in read_all([tmp_path])[0]]


def test_stdin_is_read_and_sniffed() -> None:
    results = list(iter_inputs(["-"], stdin=io.BytesIO(ARABIC.encode("cp1256"))))
    assert len(results) == 1
    doc = results[0]
    assert isinstance(doc, Document)
    assert doc.source_uri == "stdin"
    assert doc.text == ARABIC

    jsonl = "\n".join(
        json.dumps({"id": f"s{i}", "text": f"{ARABIC} {i}"}, ensure_ascii=False) for i in range(3)
    )
    records = list(iter_inputs(["-"], stdin=io.BytesIO(jsonl.encode("utf-8"))))
    assert [r.source_uri for r in records] == ["stdin#id=s0", "stdin#id=s1", "stdin#id=s2"]


def test_other_url_schemes_are_refused(read_all) -> None:
    _, failures = read_all(["ftp://example.org/file.txt"])
    assert failures[0].code == "unsupported"


_MEMORY_PROBE = """
import resource, sys
from rasid.ingest.readers import iter_inputs
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
results = list(iter_inputs([sys.argv[1]]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
doc = results[0]
print(type(doc).__name__, len(doc.text), (peak - base) * 1024)
"""


def test_50_mb_file_is_read_within_a_few_times_its_size(tmp_path: Path) -> None:
    line = ARABIC.encode("utf-8")
    path = tmp_path / "big.txt"
    size = 50 * 1024 * 1024
    with path.open("wb") as handle:
        handle.write(line * (size // len(line) + 1))
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    elapsed = time.monotonic() - started
    assert out[0] == "Document"
    assert int(out[1]) == len(ARABIC) * (size // len(line) + 1)
    grown = int(out[2])
    assert grown < 6 * path.stat().st_size, f"peak memory grew by {grown / 2**20:.0f} MiB"
    assert elapsed < 60


def test_language_is_detected(tmp_path: Path, read_one) -> None:
    pytest.importorskip("rasid.text.language")
    path = tmp_path / "ar.txt"
    path.write_text(ARABIC, encoding="utf-8")
    assert read_one(path).language == "ar"
