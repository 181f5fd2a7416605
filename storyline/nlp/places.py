"""Stage places.v1: toponyms and demonyms of one article, resolved against the offline gazetteer.

Input: the spaCy Doc, ``analysis.mentions`` (GPE/LOC/FAC toponyms, NORP demonyms, ORG names with an
embedded country) and the article (text, URL for a weak country prior); output: ``PlaceRef`` records with
GeoNames id, coordinates, precision and, for "50 km west of X", the relation and distance to the anchor.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyline.errors import StageError
from storyline.nlp.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    distance_km,
    normalize_name,
    open_gazetteer,
    read_tsv,
)
from storyline.records import ArticleAnalysis, Evidence, GeoPrecision, Mention, PlaceRef

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.pipeline import Context

TOPONYM_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that make a span a description of a place, not part of its gazetteer name ("Idlib province").
GENERIC_SUFFIXES = ("province", "governorate", "city", "district", "region", "county", "state", "town",
                    "village", "area", "countryside", "camp", "river", "desert", "mountains")
# Prior per feature code, added to log10(population): an ambiguous country name is the country, a US
# state name the state, before any city of the same name.
FEATURE_PRIOR = {"A.PCLI": 4.0, "L.CONT": 5.0, "A.ADM1": 6.5, "A.ADM2": 4.5, "L.RGN": 5.5, "P.PPLC": 1.0,
                 "P.PPLX": 5.0}
NATURAL_PRIOR = 8.0  # rivers, deserts, seas, mountains of the curated table (no population)
CURATED_BONUS = 1.5  # a curated alias ("Atlantic", "EU") is as strong as a main name
PRIMARY_NAME_BONUS = 1.5  # the span is the entry's main name, not one of its many alternate names
SAME_COUNTRY_WEIGHT = 4.0  # × share of the article's other places in the candidate's country
ADMIN_MENTIONED_BONUS = 3.0  # "Paris, Texas": the candidate's state/region is named in the article
NEAR_OTHERS_BONUS = 1.5  # within 300 km of another confidently resolved place
NOTABLE_POPULATION = 100_000  # a city this big may be taken from an ORG name or an ORG-labelled span
PERSON_SAFE_FEATURES = frozenset({"A.ADM1", "A.ADM2", "L.RGN", "H.STM", "T.MTS", "L.ISL"})
STRAY_MAX_POPULATION = 20_000
BACKOFF_MIN_POPULATION = 50_000  # a part of a longer name must be a big place ("Church" is a village)
COUNTRY_TLD = {"uk": "GB", "ie": "IE", "au": "AU", "ca": "CA", "in": "IN", "nz": "NZ", "za": "ZA",
               "fr": "FR", "de": "DE", "ng": "NG", "pk": "PK", "sg": "SG", "ph": "PH", "ke": "KE"}
OUTLET_COUNTRY_BONUS = 0.5  # weak prior: the outlet's own country
DIRECTIONS = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?|(?:north|south|east|west)ern"
UNIT_KM = {"km": 1.0, "kms": 1.0, "kilometers": 1.0, "kilometres": 1.0, "kilometer": 1.0,
           "kilometre": 1.0, "miles": 1.609344, "mile": 1.609344, "mi": 1.609344}
RELATIVE_PATTERNS = (  # matched against the text just before a toponym, anchored at its end
    re.compile(rf"(?P<dist>\d+(?:[.,]\d+)?)[- ]?(?P<unit>{'|'.join(UNIT_KM)})\.?\s+(?:\([^)]{{0,25}}\)\s+)?"
               rf"(?:to the\s+)?(?P<dir>{DIRECTIONS})\s+of\s+(?:the\s+)?$", re.I),
    re.compile(rf"(?P<dist>\d+(?:[.,]\d+)?)[- ]?(?P<unit>{'|'.join(UNIT_KM)})\.?\s+"
               r"(?:from|outside)\s+(?:the\s+)?$", re.I),
    re.compile(rf"\b(?P<dir>{DIRECTIONS})\s+of\s+(?:the\s+)?$", re.I),
    re.compile(r"\b(?P<near>near|nearby|outside|around|close to|outskirts of|vicinity of|neighbouring"
               r"|neighboring|suburbs? of)\s+(?:the\s+)?(?:\w+\s+of\s+)?$", re.I),
)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A span to resolve: a place name (or demonym, already mapped to the name it stands for)."""

    start: int
    end: int
    text: str
    query: str  # the name looked up in the gazetteer
    is_demonym: bool = False
    relation: str | None = None


@dataclass
class PlaceResolver:
    """The gazetteer plus per-process caches of lookups and of the demonym table."""

    gazetteer: Gazetteer
    demonyms: dict[str, str]
    cache: dict[str, tuple[GazetteerEntry, ...]] = field(default_factory=dict)

    def candidates(self, name: str) -> tuple[GazetteerEntry, ...]:
        key = normalize_name(name) + ("!" if is_acronym(name) else "")
        if key not in self.cache:
            found = self.gazetteer.lookup(name)
            if is_acronym(name):  # "BA", "SA", "UN": only a curated short form, never a village "Ba"
                found = [e for e in found if e.geonames_id < 0 or e.feature_code in {"A.PCLI", "A.ADM1"}]
            self.cache[key] = tuple(found)
        return self.cache[key]

    def backoff(self, name: str) -> tuple[GazetteerEntry, ...]:
        """For a name not in the gazetteer, the longest capitalised part that is ("Arizona State
        University" → "Arizona", "Idlib province" → "Idlib")."""
        words = name.split()
        for size in range(len(words) - 1, 0, -1):
            for first in range(len(words) - size + 1):
                part = words[first:first + size]
                if not all(w[:1].isupper() for w in part) or normalize_name(part[-1]) in GENERIC_SUFFIXES:
                    continue
                found = tuple(e for e in self.candidates(" ".join(part))
                              if e.is_area or e.population >= BACKOFF_MIN_POPULATION)
                if found:
                    return found
        return ()


def is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace(" ", "")
    return len(letters) <= 4 and letters.isupper()


def load_demonyms() -> dict[str, str]:
    return {normalize_name(row[0]): row[1] for row in read_tsv("demonyms.tsv") if len(row) >= 2}


def make_resolver() -> PlaceResolver:
    opened = open_gazetteer()
    if not isinstance(opened, Gazetteer):
        raise StageError("places.v1", opened.reason)
    return PlaceResolver(opened, load_demonyms())


def place_resolver(ctx: Context | None) -> PlaceResolver:
    if ctx is None:
        return default_resolver()
    return ctx.resource("places.resolver", make_resolver)  # type: ignore[no-any-return]


_DEFAULT: list[PlaceResolver] = []


def default_resolver() -> PlaceResolver:
    if not _DEFAULT:
        _DEFAULT.append(make_resolver())
    return _DEFAULT[0]


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


def is_notable(entries: Sequence[GazetteerEntry]) -> bool:
    """A name safe to take as a place outside a GPE/LOC mention: an area or a big city."""
    return bool(entries) and (entries[0].is_area or entries[0].population >= NOTABLE_POPULATION)


def embedded_toponyms(resolver: PlaceResolver, start: int, text: str) -> list[Toponym]:
    """Places and demonyms inside an organisation's name ("Syrian" in "Syrian Democratic Forces",
    "Toronto" in "Toronto Police"); kept with relation "in name" so events do not take them as sites."""
    found: list[Toponym] = []
    words = list(re.finditer(r"[A-Z][\w'’.-]*", text))
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            chunk = words[index:index + size]
            if len(chunk) < size:
                continue
            first, last = chunk[0].start(), chunk[-1].end()
            surface = text[first:last]
            if size > 1 and " " not in surface.strip():
                continue
            target = demonym_target(resolver, surface)
            if target is not None or is_notable(resolver.candidates(surface)):
                query = demonym_query(resolver, target) if target else surface
                found.append(Toponym(start + first, start + last, surface, query, target is not None,
                                     "in name"))
                index += size - 1
                break
        index += 1
    return found


def whole_mention_place(resolver: PlaceResolver, mention: Mention) -> bool:
    """An ORG/PERSON mention that is itself a well-known place (NER calls "EU" or "Tamil Nadu" ORG/PERSON)."""
    entries = resolver.candidates(mention.text)
    if mention.label == "PERSON":
        return bool(entries) and entries[0].feature_code in PERSON_SAFE_FEATURES and \
            mention.entity_key == mention.text
    # An alternate name is not enough here: "The Sun" must not become Anshun.
    return is_notable(entries) and (entries[0].geonames_id < 0 or entries[0].feature_code == "A.PCLI"
                                    or normalize_name(entries[0].name) == normalize_name(mention.text))


def toponyms_from_mentions(analysis: ArticleAnalysis, resolver: PlaceResolver) -> list[Toponym]:
    found: list[Toponym] = []
    for mention in analysis.mentions:
        start, end = mention.evidence.start, mention.evidence.end
        target = demonym_target(resolver, mention.text)
        if target is not None and mention.label in TOPONYM_LABELS | {"NORP"}:
            found.append(Toponym(start, end, mention.text, demonym_query(resolver, target), True))
        elif mention.label in TOPONYM_LABELS:
            found.append(Toponym(start, end, mention.text, mention.text))
        elif mention.label == "NORP" and resolver.candidates(mention.text)[:1] and \
                resolver.candidates(mention.text)[0].is_area:
            found.append(Toponym(start, end, mention.text, mention.text, True))
        elif mention.label in {"ORG", "GROUP", "PERSON"} and whole_mention_place(resolver, mention):
            found.append(Toponym(start, end, mention.text, mention.text))
        elif mention.label in {"ORG", "GROUP"}:
            found.extend(embedded_toponyms(resolver, start, mention.text))
    return found


def merge_qualified(text: str, toponyms: list[Toponym], resolver: PlaceResolver) -> list[Toponym]:
    """"Washington, D.C." is one name when the gazetteer knows the pair ("Paris, Texas" stays two)."""
    merged: list[Toponym] = []
    for topo in toponyms:
        previous = merged[-1] if merged else None
        if previous is not None and text[previous.end:topo.start] == ", " and not previous.is_demonym:
            joint = text[previous.start:topo.end]
            if resolver.candidates(joint):
                merged[-1] = Toponym(previous.start, topo.end, joint, joint)
                continue
        merged.append(topo)
    return merged


def missed_toponyms(doc: Doc, taken: Sequence[tuple[int, int]], resolver: PlaceResolver) -> list[Toponym]:
    """Capitalised words NER missed that are unambiguous big places (countries, states, regions)."""
    found = []
    covered = {i for s, e in taken for i in range(s, e)}
    for token in doc:
        if not token.is_title or token.is_sent_start or token.idx in covered or len(token) < 4:
            continue
        if token.ent_type_ in {"PERSON", "ORG"}:
            continue
        target = demonym_target(resolver, token.text)
        if target is not None:
            found.append(Toponym(token.idx, token.idx + len(token), token.text,
                                 demonym_query(resolver, target), True))
            continue
        entries = resolver.candidates(token.text)
        if entries and entries[0].feature_code in {"A.PCLI", "A.ADM1"} and token.pos_ == "PROPN":
            found.append(Toponym(token.idx, token.idx + len(token), token.text, token.text))
    return found


def relation_before(text: str, start: int) -> tuple[str | None, float | None]:
    """("west of", 50.0) for "50 km west of X"; ("near", None) for "a village near X"."""
    window = text[max(0, start - 60):start]
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


# --- resolution ----------------------------------------------------------------------------------


def prior(entry: GazetteerEntry, query: str) -> float:
    base = math.log10(entry.population + 1)
    code = entry.feature_code
    base += FEATURE_PRIOR.get(code, NATURAL_PRIOR if code[0] in "HTL" else 0.0)
    if entry.geonames_id < 0 or normalize_name(entry.name) == normalize_name(query):
        base += PRIMARY_NAME_BONUS
    return base


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the other places of the article say: country shares, named admin areas, confident points."""

    country_share: dict[str, float]
    named: frozenset[str]
    anchors: tuple[tuple[float, float], ...]
    outlet_country: str | None = None


def article_context(choices: Sequence[tuple[Toponym, tuple[GazetteerEntry, ...]]],
                    outlet_country: str | None) -> ArticleContext:
    votes: Counter[str] = Counter()
    anchors = []
    for topo, entries in choices:
        if not entries:
            continue
        best = max(entries, key=lambda e: prior(e, topo.query))
        if best.country_code:
            votes[best.country_code] += 1
        if len({e.country_code for e in entries[:5]}) == 1 and best.feature_code.startswith("P"):
            anchors.append((best.latitude, best.longitude))
    total = sum(votes.values()) or 1.0
    # Admin areas named in the article, however spelled ("Fla." counts as Florida).
    named = frozenset(normalize_name(t.query) for t, _ in choices) | frozenset(
        normalize_name(entries[0].name) for _, entries in choices if entries and entries[0].is_area)
    return ArticleContext({cc: n / total for cc, n in votes.items()}, named, tuple(anchors), outlet_country)


def context_score(entry: GazetteerEntry, query: str, context: ArticleContext, own_vote: tuple[str, float],
                  names_an_area: bool = False) -> float:
    """Prior + context; ``names_an_area``: the name is a state/country's own name, so a town that shares
    it gets no bonus from the article naming that town's state ("Ontario" next to "California")."""
    score = prior(entry, query)
    if entry.country_code:
        # Leave this toponym's own vote out so a lone name cannot confirm itself.
        share = context.country_share.get(entry.country_code, 0.0)
        if entry.country_code == own_vote[0]:
            share = max(0.0, share - own_vote[1])
        score += SAME_COUNTRY_WEIGHT * share
    if entry.admin1 and entry.feature_code.startswith("P") and normalize_name(entry.admin1) in context.named \
            and normalize_name(entry.admin1) != normalize_name(query) and not names_an_area:
        score += ADMIN_MENTIONED_BONUS
    if entry.feature_code.startswith("P") and any(
            distance_km(entry.latitude, entry.longitude, lat, lon) < 300 for lat, lon in context.anchors):
        score += NEAR_OTHERS_BONUS
    if context.outlet_country and entry.country_code == context.outlet_country:
        score += OUTLET_COUNTRY_BONUS
    return score


def choose(topo: Toponym, entries: Sequence[GazetteerEntry], context: ArticleContext,
           own_share: float) -> GazetteerEntry | None:
    if not entries:
        return None
    own_country = max(entries, key=lambda e: prior(e, topo.query)).country_code or ""
    query = normalize_name(topo.query)
    names_an_area = any(e.feature_code in {"A.PCLI", "A.ADM1"} and normalize_name(e.name) == query
                        for e in entries)
    ranked = sorted(entries, key=lambda e: -context_score(e, topo.query, context, (own_country, own_share),
                                                          names_an_area))
    return ranked[0] if ranked else None


def fallback_entries(topo: Toponym, context: ArticleContext,
                     resolver: PlaceResolver) -> tuple[GazetteerEntry, ...]:
    """Misspellings: fuzzy match only within the article's main countries, for names of 5+ letters."""
    countries = [cc for cc, share in sorted(context.country_share.items(), key=lambda i: -i[1])[:2]
                 if share >= 0.3]
    if not countries or topo.is_demonym or not topo.text[:1].isupper():
        return ()
    return tuple(resolver.gazetteer.fuzzy(topo.query, countries)[:1])


def precision_of(entry: GazetteerEntry, topo: Toponym) -> GeoPrecision:
    if topo.relation and topo.relation != "in name":
        return GeoPrecision.NEAR
    return GeoPrecision.EXACT if entry.feature_code.startswith("P") else GeoPrecision.REGION


def place_ref(article_id: str, topo: Toponym, entry: GazetteerEntry | None,
              distance: float | None) -> PlaceRef:
    evidence = Evidence(article_id, topo.start, topo.end)
    if entry is None:
        return PlaceRef(evidence, topo.text, relation=topo.relation, distance_km=distance,
                        is_demonym=topo.is_demonym)
    return PlaceRef(evidence, topo.text, entry.name, entry.geonames_id, entry.latitude, entry.longitude,
                    entry.country_code, entry.admin1, entry.feature_code, precision_of(entry, topo),
                    topo.relation, distance, topo.is_demonym)


def resolve_toponyms(text: str, article_id: str, toponyms: Sequence[Toponym], resolver: PlaceResolver,
                     outlet_country: str | None = None) -> tuple[PlaceRef, ...]:
    """Resolve every toponym of one article together (each one's context is all the others)."""
    choices = [(t, resolver.candidates(t.query) or resolver.backoff(t.query)) for t in toponyms]
    context = article_context(choices, outlet_country)
    total = sum(1 for _, entries in choices if entries) or 1
    refs = []
    for topo, entries in choices:
        relation, distance = (topo.relation, None) if topo.relation else relation_before(text, topo.start)
        topo = replace(topo, relation=relation)
        own = 1.0 / total
        if not entries:
            entries = fallback_entries(topo, context, resolver)
            own = 0.0
        chosen = choose(topo, entries, context, own)
        if chosen is not None and is_stray(chosen, context):
            chosen = (fallback_entries(topo, context, resolver) or (chosen,))[0]
        refs.append(place_ref(article_id, topo, chosen, distance))
    return tuple(refs)


def is_stray(entry: GazetteerEntry, context: ArticleContext) -> bool:
    """A small place in a country nothing else in the article points to, while the article has a main
    country: likely a village of the main country that the gazetteer spells differently."""
    main_share = max(context.country_share.values(), default=0.0)
    return entry.feature_code.startswith("P") and entry.population < STRAY_MAX_POPULATION and \
        main_share >= 0.5 and context.country_share.get(entry.country_code or "", 0.0) < 0.1


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
    toponyms.sort(key=lambda t: t.start)
    article = analysis.article
    toponyms = merge_qualified(article.text, toponyms, resolver)
    refs = resolve_toponyms(article.text, article.id, toponyms, resolver, outlet_country_of(article.url))
    # A one-word "place" that no gazetteer entry (not even a fuzzy one) knows is mostly an NER slip on a
    # person or product name ("Buhari", "Wavepiston"): dropped. Longer unknown names are kept unresolved.
    return tuple(r for r in refs if r.geonames_id is not None or " " in r.text.strip() or r.is_demonym)
