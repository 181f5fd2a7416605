"""What a file's bytes are: binary or text, which character encoding, which format, which language.

Input: bytes (decoding, sniffing) or cleaned text (language). Output: str or a ``ReadFailure`` with a
reason; a format name; an ISO 639-1 code, or None when the text is too short or the identifier unsure.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """Why some bytes or markup could not be turned into text."""

    reason: str


# A text whose share of control characters (other than tab/newline/CR/FF) exceeds this is binary.
MAX_CONTROL_SHARE = 0.05
SNIFF_BYTES = 8192
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_SIGNS = re.compile(rb"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]|<p[\s>]|<div[\s>]|<article[\s>]", re.I)
FEED_SIGNS = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]", re.I)


# ---------------------------------------------------------------------------------------------------
# Bytes → text
# ---------------------------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> str | ReadFailure:
    """Text of ``data``: BOM-marked UTF-8/16 first, then UTF-8, then charset-normalizer's best guess."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                return ReadFailure(f"cannot decode {codec} text: {exc.reason} at byte {exc.start}")
    if b"\x00" in data[:SNIFF_BYTES]:
        wide = _utf16_without_bom(data)
        if wide is None:
            return ReadFailure("binary file (contains NUL bytes); give text, HTML, JSONL, WARC or RSS/Atom files")
        text = wide
    else:
        text_or_failure = _decode_narrow(data)
        if isinstance(text_or_failure, ReadFailure):
            return text_or_failure
        text = text_or_failure
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE:
        return ReadFailure("binary file (too many control characters); give text, HTML, JSONL, WARC or RSS/Atom files")
    return text


# UTF-16 text without a byte-order mark: ASCII-range characters leave a NUL in every other byte. A share
# of NULs this high on one parity (and almost none on the other) is text, not a binary format.
MIN_UTF16_NUL_SHARE = 0.3
MAX_OTHER_PARITY_NUL_SHARE = 0.02
# Valid UTF-8 multi-byte sequences: their presence in undecodable bytes means UTF-8 with stray legacy
# (cp1252) bytes pasted in, not a wholly legacy-encoded file.
_UTF8_MULTIBYTE = re.compile(
    rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})(?![\x80-\xbf])"
)
_MIXED_ERROR_HANDLER = "storyline-cp1252-fallback"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_MIXED_ERROR_HANDLER, _cp1252_fallback)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    for codec, nul_share, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul_share >= MIN_UTF16_NUL_SHARE and other <= MAX_OTHER_PARITY_NUL_SHARE:
            try:
                return data[: len(data) - len(data) % 2].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _decode_narrow(data: bytes) -> str | ReadFailure:
    """UTF-8; UTF-8 with stray cp1252 bytes (a copy-pasted quote) decoded line-true; else a guess."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):  # legacy text rarely forms a strict UTF-8 sequence by chance
        return data.decode("utf-8", errors=_MIXED_ERROR_HANDLER)
    return _decode_with_charset_normalizer(data)


def _decode_with_charset_normalizer(data: bytes) -> str | ReadFailure:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return ReadFailure("cannot decode the file: not UTF-8 and no other encoding fits; re-save it as UTF-8")
    text = str(best)
    if text.count("\ufffd") > len(text) / 100:
        return ReadFailure(f"cannot decode the file: best guess {best.encoding} gives garbage; re-save it as UTF-8")
    return text


def sniff_format(data: bytes) -> str:
    """Format of data with no telling extension: "warc", "feed", "html", "json", "jsonl" or "text"."""
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b") and b"WARC/" in _gunzip_head(head):
        return "warc"
    if FEED_SIGNS.search(head):
        return "feed"
    if _HTML_SIGNS.search(head):
        return "html"
    first_line = head.split(b"\n", 1)[0].strip()
    if first_line.startswith(b"{"):
        return "jsonl"
    if re.match(rb"\[\s*(?:\{|$)", first_line):
        return "json"  # an array of article objects
    return "text"


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


# ---------------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------------

# Below these sizes py3langid confuses short headlines with neighbouring languages ("st", "la" …),
# so we say "unknown" instead.
MIN_WORDS = 6
MIN_LETTERS = 30
MIN_PROBABILITY = 0.80
# Only this much text is scored: enough for a reliable answer, and it keeps long articles cheap.
SAMPLE_CHARS = 4000
# py3langid's label for "no linguistic content"; not a language.
NOT_A_LANGUAGE = frozenset({"zxx", "und"})

_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _identifier() -> Any:  # py3langid's LanguageIdentifier (untyped library)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Loaded once per process (about 0.7 s): normalised probabilities make the threshold meaningful.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """(language code, probability) of ``text``, or None when it is too short or the answer is unsure."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if len(words) < MIN_WORDS or sum(len(w) for w in words) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    if code in NOT_A_LANGUAGE or probability < MIN_PROBABILITY:
        return None
    return str(code), float(probability)


def normalize_language_tag(tag: str | None) -> str | None:
    """ "en-GB", "EN_us", "eng" → "en"-style primary subtag; None or blank → None."""
    if tag is None:
        return None
    primary = re.split(r"[-_\s]", tag.strip().lower(), maxsplit=1)[0]
    if not primary.isalpha():
        return None
    return THREE_LETTER_CODES.get(primary, primary) if len(primary) == 3 else primary


# The few ISO 639-2 codes news metadata actually uses, mapped to the ISO 639-1 codes py3langid returns.
THREE_LETTER_CODES: dict[str, str] = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "ara": "ar",
    "tur": "tr",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "fas": "fa",
    "per": "fa",
    "kur": "ku",
    "ukr": "uk",
}
