"""The publisher a copyright footer names: "© 2018 Harbour Times. All rights reserved." → "Harbour Times".

Input: one footer line. Output: the holder's name, or a ``NoHolder`` saying why the line names no outlet:
a parent company that owns many titles ("© Gannett"), a company name that is not a publication ("… LLC"),
or only boilerplate ("All rights reserved | Terms").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.outlets import Outlet, default_registry, outlet_key


@dataclass(frozen=True, slots=True)
class NoHolder:
    """Why a copyright line gives no outlet name."""

    reason: str


# Groups that own many titles: their name in a footer does not say which title printed the article.
# (Company names as listed on each group's Wikipedia page; owners of a single title are registry aliases.)
MEDIA_GROUPS = frozenset({
    "gannett", "hearst", "hearst communications", "hearst newspapers", "penske media", "nbcuniversal",
    "nbc universal", "advance local", "advance local media", "tribune publishing", "tribune media", "mcclatchy",
    "lee enterprises", "reach", "news corp", "news corporation", "conde nast", "condé nast", "meredith",
    "vox media", "digital first media", "medianews group", "axel springer", "bauer media", "future",
    "sinclair broadcast group", "nexstar media", "tegna", "graham media", "cox media", "gray television",
    "postmedia", "postmedia network", "torstar", "bell media", "nine", "fairfax media", "newsquest",
    "johnston press", "jpimedia", "national world", "dmg media", "mediahuis", "dpg media", "schibsted",
    "lagardère", "mondadori", "tamedia", "ringier", "yahoo", "verizon media", "oath", "aol", "dotdash meredith",
    "dow jones", "cnhi", "gatehouse media", "alden global capital", "paxton media", "wordpress", "wix",
    "cbs interactive", "viacomcbs", "warner media", "warnermedia", "comcast", "disney", "microsoft", "google",
    "apple", "amazon", "meta", "facebook", "verizon", "at&t", "iac", "bustle digital group", "gizmodo media",
})  # fmt: skip
# A name that is not in the registry counts as an outlet only when one of these words is part of it.
OUTLET_NAME_WORDS = frozenset({
    "news", "radio", "tv", "television", "times", "post", "daily", "herald", "tribune", "online", "agency",
    "press", "journal", "gazette", "telegraph", "observer", "monitor", "chronicle", "express", "mirror", "star",
    "sun", "channel", "broadcasting", "network", "media", "wire", "weekly", "courier", "standard", "inquirer",
    "dispatch", "bulletin", "magazine", "reporter", "record", "globe", "mail", "nation", "voice",
})  # fmt: skip
# Suffixes of company names: a footer naming "X Media LLC" names a company, not necessarily the title.
_COMPANY_SUFFIX = re.compile(
    r"(?i)[,\s]+(?:inc|llc|l\.l\.c|ltd|limited|plc|corp|corporation|co|gmbh|ag|s\.a|sa|pvt|pty|company|"
    r"holdings|group|llp|lp|bv|nv|srl|sas)\.?(?:\s+(?:ltd|limited|inc|llc)\.?)?\s*$"
)
_RESERVED = re.compile(
    r"(?i)\b(?:all rights reserved|all right reserved|tous droits réservés|todos los derechos reservados|"
    r"alle rechte vorbehalten|some rights reserved)\b.*$"
)
_MARKERS = re.compile(
    r"(?i)^(?:\s*(?:Â?©|\(c\)|copyright\b|by\b|the year\b|(?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2,4})?)[\s,.:]*)+"
)
_TRAILING_YEAR = re.compile(r"[\s,.]*(?:©\s*)?(?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2,4})?[\s.]*$")
# Where the holder's name ends: "Harbour Times | Terms", "The Detroit News, a Digital First Media Newspaper".
_NAME_END = re.compile(
    r"\s+[|–—-]\s|\s*[|;(]|,\s+(?:a|an|part of|member of|in)\s|\.\s+(?=[A-Z])|,\s+(?:19|20)\d{2}|"
    r"\s+(?i:or its|and its|in england|registered in|trading as|unless|except|and/or)\b"
)
# "©AFP – Army vehicles drive past …": a photo caption crediting the picture, not the article.
_CAPTION = re.compile(r"\s[–—-]\s+\S+(?:\s+\S+){3,}")
_COMPANY_WORD = re.compile(r"\b(?:Inc|LLC|Ltd|Limited|PLC|plc|Corp|Corporation|GmbH|Pvt|Private Limited|Pty)\b")
_MOJIBAKE = re.compile("[\x80-\x9f\ufffd]")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_SIGN_OR_YEAR = re.compile(r"©|\([cC]\)|\b(?:19|20)\d{2}\b")
# Lines that are boilerplate, not a name ("Terms", "Privacy Policy").
NOT_HOLDERS = frozenset({"terms", "privacy", "privacy policy", "terms of use", "reprint", "and reprint", "reserved"})
MAX_HOLDER_WORDS = 8


def copyright_holder(line: str) -> str | NoHolder:
    """The outlet a copyright line names, in the registry's spelling when listed."""
    if not _SIGN_OR_YEAR.search(line):
        return NoHolder("'Copyright' without a sign or year is a link (Copyright Policy), not a notice")
    text = _RESERVED.sub("", line).strip()
    if _CAPTION.search(text):
        return NoHolder("a photo caption: the credit is for the picture")
    text = _MARKERS.sub("", text)
    text = _NAME_END.split(text, maxsplit=1)[0]
    text = _TRAILING_YEAR.sub("", text).strip(" \t.,:;-–—\"'“”")
    if not text or not text[0].isalnum() or _MOJIBAKE.search(text):
        return NoHolder("no name left after the copyright sign, years and 'all rights reserved'")
    if text.casefold() in NOT_HOLDERS or len(text.split()) > MAX_HOLDER_WORDS:
        return NoHolder(f"{text!r} is boilerplate or a sentence, not a holder's name")
    without_suffix = _COMPANY_SUFFIX.sub("", text).strip(" ,.")
    registered = _registered(text) or _registered(without_suffix)
    if registered is not None:
        return registered.name
    if without_suffix.casefold().removeprefix("the ") in MEDIA_GROUPS:
        return NoHolder(f"{text!r} is a group owning many titles, not the title itself")
    if without_suffix != text or _COMPANY_WORD.search(line):
        return NoHolder(f"{text!r} is a company name, not a publication's")
    if not _YEAR.search(line) and not _RESERVED.search(line) and not _outlet_words(text):
        return NoHolder(f"{text!r} without a year is a picture credit (often a person), not a notice")
    return text


def _outlet_words(name: str) -> bool:
    return any(word.lower().strip(".,'’") in OUTLET_NAME_WORDS for word in name.split())


def _registered(name: str) -> Outlet | None:
    return default_registry().by_key.get(outlet_key(name)) or (
        default_registry().match(name) if "." in name and " " not in name else None
    )
