"""Resolution half of places.v1: gazetteer candidates of each toponym ranked by priors and article context.

Input: ``Toponym`` spans (name to look up, demonym flag, relation) of one article and the gazetteer; output:
one ``PlaceRef`` per toponym; names no gazetteer entry knows get the article's focus point (precision NEAR).
"""

from __future__ import annotations

import math
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
from storyline.records import Evidence, GeoPrecision, PlaceRef

if TYPE_CHECKING:
    from storyline.pipeline import Context

# Words that make a span a description of a place, not part of its gazetteer name ("Idlib province").
GENERIC_SUFFIXES = ("province", "governorate", "city", "district", "region", "county", "state", "town",
                    "village", "area", "countryside", "camp", "river", "desert", "mountains")
# Prior per feature code, added to log10(population): an ambiguous country name is the country, a US
# state name the state, before any city of the same name.
FEATURE_PRIOR = {"A.PCLI": 4.0, "L.CONT": 5.0, "A.ADM1": 6.5, "A.ADM2": 6.0, "L.RGN": 5.5, "P.PPLC": 1.0,
                 "P.PPLX": 5.0}
NATURAL_PRIOR = 8.0  # rivers, deserts, seas, mountains of the curated table (no population)
CURATED_BONUS = 1.5  # a curated alias ("Atlantic", "EU") is as strong as a main name
PRIMARY_NAME_BONUS = 1.5  # the span is the entry's main name, not one of its many alternate names
SAME_COUNTRY_WEIGHT = 4.0  # × share of the article's other places in the candidate's country
ADMIN_MENTIONED_BONUS = 3.0  # "Paris, Texas": the candidate's state/region is named in the article
CONTAINS_OTHERS_BONUS = 3.0  # a state/county that contains another town the article names
CONTAINER_CODES = frozenset({"A.ADM1", "A.ADM2"})
NEAR_OTHERS_BONUS = 1.5  # within 300 km of another confidently resolved place
STRAY_MAX_POPULATION = 20_000
STRAY_MAIN_SHARE = 0.35  # the article has a main country …
STRAY_OWN_COUNTRY_SHARE = 0.15  # … and the small town's country is barely named besides it
OUTLET_COUNTRY_BONUS = 0.5  # weak prior: the outlet's own country
BACKOFF_MIN_POPULATION = 50_000  # a part of a longer name must be a big place ("Church" is a village)
# Last words of local administrative units whose namesake town is usually elsewhere.
LOCAL_UNIT_WORDS = frozenset({"county", "township", "parish", "borough", "municipality", "city"})
MAX_CONTEXT_PASSES = 4
COUNTRY_NAME_VOTE = 0.5  # "U.S. sanctions" says less about where a town is than another town does
# Unit words that name the state they are in: in the US only Louisiana has parishes.
UNIT_STATES = {"parish": ("US", "Louisiana")}
FOCUS_TOWN_CODES = frozenset({"P.PPL", "P.PPLC", "P.PPLX"})
FOCUS_AREA_CODES = frozenset({"A.ADM1", "A.ADM2"})


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
        if words and normalize_name(words[-1]) in LOCAL_UNIT_WORDS:
            return ()  # "Montgomery County" is not the town of Montgomery: left to the article focus
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


    def unit_hint(self, name: str) -> tuple[GazetteerEntry, ...]:
        """The state an unknown "X Parish" must lie in (see UNIT_STATES)."""
        words = name.split()
        hint = UNIT_STATES.get(normalize_name(words[-1])) if len(words) > 1 else None
        if hint is None:
            return ()
        return tuple(e for e in self.candidates(hint[1]) if e.country_code == hint[0] and e.is_area)[:1]


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
    # (state, name) of every town the article names whose state is known: "Seattle" → ("washington", "seattle")
    towns_in: frozenset[tuple[str, str]] = frozenset()


Pick = tuple[Toponym, tuple[GazetteerEntry, ...], GazetteerEntry | None]


def best_by_prior(topo: Toponym, entries: Sequence[GazetteerEntry]) -> GazetteerEntry | None:
    return max(entries, key=lambda e: prior(e, topo.query)) if entries else None


def article_context(picks: Sequence[Pick], outlet_country: str | None,
                    first: ArticleContext | None = None) -> ArticleContext:
    """Context from one pick per toponym (first its best prior, then its previous choice). Named areas and
    anchor points stay those of the first (context-free) pass: otherwise a town and a state could keep
    voting for each other ("Parkland" for Washington state, Washington state for "Parkland")."""
    votes: dict[str, float] = {}
    points = []
    for _topo, entries, pick in picks:
        if pick is None:
            continue
        if pick.country_code:
            weight = COUNTRY_NAME_VOTE if pick.feature_code == "A.PCLI" else 1.0
            votes[pick.country_code] = votes.get(pick.country_code, 0.0) + weight
        if len({e.country_code for e in entries[:5]}) == 1 and pick.feature_code.startswith("P"):
            points.append((pick.latitude, pick.longitude))
    total = sum(votes.values()) or 1.0
    # Admin areas the article names, however spelled ("Fla." counts as Florida): only names that stand
    # for an area here ("Washington" read as the capital does not name the state).
    areas = [(topo, pick) for topo, _, pick in picks if pick is not None and pick.is_area]
    named = frozenset(normalize_name(t.query) for t, _ in areas) | frozenset(
        normalize_name(p.name) for _, p in areas)
    towns_in = frozenset((normalize_name(p.admin1), normalize_name(t.query)) for t, _, p in picks
                         if p is not None and p.admin1 and p.feature_code.startswith("P"))
    if first is not None:
        return ArticleContext({cc: n / total for cc, n in votes.items()}, first.named, first.anchors,
                              outlet_country, towns_in)
    return ArticleContext({cc: n / total for cc, n in votes.items()}, named, tuple(points), outlet_country,
                          towns_in)


def context_score(entry: GazetteerEntry, query: str, context: ArticleContext, own_vote: tuple[str, float],
                  names_an_area: bool = False, homonym_states: frozenset[str] = frozenset()) -> float:
    """Prior + context; ``names_an_area``: the name is a state/country's own name, so a town that shares
    it gets no bonus from the article naming that town's state ("Ontario" next to "California");
    ``homonym_states``: states holding a big town of this very name, whose other towns then say nothing
    about state vs town ("New York" beside "Yonkers")."""
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
    if entry.feature_code in CONTAINER_CODES and normalize_name(entry.name) not in homonym_states and any(
            state == normalize_name(entry.name) and town != normalize_name(query) for state, town in context.towns_in):
        score += CONTAINS_OTHERS_BONUS  # "Washington" beside "Seattle" and "Spokane" is the state
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
    homonym_states = frozenset(normalize_name(e.admin1) for e in entries if e.admin1 and
                               e.feature_code.startswith("P") and e.population >= BACKOFF_MIN_POPULATION)
    ranked = sorted(entries, key=lambda e: -context_score(e, topo.query, context, (own_country, own_share),
                                                          names_an_area, homonym_states))
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


def place_ref(article_id: str, topo: Toponym, entry: GazetteerEntry | None, distance: float | None,
              focus: GazetteerEntry | None = None) -> PlaceRef:
    evidence = Evidence(article_id, topo.start, topo.end)
    if entry is None and focus is not None and not topo.is_demonym:
        # Not in the gazetteer: placed at the article's focus, flagged NEAR, with no id or name of its own.
        return PlaceRef(evidence, topo.text, latitude=focus.latitude, longitude=focus.longitude,
                        country_code=focus.country_code, admin1=focus.admin1, precision=GeoPrecision.NEAR,
                        relation=topo.relation, distance_km=distance, is_demonym=topo.is_demonym)
    if entry is None:
        return PlaceRef(evidence, topo.text, relation=topo.relation, distance_km=distance,
                        is_demonym=topo.is_demonym)
    return PlaceRef(evidence, topo.text, entry.name, entry.geonames_id, entry.latitude, entry.longitude,
                    entry.country_code, entry.admin1, entry.feature_code, precision_of(entry, topo),
                    topo.relation, distance, topo.is_demonym)


def resolve_choices(article_id: str, toponyms: Sequence[Toponym], distances: Sequence[float | None],
                    resolver: PlaceResolver, outlet_country: str | None = None) -> tuple[PlaceRef, ...]:
    """Resolve every toponym of one article together: first against the context of the others'
    best-prior readings, then against their previous choices until stable (so "Parkland" read as the
    Florida town no longer votes for Washington state). Relations are already set on the toponyms."""
    candidates = [demonym_areas(t, resolver.candidates(t.query) or resolver.backoff(t.query))
                  for t in toponyms]
    toponyms = list(toponyms)
    hinted: set[int] = set()
    for index, (topo, entries) in enumerate(zip(toponyms, candidates, strict=True)):
        if not entries and (hint := resolver.unit_hint(topo.query)):
            toponyms[index] = replace(topo, relation=topo.relation or "part of")
            candidates[index] = hint
            hinted.add(index)
    first = article_context([(t, c, best_by_prior(t, c)) for t, c in zip(toponyms, candidates, strict=True)],
                            outlet_country)
    chosen = choose_all(toponyms, candidates, first, resolver)
    for _ in range(MAX_CONTEXT_PASSES - 1):  # a few rounds settle chains ("Parkland" → Florida → "Washington")
        context = article_context(list(zip(toponyms, candidates, chosen, strict=True)), outlet_country, first)
        again = choose_all(toponyms, candidates, context, resolver)
        if again == chosen:
            break
        chosen = again
    focus = article_focus(list(zip(toponyms, chosen, strict=True)))
    if focus is not None and focus.admin1:
        # "X Parish" in an article about a Louisiana town: that town is a closer guess than the state.
        chosen = [None if index in hinted and entry is not None and entry.name == focus.admin1 else entry
                  for index, entry in enumerate(chosen)]
    return tuple(place_ref(article_id, topo, entry, distance, focus)
                 for topo, entry, distance in zip(toponyms, chosen, distances, strict=True))


def demonym_areas(topo: Toponym, entries: tuple[GazetteerEntry, ...]) -> tuple[GazetteerEntry, ...]:
    """"Arab" or "Asian" stands for a country or region, never for a town that happens to share its name."""
    if not topo.is_demonym:
        return entries
    return tuple(e for e in entries if e.is_area) or entries


def choose_all(toponyms: Sequence[Toponym], candidates: Sequence[tuple[GazetteerEntry, ...]],
               context: ArticleContext, resolver: PlaceResolver) -> list[GazetteerEntry | None]:
    total = sum(1 for entries in candidates if entries) or 1
    chosen: list[GazetteerEntry | None] = []
    for topo, entries in zip(toponyms, candidates, strict=True):
        own = 1.0 / total
        if not entries:
            entries = fallback_entries(topo, context, resolver)
            own = 0.0
        pick = choose(topo, entries, context, own)
        if pick is not None and is_stray(pick, context, own):
            # A small namesake abroad is likelier an unknown local place: a near spelling in the main
            # country, else nothing (the article focus then stands in for it).
            pick = (fallback_entries(topo, context, resolver) or (None,))[0]
        chosen.append(pick)
    return chosen


def article_focus(resolved: Sequence[tuple[Toponym, GazetteerEntry | None]]) -> GazetteerEntry | None:
    """The place the article is about: its most often named town (else its most often named state or
    county). An unknown local name ("a church", "the township of X") is most likely there or close by."""
    for kinds in (FOCUS_TOWN_CODES, FOCUS_AREA_CODES):
        counts: Counter[int] = Counter()
        first: dict[int, GazetteerEntry] = {}
        for topo, entry in resolved:
            if entry is None or topo.is_demonym or topo.relation == "in name" or entry.feature_code not in kinds:
                continue
            counts[entry.geonames_id] += 1
            first.setdefault(entry.geonames_id, entry)
        if counts:
            return first[counts.most_common(1)[0][0]]
    return None


def is_stray(entry: GazetteerEntry, context: ArticleContext, own_share: float) -> bool:
    """A small place in a country little else in the article points to (its own vote left out), while
    the article has a main country: likely a local place the gazetteer lacks or spells differently."""
    main_share = max(context.country_share.values(), default=0.0)
    share = max(0.0, context.country_share.get(entry.country_code or "", 0.0) - own_share)
    return entry.feature_code.startswith("P") and entry.population < STRAY_MAX_POPULATION and \
        main_share >= STRAY_MAIN_SHARE and share < STRAY_OWN_COUNTRY_SHARE

