"""Toponyms beyond plain GPE/LOC mentions: named facilities and institutions, and capitalised datelines.

Input: the article text, its mentions (for facility names) and the resolver; output: ``Toponym`` spans
for "Colchester General Hospital", "University of Alberta" (the whole name, resolved through the place in
it) and for the "SAN DIEGO —" dateline that NER misses in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.nlp.place_context import Toponym
from storyline.records import Mention

if TYPE_CHECKING:
    from storyline.nlp.place_resolution import PlaceResolver

# Last words that make an organisation's name the name of a building or site one can be at.
FACILITY_HEADS = frozenset(
    {
        "university",
        "college",
        "institute",
        "academy",
        "hospital",
        "clinic",
        "court",
        "church",
        "cathedral",
        "chapel",
        "basilica",
        "mosque",
        "temple",
        "synagogue",
        "airport",
        "station",
        "stadium",
        "arena",
        "hotel",
        "castle",
        "palace",
        "prison",
        "jail",
        "street",
        "road",
        "avenue",
        "boulevard",
        "bridge",
        "square",
        "mall",
        "museum",
        "library",
        "theatre",
        "theater",
    }
)
# First words that do the same ("University of Alberta", "Port of Rotterdam").
FACILITY_FIRST_WORDS = frozenset({"university", "college", "port", "hospital", "church", "cathedral"})
# A dateline: a line (or, where extraction ran paragraphs together, a sentence) opening with a name in
# capitals, then a comma, a colon, a dash or a bracket ("TORONTO — ", "PLEASANTON, Calif.",
# "NEW YORK (Reuters)", "NEW DELHI: ").
DATELINE = re.compile(
    r"(?m)(?:^|(?<=[.!?] ))(?P<name>[A-Z][A-Z'’.-]*[A-Z.](?:[ ][A-Z][A-Z'’.-]*[A-Z.]){0,3})(?=\s*(?P<mark>[,:(]|[-–—]))"
)
DATELINE_MIN_LETTERS = 4  # "UK", "AP", "NEW" alone: too short to tell a place from an acronym
DATELINE_MIN_POPULATION = 1_000  # a dateline names a town a newsroom is in, not a hamlet
# "JEWELL: Boyd Carney and ..." is a speaker in a transcript: before a colon, only a big place is a dateline.
COLON_DATELINE_MIN_POPULATION = 100_000


# "anti-Russian", "ex-Soviet", "U.S.-led", "Kent-based": the place inside a hyphenated word or name.
HYPHEN_PREFIXES = ("anti", "ex", "pro", "non", "post", "pre", "pan", "neo", "mid", "trans")
HYPHEN_SUFFIXES = (
    "led",
    "based",
    "born",
    "backed",
    "owned",
    "run",
    "made",
    "bound",
    "funded",
    "controlled",
    "held",
    "allied",
    "occupied",
    "registered",
    "headquartered",
    "sponsored",
    "supported",
)
HYPHENATED = re.compile(
    rf"^(?:(?P<pre>{'|'.join(HYPHEN_PREFIXES)})-)?(?P<core>[A-Z][^-]*?)"
    rf"(?:-(?P<suf>{'|'.join(HYPHEN_SUFFIXES)})\b.*)?$",
    re.IGNORECASE,
)


def hyphen_core(text: str) -> tuple[int, int] | None:
    """Offsets of the name inside "anti-Russian" or "U.S.-led coalition"; None without such an affix."""
    match = HYPHENATED.match(text)
    if match is None or not (match.group("pre") or match.group("suf")) or not match.group("core")[:1].isupper():
        return None
    return match.span("core")


def is_facility_name(text: str) -> bool:
    words = [w.strip(".,'’").lower() for w in text.split()]
    if len(words) < 2:
        return False
    if words[0] == "the":
        words = words[1:]
    return len(words) >= 2 and (words[-1] in FACILITY_HEADS or (words[0] in FACILITY_FIRST_WORDS and words[1] == "of"))


def facility_toponyms(mention: Mention, resolver: PlaceResolver) -> tuple[Toponym, ...] | None:
    """An organisation named like a site ("Colchester General Hospital"): the whole name is the toponym
    when the town it names can place it, marked "in name" so that events do not read the institution
    as where something happened. A state or country in the name ("University of Alberta") is no point
    for a campus, nor is that state the place meant: no toponym at all (empty). None: not a facility."""
    if mention.label != "ORG" or not is_facility_name(mention.text):
        return None
    entries = resolver.candidates(mention.text) or resolver.backoff(mention.text)
    if not entries:
        return None  # no place in the name: NER's reading stands (the embedded-place scan finds nothing)
    if entries[0].is_area:
        return ()
    start, end = mention.evidence.start, mention.evidence.end
    return (Toponym(start, end, mention.text, mention.text, relation="in name"),)


def dateline_toponyms(text: str, toponyms: Sequence[Toponym], resolver: PlaceResolver) -> list[Toponym]:
    """``toponyms`` plus the capitalised place names opening a line that the gazetteer knows as a town or
    area; a dateline replaces the parts of it NER found ("LOUIS" of "ST. LOUIS")."""
    found = list(toponyms)
    for match in DATELINE.finditer(text):
        start, end = match.span("name")
        name = match.group("name")
        if sum(c.isalpha() for c in name) < DATELINE_MIN_LETTERS or any(
            (t.start, t.end) == (start, end) for t in toponyms
        ):
            continue
        query = name.title()
        entries = resolver.candidates(query)
        least = COLON_DATELINE_MIN_POPULATION if match.group("mark") == ":" else DATELINE_MIN_POPULATION
        if entries and (entries[0].is_area or entries[0].population >= least):
            found = [t for t in found if not start <= t.start < end]
            found.append(Toponym(start, end, name, query))
    return found
