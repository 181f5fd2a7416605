"""Resolution half of places.v1: gazetteer candidates of each toponym ranked by priors and article context.

Input: ``Toponym`` spans (name to look up, demonym flag, relation) of one article and the gazetteer; output:
one ``PlaceRef`` per toponym; names no gazetteer entry knows get the article's focus point (precision NEAR).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyline.errors import StageError
from storyline.nlp.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    normalize_name,
    open_gazetteer,
)
from storyline.nlp.gazetteer_sources import read_tsv
from storyline.nlp.place_context import (
    ArticleContext,
    Toponym,
    article_context,
    article_focus,
    best_by_prior,
    context_score,
    is_acronym,
    is_far_from_anchors,
    is_off_anchors,
    is_stray,
    placed_at_focus,
    prior,
    supported_short_forms,
    with_county_short_names,
)
from storyline.nlp.place_lists import with_list_kinds
from storyline.records import Evidence, GeoPrecision, PlaceRef

if TYPE_CHECKING:
    from storyline.pipeline import Context

# Words that make a span a description of a place, not part of its gazetteer name ("Idlib province").
GENERIC_SUFFIXES = (
    "province",
    "governorate",
    "city",
    "district",
    "region",
    "county",
    "state",
    "town",
    "village",
    "area",
    "countryside",
    "camp",
    "river",
    "desert",
    "mountains",
)
BACKOFF_MIN_POPULATION = 50_000  # a part of a longer name must be a big place ("Church" is a village)
DIRECTION_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "downtown",
        "old",
        "new",
    }
)
# Words that say what a facility is, not where: a name's part ending in one is no place to back off to.
FACILITY_WORDS = frozenset(
    {
        "metro",
        "station",
        "airport",
        "hospital",
        "church",
        "university",
        "college",
        "school",
        "mall",
        "prison",
        "court",
        "stadium",
        "hotel",
        "centre",
        "center",
        "street",
        "road",
        "avenue",
        "bridge",
        "embassy",
        "office",
        "square",
        "marina",
        "park",
        "plaza",
        "harbor",
        "harbour",
    }
)
BACKOFF_SKIPPED_WORDS = frozenset(GENERIC_SUFFIXES) | FACILITY_WORDS
# A country, continent or ocean inside a facility's name ("Mall of Asia", "Congo Square") says little about
# where it is (the "Council of Europe", no facility, is a European body, though).
FACILITY_FREE_CODES = frozenset({"A.PCLI", "L.CONT", "H.OCN"})
# Last words of local administrative units whose namesake town is usually elsewhere.
LOCAL_UNIT_WORDS = frozenset({"county", "township", "parish", "borough", "municipality", "city"})
MAX_CONTEXT_PASSES = 4
LINKING_WORDS = frozenset({"of", "and", "&"})  # lowercase words inside a name that join, not qualify
# Unit words that name the state they are in: in the US only Louisiana has parishes.
UNIT_STATES = {"parish": ("US", "Louisiana")}
_DEFAULT: list[PlaceResolver] = []


@dataclass
class PlaceResolver:
    """The gazetteer plus per-process caches of lookups and of the demonym table."""

    gazetteer: Gazetteer
    demonyms: dict[str, str]
    cache: dict[str, tuple[GazetteerEntry, ...]] = field(default_factory=dict)
    leading_cache: dict[str, GazetteerEntry | None] = field(default_factory=dict)

    def candidates(self, name: str) -> tuple[GazetteerEntry, ...]:
        key = _lookup_key(name)
        if key not in self.cache:
            found = self.gazetteer.lookup(name)
            if is_acronym(name):  # "BA", "SA", "UN": only a curated short form, never a village "Ba"
                found = [e for e in found if e.geonames_id < 0 or e.feature_code in {"A.PCLI", "A.ADM1"}]
            self.cache[key] = tuple(found)
        return self.cache[key]

    def leading(self, name: str) -> GazetteerEntry | None:
        """The reading a name has before any context: the best prior, not the most populous entry (the
        gazetteer lists a village "Texas" of 993 people before the state, which has no population)."""
        key = _lookup_key(name)
        if key not in self.leading_cache:
            entries = self.candidates(name)
            self.leading_cache[key] = max(entries, key=lambda e: prior(e, name)) if entries else None
        return self.leading_cache[key]

    def backoff(self, name: str) -> tuple[GazetteerEntry, ...]:
        """For a name not in the gazetteer, the longest capitalised part that is ("Arizona State
        University" → "Arizona", "Idlib province" → "Idlib")."""
        words = name.split()
        if words and normalize_name(words[-1]) in LOCAL_UNIT_WORDS:
            return ()  # "Montgomery County" is not the town of Montgomery: left to the article focus
        is_facility = any(normalize_name(w) in FACILITY_WORDS for w in words)
        particle = next((i for i, w in enumerate(words) if i and w.islower() and w not in LINKING_WORDS), None)
        if particle is not None:
            # "Ceamurlia de Jos", "Rio Grande do Sul": what follows a particle qualifies the name before
            # it; the town "Jos" is not a part of that name to back off to.
            words = words[:particle] + ["·"]  # a stop word: no part reaches past the particle
        for size in range(len(words) - 1, 0, -1):
            for first in range(len(words) - size + 1):
                part = words[first : first + size]
                if (
                    not all(w[:1].isupper() for w in part)
                    or normalize_name(part[-1]) in BACKOFF_SKIPPED_WORDS
                    or sum(c.isalpha() for c in "".join(part)) < 3
                ):
                    continue  # "Idlib province" → "Idlib"; "Vienna Metro" is not the town of Metro; "No."
                found = tuple(
                    e for e in self.candidates(" ".join(part)) if is_backoff_target(e, " ".join(part), is_facility)
                )
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


def is_backoff_target(entry: GazetteerEntry, part: str, in_facility_name: bool) -> bool:
    """An area, or a big town under its own main name ("Marina" is only an alternate name of a Moscow
    district); a facility named after a country or continent ("Congo Square", "Mall of Asia") is not there."""
    if in_facility_name and entry.feature_code in FACILITY_FREE_CODES:
        return False
    if entry.is_area:
        return True
    return entry.population >= BACKOFF_MIN_POPULATION and normalize_name(entry.name) == normalize_name(part)


def load_demonyms() -> dict[str, str]:
    return {normalize_name(row[0]): row[1] for row in read_tsv("demonyms.tsv") if len(row) >= 2}


def make_resolver() -> PlaceResolver:
    opened = open_gazetteer()
    if not isinstance(opened, Gazetteer):
        raise StageError("places.v1", opened.reason)
    return PlaceResolver(opened, load_demonyms())


def _lookup_key(name: str) -> str:
    """The resolver caches' key: the normalized name, apart for acronyms ("US" is not "us")."""
    return normalize_name(name) + ("!" if is_acronym(name) else "")


def place_resolver(ctx: Context | None) -> PlaceResolver:
    if ctx is None:
        return default_resolver()
    return ctx.resource("places.resolver", make_resolver)  # type: ignore[no-any-return]


def default_resolver() -> PlaceResolver:
    if not _DEFAULT:
        _DEFAULT.append(make_resolver())
    return _DEFAULT[0]


def choose(
    topo: Toponym, entries: Sequence[GazetteerEntry], context: ArticleContext, own_share: float
) -> GazetteerEntry | None:
    if not entries:
        return None
    own_country = max(entries, key=lambda e: prior(e, topo.query)).country_code or ""
    query = normalize_name(topo.query)
    names_an_area = any(e.feature_code in {"A.PCLI", "A.ADM1"} and normalize_name(e.name) == query for e in entries)
    homonym_states = frozenset(
        normalize_name(e.admin1)
        for e in entries
        if e.admin1 and e.feature_code.startswith("P") and e.population >= BACKOFF_MIN_POPULATION
    )
    rivals_a_country = any(e.feature_code == "A.PCLI" for e in entries)
    ranked = sorted(
        entries,
        key=lambda e: (
            -context_score(
                e, topo.query, context, (own_country, own_share), names_an_area, homonym_states, rivals_a_country
            )
        ),
    )
    return ranked[0] if ranked else None


def fallback_entries(topo: Toponym, context: ArticleContext, resolver: PlaceResolver) -> tuple[GazetteerEntry, ...]:
    """Misspellings: fuzzy match only within the article's main countries, for names of 5+ letters."""
    countries = [cc for cc, share in sorted(context.country_share.items(), key=lambda i: -i[1])[:2] if share >= 0.3]
    if not countries or topo.is_demonym or not topo.text[:1].isupper():
        return ()
    return tuple(resolver.gazetteer.fuzzy(topo.query, countries)[:1])


def precision_of(entry: GazetteerEntry, topo: Toponym) -> GeoPrecision:
    if topo.relation and topo.relation != "in name":
        return GeoPrecision.NEAR
    return GeoPrecision.EXACT if entry.feature_code.startswith("P") else GeoPrecision.REGION


def place_ref(
    article_id: str,
    topo: Toponym,
    entry: GazetteerEntry | None,
    distance: float | None,
    focus: GazetteerEntry | None = None,
) -> PlaceRef:
    evidence = Evidence(article_id, topo.start, topo.end)
    if entry is None and focus is not None and not topo.is_demonym:
        # Not in the gazetteer: placed at the article's focus, flagged NEAR, with no id or name of its own.
        return PlaceRef(
            evidence,
            topo.text,
            latitude=focus.latitude,
            longitude=focus.longitude,
            country_code=focus.country_code,
            admin1=focus.admin1,
            precision=GeoPrecision.NEAR,
            relation=topo.relation,
            distance_km=distance,
            is_demonym=topo.is_demonym,
        )
    if entry is None:
        return PlaceRef(evidence, topo.text, relation=topo.relation, distance_km=distance, is_demonym=topo.is_demonym)
    return PlaceRef(
        evidence,
        topo.text,
        entry.name,
        entry.geonames_id,
        entry.latitude,
        entry.longitude,
        entry.country_code,
        entry.admin1,
        entry.feature_code,
        precision_of(entry, topo),
        topo.relation,
        distance,
        topo.is_demonym,
    )


def resolve_choices(
    article_id: str,
    toponyms: Sequence[Toponym],
    distances: Sequence[float | None],
    resolver: PlaceResolver,
    outlet_country: str | None = None,
    text: str = "",
) -> tuple[PlaceRef, ...]:
    """Resolve every toponym of one article together: first against the context of the others'
    best-prior readings, then against their previous choices until stable (so "Parkland" read as the
    Florida town no longer votes for Washington state). Relations are already set on the toponyms."""
    candidates = [demonym_areas(t, resolver.candidates(t.query) or resolver.backoff(t.query)) for t in toponyms]
    toponyms = list(toponyms)
    hinted: set[int] = set()
    for index, (topo, entries) in enumerate(zip(toponyms, candidates, strict=True)):
        if not entries and (hint := resolver.unit_hint(topo.query)):
            toponyms[index] = replace(topo, relation=topo.relation or "part of")
            candidates[index] = hint
            hinted.add(index)
    first = article_context(
        [(t, c, best_by_prior(t, c)) for t, c in zip(toponyms, candidates, strict=True)], outlet_country
    )
    chosen = choose_all(toponyms, candidates, first, resolver)
    for _ in range(MAX_CONTEXT_PASSES - 1):  # a few rounds settle chains ("Parkland" → Florida → "Washington")
        context = article_context(list(zip(toponyms, candidates, chosen, strict=True)), outlet_country, first)
        again = choose_all(toponyms, candidates, context, resolver)
        if again == chosen:
            break
        chosen = again
    chosen = with_list_kinds(text, toponyms, candidates, chosen)
    chosen, focus = settle_with_focus(toponyms, with_county_short_names(toponyms, chosen), first, resolver, hinted)
    return tuple(
        place_ref(article_id, topo, entry, distance, focus)
        for topo, entry, distance in zip(toponyms, chosen, distances, strict=True)
    )


def settle_with_focus(
    toponyms: Sequence[Toponym],
    chosen: list[GazetteerEntry | None],
    first: ArticleContext,
    resolver: PlaceResolver,
    hinted: set[int],
) -> tuple[list[GazetteerEntry | None], GazetteerEntry | None]:
    """Drop towns taken from part of a name far from the article's other towns, find the article's focus
    (which such part-names do not vote for: "Jackson" of "Jackson Square"), and place what only the focus
    can place: counties known by their state, unknown parishes of the focus town's state."""
    backed = {
        i
        for i, topo in enumerate(toponyms)
        if i not in hinted
        and not resolver.candidates(topo.query)
        and normalize_name(topo.query).split()[0] not in DIRECTION_WORDS  # "North Dallas" is Dallas
    }
    chosen = [
        None if i in backed and entry is not None and is_off_anchors(entry, first, topo.query) else entry
        for i, (topo, entry) in enumerate(zip(toponyms, chosen, strict=True))
    ]
    focus = article_focus([(t, e) for i, (t, e) in enumerate(zip(toponyms, chosen, strict=True)) if i not in backed])
    chosen = [placed_at_focus(entry, focus) for entry in chosen]
    if focus is not None and focus.admin1:
        # "X Parish" in an article about a Louisiana town: that town is a closer guess than the state.
        chosen = [
            None if index in hinted and entry is not None and entry.name == focus.admin1 else entry
            for index, entry in enumerate(chosen)
        ]
    return chosen, focus


def demonym_areas(topo: Toponym, entries: tuple[GazetteerEntry, ...]) -> tuple[GazetteerEntry, ...]:
    """ "Arab" or "Asian" stands for a country or region, never for a town that happens to share its name."""
    if not topo.is_demonym:
        return entries
    return tuple(e for e in entries if e.is_area) or entries


def choose_all(
    toponyms: Sequence[Toponym],
    candidates: Sequence[tuple[GazetteerEntry, ...]],
    context: ArticleContext,
    resolver: PlaceResolver,
) -> list[GazetteerEntry | None]:
    chosen: list[GazetteerEntry | None] = []
    for topo, entries in zip(toponyms, candidates, strict=True):
        own = context.own_share(topo.query)
        if not entries:
            entries = fallback_entries(topo, context, resolver)
            own = 0.0
        pick = choose(topo, supported_short_forms(topo, entries, context), context, own)
        if pick is not None and is_stray(pick, context, topo.query):
            # A small namesake abroad is likelier an unknown local place: a near spelling in the main
            # country, else nothing (the article focus then stands in for it).
            nearby = [
                e
                for e in fallback_entries(topo, context, resolver)
                if e.geonames_id != pick.geonames_id
                and not is_stray(e, context, topo.query)
                and not is_far_from_anchors(e, context, topo.query)
            ]
            pick = nearby[0] if nearby else None
        chosen.append(pick)
    return chosen
