"""Stage places.v1: toponyms and demonyms of one article, resolved against the offline gazetteer.

Input: the spaCy Doc, ``analysis.mentions`` (GPE/LOC/FAC toponyms, NORP demonyms, ORG names with an
embedded country) and the article (text, URL for a weak country prior); output: ``PlaceRef`` records with
GeoNames id, coordinates, precision and, for "50 km west of X", the relation and distance to the anchor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.nlp.gazetteer import GazetteerEntry, normalize_name
from storyline.nlp.place_resolution import (
    GENERIC_SUFFIXES,
    PlaceResolver,
    Toponym,
    default_resolver,
    is_acronym,
    place_resolver,
    resolve_choices,
)
from storyline.nlp.place_spotting import dateline_toponyms, facility_toponyms, hyphen_core
from storyline.records import ArticleAnalysis, Mention, PlaceRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.pipeline import Context

__all__ = [
    "GENERIC_SUFFIXES",
    "PlaceResolver",
    "Toponym",
    "default_resolver",
    "extract_places",
    "is_acronym",
    "place_resolver",
    "relation_before",
    "resolve_toponyms",
]

TOPONYM_LABELS = frozenset({"GPE", "LOC", "FAC"})
DEMONYM_LABELS = TOPONYM_LABELS | {"NORP"}  # a one-word PERSON may be a demonym too ("Azerbaijani soldiers")
NOTABLE_POPULATION = 100_000  # a city this big may be taken from an ORG name or an ORG-labelled span
# Words that put the next name on a map when NER left it unlabelled: narrower than LOCATIVE_BEFORE (no "at",
# "around", "between"), because here nothing but the gazetteer says the word is a name at all.
LOCATIVE_WORDS = frozenset({"in", "near", "outside", "into"})
LOCATIVE_MIN_POPULATION = 1_000  # after "in", a town; a hamlet of that name is likelier a homonym
PERSON_SAFE_FEATURES = frozenset({"A.ADM1", "A.ADM2", "L.RGN", "H.STM", "T.MTS", "L.ISL"})
COUNTRY_TLD = {
    "uk": "GB",
    "ie": "IE",
    "au": "AU",
    "ca": "CA",
    "in": "IN",
    "nz": "NZ",
    "za": "ZA",
    "fr": "FR",
    "de": "DE",
    "ng": "NG",
    "pk": "PK",
    "sg": "SG",
    "ph": "PH",
    "ke": "KE",
}
DIRECTIONS = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?|(?:north|south|east|west)ern"
UNIT_KM = {
    "km": 1.0,
    "kms": 1.0,
    "kilometers": 1.0,
    "kilometres": 1.0,
    "kilometer": 1.0,
    "kilometre": 1.0,
    "miles": 1.609344,
    "mile": 1.609344,
    "mi": 1.609344,
}
RELATIVE_PATTERNS = (  # matched against the text just before a toponym, anchored at its end
    re.compile(
        rf"(?P<dist>\d+(?:[.,]\d+)?)[- ]?(?P<unit>{'|'.join(UNIT_KM)})\.?\s+(?:\([^)]{{0,25}}\)\s+)?"
        rf"(?:to the\s+)?(?P<dir>{DIRECTIONS})\s+of\s+(?:the\s+)?$",
        re.I,
    ),
    re.compile(
        rf"(?P<dist>\d+(?:[.,]\d+)?)[- ]?(?P<unit>{'|'.join(UNIT_KM)})\.?\s+"
        r"(?:from|outside)\s+(?:the\s+)?$",
        re.I,
    ),
    re.compile(rf"\b(?P<dir>{DIRECTIONS})\s+of\s+(?:the\s+)?$", re.I),
    re.compile(
        r"\b(?P<near>near|nearby|outside|around|close to|outskirts of|vicinity of|neighbouring"
        r"|neighboring|suburbs? of)\s+(?:the\s+)?(?:\w+\s+of\s+)?$",
        re.I,
    ),
)


# --- candidates ----------------------------------------------------------------------------------


def demonym_target(resolver: PlaceResolver, text: str) -> str | None:
    key = normalize_name(text)
    return resolver.demonyms.get(key) or resolver.demonyms.get(key.rstrip("s"))


def demonym_query(resolver: PlaceResolver, target: str) -> str:
    """Demonym table targets are ISO codes, "US-XX" state codes, or curated feature names."""
    if target.startswith("US-"):
        return STATE_NAMES.get(target[3:], target)
    if len(target) == 2 and target.isupper():
        country = resolver.gazetteer.country(target)
        return country.name if country is not None else target
    return target


STATE_NAMES = {"TX": "Texas", "CA": "California", "FL": "Florida", "NY": "New York"}


def is_notable(resolver: PlaceResolver, name: str) -> bool:
    """A name safe to take as a place outside a GPE/LOC mention: an area or a big city."""
    lead = resolver.leading(name)
    return lead is not None and (lead.is_area or lead.population >= NOTABLE_POPULATION)


def embedded_toponyms(resolver: PlaceResolver, start: int, text: str) -> list[Toponym]:
    """Places and demonyms inside an organisation's name ("Syrian" in "Syrian Democratic Forces",
    "Toronto" in "Toronto Police"); kept with relation "in name" so events do not take them as sites."""
    found: list[Toponym] = []
    words = list(re.finditer(r"[A-Z][\w'’.-]*", text))
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            chunk = words[index : index + size]
            if len(chunk) < size:
                continue
            first, last = chunk[0].start(), chunk[-1].end()
            surface = text[first:last]
            if size > 1 and " " not in surface.strip():
                continue
            if 0 < index == len(words) - 1 and is_acronym(surface):
                continue  # a trailing acronym is the legal form ("Airbus SA", "Siemens AG"), not a place
            target = demonym_target(resolver, surface)
            if target is not None or is_notable(resolver, surface):
                query = demonym_query(resolver, target) if target else surface
                found.append(Toponym(start + first, start + last, surface, query, target is not None, "in name"))
                index += size - 1
                break
        index += 1
    return found


def is_area_name(resolver: PlaceResolver, name: str) -> bool:
    lead = resolver.leading(name)
    return lead is not None and lead.is_area


def whole_mention_place(resolver: PlaceResolver, mention: Mention) -> bool:
    """An ORG/PERSON mention that is itself a well-known place (NER calls "EU" or "Tamil Nadu" ORG/PERSON)."""
    lead = resolver.leading(mention.text)
    if lead is None:
        return False
    if mention.label == "PERSON":
        return lead.feature_code in PERSON_SAFE_FEATURES and mention.entity_key == mention.text
    # An alternate name is not enough here: "The Sun" must not become Anshun.
    return is_notable(resolver, mention.text) and (
        lead.geonames_id < 0
        or lead.feature_code == "A.PCLI"
        or normalize_name(lead.name) == normalize_name(mention.text)
    )


# Words before a name that make it a place: "near Djibo", "the town of Djibo", "20 km south of Djibo".
LOCATIVE_BEFORE = re.compile(
    r"\b(?:(?:near|outside|around|between|in|at|towards?|into)\s+(?:the\s+)?|(?:town|village|city|north|south|east|"
    r"west|northern|southern|eastern|western|outskirts)\s+of\s+)$",
    re.IGNORECASE,
)


def article_countries(analysis: ArticleAnalysis, resolver: PlaceResolver) -> set[str]:
    """Countries the article's GPE/LOC names point to first (the context a bare town name is read in)."""
    countries = set()
    for mention in analysis.mentions:
        if mention.label in TOPONYM_LABELS:
            lead = resolver.leading(mention.text)
            if lead is not None and lead.country_code:
                countries.add(lead.country_code)
    return countries


def misread_place(
    analysis: ArticleAnalysis, resolver: PlaceResolver, mention: Mention, place_names: set[str], countries: set[str]
) -> bool:
    """A one-word PERSON/ORG mention that is a place all the same: the article names it as a place elsewhere
    (one sense per discourse), or the gazetteer has a place of exactly that name in a country the article is
    about ("the road to Djibo" when NER read Djibo as an organisation)."""
    name = normalize_name(mention.text)
    if name in place_names:
        return True
    if is_acronym(mention.text):
        return False
    # A one-word organisation named exactly like a town of the article's country is that town; a one-word
    # "person" may be a surname that a village shares, so it needs a locative word before it too.
    before = analysis.article.text[max(0, mention.evidence.start - 40) : mention.evidence.start]
    if mention.label == "PERSON" and not LOCATIVE_BEFORE.search(before):
        return False
    entries = resolver.candidates(mention.text)
    return any(normalize_name(e.name) == name and e.country_code in countries for e in entries)


def hyphenated_toponym(resolver: PlaceResolver, mention: Mention, core: tuple[int, int]) -> list[Toponym]:
    """The place in "anti-Russian" or "U.S.-led coalition" (in an organisation's name: "in name")."""
    surface = mention.text[core[0] : core[1]]
    start, end = mention.evidence.start + core[0], mention.evidence.start + core[1]
    relation = None if mention.label in DEMONYM_LABELS else "in name"
    target = demonym_target(resolver, surface)
    if target is not None:
        return [Toponym(start, end, surface, demonym_query(resolver, target), True, relation)]
    if mention.label in TOPONYM_LABELS or is_notable(resolver, surface):
        return [Toponym(start, end, surface, surface, relation=relation)]
    return []


def toponyms_from_mentions(analysis: ArticleAnalysis, resolver: PlaceResolver) -> list[Toponym]:
    found: list[Toponym] = []
    place_names = {normalize_name(m.text) for m in analysis.mentions if m.label in TOPONYM_LABELS}
    countries: set[str] | None = None
    for mention in analysis.mentions:
        start, end = mention.evidence.start, mention.evidence.end
        target = demonym_target(resolver, mention.text)
        if (core := hyphen_core(mention.text)) is not None:
            found.extend(hyphenated_toponym(resolver, mention, core))
        elif target is not None and (mention.label in DEMONYM_LABELS or " " not in mention.text.strip()):
            found.append(Toponym(start, end, mention.text, demonym_query(resolver, target), True))
        elif (facilities := facility_toponyms(mention, resolver)) is not None:
            found.extend(facilities)
        elif mention.label in TOPONYM_LABELS:
            found.append(Toponym(start, end, mention.text, mention.text))
        elif mention.label == "NORP" and is_area_name(resolver, mention.text):
            found.append(Toponym(start, end, mention.text, mention.text, True))
        elif mention.label in {"ORG", "GROUP", "PERSON"} and whole_mention_place(resolver, mention):
            found.append(Toponym(start, end, mention.text, mention.text))
        elif mention.label in {"ORG", "GROUP", "PERSON"} and " " not in mention.text.strip():
            countries = article_countries(analysis, resolver) if countries is None else countries
            if misread_place(analysis, resolver, mention, place_names, countries):
                found.append(Toponym(start, end, mention.text, mention.text))
            elif mention.label != "PERSON":
                found.extend(embedded_toponyms(resolver, start, mention.text))
        elif mention.label in {"ORG", "GROUP"}:
            found.extend(embedded_toponyms(resolver, start, mention.text))
    return found


def merge_qualified(text: str, toponyms: list[Toponym], resolver: PlaceResolver) -> list[Toponym]:
    """ "Washington, D.C." is one name when the gazetteer knows the pair ("Paris, Texas" stays two)."""
    merged: list[Toponym] = []
    for topo in toponyms:
        previous = merged[-1] if merged else None
        if previous is not None and text[previous.end : topo.start] == ", " and not previous.is_demonym:
            joint = text[previous.start : topo.end]
            if resolver.candidates(joint):
                merged[-1] = Toponym(previous.start, topo.end, joint, joint)
                continue
        merged.append(topo)
    return merged


def title_tokens(doc: Doc) -> Iterator[Token]:
    """Title-case tokens, found in the attribute array: a Token object per word costs more than the test."""
    from spacy.attrs import IS_TITLE

    for i, is_title in enumerate(doc.to_array(IS_TITLE).tolist()):
        if is_title:
            yield doc[i]


def missed_toponyms(doc: Doc, taken: Sequence[tuple[int, int]], resolver: PlaceResolver) -> list[Toponym]:
    """Capitalised words NER missed that are unambiguous big places (countries, states, regions)."""
    found = []
    covered = {i for s, e in taken for i in range(s, e)}
    ends = {e for _, e in taken}
    for token in title_tokens(doc):
        if not token.is_title or token.is_sent_start or token.idx in covered or len(token) < 4:
            continue
        if token.ent_type_ in {"PERSON", "ORG"}:
            continue
        target = demonym_target(resolver, token.text)
        if target is not None:
            found.append(Toponym(token.idx, token.idx + len(token), token.text, demonym_query(resolver, target), True))
            continue
        lead = resolver.leading(token.text)
        if lead is None or token.pos_ != "PROPN":
            continue
        if lead.feature_code in {"A.PCLI", "A.ADM1"} or is_located_name(doc, token, lead, ends):
            found.append(Toponym(token.idx, token.idx + len(token), token.text, token.text))
    return found


def is_located_name(doc: Doc, token: Token, lead: GazetteerEntry, ends: set[int]) -> bool:
    """A one-word name NER left unlabelled after "in"/"near" ("captured in Chattanooga"), when the
    gazetteer's reading of it is an area or a real town; or an area qualifying the name before it
    ("Knockhill, Fife")."""
    if token.i < 2 or token.ent_type_:
        return False
    if token.i + 1 < len(doc) and doc[token.i + 1].is_title:
        return False  # "in Riverdale Park": a longer name this one word does not stand for
    before = doc[token.i - 1]
    if before.text == "," and before.idx in ends:
        return lead.is_area
    return before.lower_ in LOCATIVE_WORDS and (lead.is_area or lead.population >= LOCATIVE_MIN_POPULATION)


def relation_before(text: str, start: int) -> tuple[str | None, float | None]:
    """("west of", 50.0) for "50 km west of X"; ("near", None) for "a village near X"."""
    window = text[max(0, start - 60) : start]
    for pattern in RELATIVE_PATTERNS:
        match = pattern.search(window)
        if match is None:
            continue
        groups = match.groupdict()
        distance = None
        if groups.get("dist"):
            distance = float(groups["dist"].replace(",", ".")) * UNIT_KM[groups["unit"].lower()]
        if groups.get("dir"):
            direction = groups["dir"].lower().replace(" ", "").replace("-", "").removesuffix("ern")
            return f"{direction} of", distance
        return ("near", distance) if groups.get("near") or distance is not None else (None, None)
    return None, None


def resolve_toponyms(
    text: str, article_id: str, toponyms: Sequence[Toponym], resolver: PlaceResolver, outlet_country: str | None = None
) -> tuple[PlaceRef, ...]:
    """Relations ("50 km west of") read from the text before each toponym, then joint resolution."""
    related, distances = [], []
    for topo in toponyms:
        relation, distance = (topo.relation, None) if topo.relation else relation_before(text, topo.start)
        related.append(replace(topo, relation=relation))
        distances.append(distance)
    return resolve_choices(article_id, related, distances, resolver, outlet_country, text)


def outlet_country_of(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"^[a-z]+://([^/:]+)", url)
    return COUNTRY_TLD.get(match.group(1).rsplit(".", 1)[-1]) if match else None


def extract_places(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[PlaceRef, ...]:
    """Stage places.v1: toponyms from mentions (+ demonyms, + big places NER missed), resolved together."""
    resolver = place_resolver(ctx)
    toponyms = toponyms_from_mentions(analysis, resolver)
    taken = [(t.start, t.end) for t in toponyms]
    taken += [(m.evidence.start, m.evidence.end) for m in analysis.mentions]
    toponyms += missed_toponyms(doc, taken, resolver)
    toponyms = dateline_toponyms(analysis.article.text, toponyms, resolver)
    toponyms.sort(key=lambda t: t.start)
    article = analysis.article
    toponyms = merge_qualified(article.text, toponyms, resolver)
    refs = resolve_toponyms(article.text, article.id, toponyms, resolver, outlet_country_of(article.url))
    # A one-word "place" that no gazetteer entry (not even a fuzzy one) knows is mostly an NER slip on a
    # person or product name ("Buhari", "Wavepiston"): dropped. Longer unknown names are kept unresolved.
    return tuple(r for r in refs if r.geonames_id is not None or " " in r.text.strip() or r.is_demonym)
