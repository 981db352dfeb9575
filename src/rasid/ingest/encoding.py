"""Turning bytes into text without guessing silently.

Order of evidence: magic numbers (binary formats) → byte-order marks → a
declared charset (HTTP header, ``<meta charset>``) → strict UTF-8 → UTF-16
without BOM (by where the NUL bytes fall) → Windows-1256 when the result reads
as Arabic → charset-normalizer when it finds a coherent single encoding. When
nothing convinces, the file fails with the list of encodings that were tried.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from rasid.errors import BinaryInputError, EmptyInputError, EncodingError
from rasid.ingest.base import SUPPORTED_FORMATS

_BOMS: list[tuple[bytes, str, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
]

# (prefix, offset, description): enough to name what the user gave us.
_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "a PDF file: give it a .pdf extension"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"RIFF", 0, "a RIFF media file (WebP/WAV/AVI)"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"PK\x03\x04", 0, "a ZIP archive (or .docx/.xlsx/.epub, which are ZIP files)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (b"MZ", 0, "a Windows executable"),
    (b"\x7fELF", 0, "an ELF executable"),
    (b"\xca\xfe\xba\xbe", 0, "a Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", 0, "a Mach-O executable"),
    (b"\x1f\x8b", 0, "a gzip archive (name it .jsonl.gz if it holds JSON lines)"),
    (b"BZh", 0, "a bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Microsoft Office file (.doc/.xls)"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
    (b"OggS", 0, "an Ogg media file"),
    (b"ID3", 0, "an MP3 file"),
    (b"fLaC", 0, "a FLAC file"),
    (b"ftyp", 4, "an MP4/MOV media file"),
    (b"\x00\x00\x01\x00", 0, "an icon file"),
    (b"wOFF", 0, "a web font"),
    (b"\x00\x01\x00\x00\x00", 0, "a TrueType font"),
]

#: Legacy encodings charset-normalizer may choose between. An open list lets it pick a
#: Central European code page for French text: a silent wrong guess.
LEGACY_CANDIDATES = ("cp1256", "iso8859_6", "cp720", "cp864", "cp1252")
_ARABIC_ENCODINGS = {"cp1256", "windows-1256", "iso8859_6", "cp720", "cp864", "mac_arabic"}
_SAMPLE = 1 << 16
_UTF8_PAIR = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_MARKUP = re.compile(r"<[^<>]{0,200}>")
_NON_SPACE = re.compile(rb"[^\s]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name
    detected_by: (
        str  # "bom", "declared", "utf-8", "nul-pattern", "arabic-check", "charset-normalizer"
    )


def binary_kind(head: bytes) -> str | None:
    """A description of the binary format these first bytes belong to, if known."""
    for magic, offset, what in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return what
    return None


def _binary(what: str) -> BinaryInputError:
    return BinaryInputError(f"file is binary ({what}); rasid reads {SUPPORTED_FORMATS}")


def _is_arabic_letter(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def arabic_share(text: str) -> float:
    """Share of letters that are Arabic (0 when there are no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _is_arabic_letter(ch)) / len(letters)


def _printable_share(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(
        1
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f\v"
    )
    return 1 - bad / len(text)


def _reads_as_arabic(text: str) -> bool:
    """Does a single-byte decoding give Arabic prose rather than noise?"""
    sample = text[:_SAMPLE]
    # Tag names in markup (HTML, TREC <DOC>) are Latin; only the prose counts.
    if arabic_share(_MARKUP.sub(" ", sample)) < 0.6:
        return False
    letters = [ch for ch in sample if ch.isalpha()]
    # UTF-8 Arabic read as cp1256 is mostly ط/ظ (the UTF-8 lead bytes D8/D9).
    if letters and sum(1 for ch in letters if ch in "طظ") / len(letters) > 0.3:
        return False
    words = sample.split()
    if len(sample) > 40 and (not words or len(sample.replace(" ", "")) / len(words) > 20):
        return False  # no word breaks: noise, not prose
    return mess_ratio(sample, maximum_threshold=1.0) < 0.2 and _printable_share(sample) > 0.98


def _utf8_error(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return f"invalid byte 0x{data[err.start]:02x} at offset {err.start} (line {line})"
    return "valid"


def _nul_pattern(sample: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters leave NUL bytes on one side only."""
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul >= 0.05 and even_nul <= 0.005:
        return "utf-16-le"
    if even_nul >= 0.05 and odd_nul <= 0.005:
        return "utf-16-be"
    return None


_HAS_TEXT = re.compile(r"\S")


def _check_text(text: str, how: str) -> str:
    if _HAS_TEXT.search(text) is None:
        raise EmptyInputError("empty: the input has no text (only whitespace)")
    if _printable_share(text[:_SAMPLE]) < 0.97:
        raise _binary(f"decoded as {how} it is mostly control characters")
    return text


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` or raise an :class:`~rasid.errors.InputError` that says why not."""
    if not data or _NON_SPACE.search(data) is None:
        raise EmptyInputError(
            "empty: the input has no text" + (" (only whitespace)" if data else "")
        )
    kind = binary_kind(data[:32])
    if kind is not None:
        raise _binary(f"looks like {kind}")

    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                raise EncodingError(
                    f"starts with a {label} byte-order mark but is not valid {label} "
                    f"(bad bytes at offset {err.start + len(bom)}); re-save it as UTF-8"
                ) from None
            return Decoded(_check_text(text, label), codec, "bom")

    if declared:
        named = _codec_name(declared)
        if named is not None:
            try:
                return Decoded(_check_text(data.decode(named), declared), named, "declared")
            except UnicodeDecodeError:
                pass  # the declaration lies often enough; fall through to detection

    if b"\x00" in data:
        codec16 = _nul_pattern(data[:_SAMPLE])
        if codec16 is not None and len(data) % 2 == 0:
            try:
                text = data.decode(codec16)
            except UnicodeDecodeError:
                text = ""
            if text and _printable_share(text[:_SAMPLE]) > 0.98:
                return Decoded(_check_text(text, codec16), codec16, "nul-pattern")
        raise _binary("found NUL bytes and it is not UTF-16 text")

    try:
        return Decoded(_check_text(data.decode("utf-8"), "UTF-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    utf8_problem = _utf8_error(data)

    high = sum(1 for b in data[:_SAMPLE] if b >= 0x80)
    utf8_covered = sum(len(m) for m in _UTF8_PAIR.findall(data[:_SAMPLE]))
    if high and utf8_covered / high > 0.8:
        raise EncodingError(
            f"mostly UTF-8 but damaged: {utf8_problem}; fix or remove those bytes "
            "(e.g. iconv -f UTF-8 -t UTF-8 -c)"
        )

    cp1256 = data.decode("cp1256", errors="replace")
    if "\ufffd" not in cp1256 and _reads_as_arabic(cp1256):
        return Decoded(_check_text(cp1256, "Windows-1256"), "cp1256", "arabic-check")

    best = from_bytes(data[: _SAMPLE * 4], cp_isolation=list(LEGACY_CANDIDATES)).best()
    if best is not None and best.encoding not in ("utf_8", "ascii") and best.chaos <= 0.1:
        guess = best.encoding
        try:
            text = data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            text = ""
        arabic_ok = guess not in _ARABIC_ENCODINGS or _reads_as_arabic(text)
        if text and arabic_ok and _printable_share(text[:_SAMPLE]) > 0.98:
            return Decoded(_check_text(text, guess), guess, "charset-normalizer")

    raise EncodingError(
        "could not determine the text encoding: tried UTF-8 "
        f"({utf8_problem}), byte-order marks (none), UTF-16 (no NUL bytes), "
        "Windows-1256 (does not read as Arabic) and charset-normalizer (none of "
        f"{', '.join(LEGACY_CANDIDATES)} fits); convert the file to UTF-8 (e.g. iconv -f <encoding> -t UTF-8)"
    )


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
