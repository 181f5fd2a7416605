"""Article context for place resolution: priors, what the other places of one article say about a
toponym (country shares, named states, confident anchor towns), and the article's focus.

Input: every toponym of the article with its gazetteer candidates and a current pick; output: an
``ArticleContext`` and scores/flags the resolver (place_resolution) ranks and filters candidates with.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from storyline.nlp.gazetteer import GazetteerEntry, normalize_name, within_km

# Prior per feature code, added to log10(population): an ambiguous country name is the country, a US
# state name the state, before any city of the same name.
FEATURE_PRIOR = {"A.PCLI": 4.0, "L.CONT": 5.0, "A.ADM1": 6.5, "A.ADM2": 6.0, "L.RGN": 5.5, "P.PPLC": 1.0, "P.PPLX": 5.0}
NATURAL_PRIOR = 8.0  # rivers, deserts, seas, mountains of the curated table (no population)
CURATED_BONUS = 1.5  # a curated alias ("Atlantic", "EU") is as strong as a main name
PRIMARY_NAME_BONUS = 1.5  # the span is the entry's main name, not one of its many alternate names
SAME_COUNTRY_WEIGHT = 4.0  # × share of the article's other places in the candidate's country
ADMIN_MENTIONED_BONUS = 3.0  # "Paris, Texas": the candidate's state/region is named in the article
CONTAINS_OTHERS_BONUS = 3.0  # a state/county that contains another town the article names
CONTAINER_CODES = frozenset({"A.ADM1", "A.ADM2"})
SIBLING_STATE_BONUS = 1.0  # per other state/province of the same country the article names …
MAX_SIBLING_STATES = 3  # … counting at most this many
COUNTY_WORDS = frozenset({"county", "parish", "borough"})
COUNTY_STATE_BONUS = 2.0  # a county in the state of another town the article names
NEAR_OTHERS_BONUS = 1.5  # within NEAR_OTHERS_KM of another confidently resolved place
NEAR_OTHERS_KM = 300.0
STRAY_MAX_POPULATION = 20_000
STRAY_MAIN_SHARE = 0.35  # the article has a main country …
STRAY_OWN_COUNTRY_SHARE = 0.15  # … and the small town's country is barely named besides it
DOMINATED_MAX_POPULATION = 100_000  # a town abroad this small …
DOMINANT_SHARE = 0.5  # … when half the article's other places point to one other country, and none to its own
FAR_FROM_ANCHORS_KM = 800.0  # a small town this far from every confidently placed town of the article
CONFIDENT_MARGIN = 2.0  # prior lead over every namesake (100× the population) that makes a town an anchor
OUTLET_COUNTRY_BONUS = 0.5  # weak prior: the outlet's own country
PART_NAME_NEAR_KM = 150.0  # a town from part of a longer name must lie this near a confident town, if any
COUNTRY_NAME_VOTE = 0.5  # "U.S. sanctions" says less about where a town is than another town does
FOCUS_TOWN_CODES = frozenset({"P.PPL", "P.PPLC", "P.PPLX"})
FOCUS_AREA_CODES = frozenset({"A.ADM1", "A.ADM2"})
FOCUS_NEIGHBOUR_KM = 300.0  # ties between equally named towns go to the one with most places this near


@dataclass(frozen=True, slots=True)
class Toponym:
    """A span to resolve: a place name (or demonym, already mapped to the name it stands for)."""

    start: int
    end: int
    text: str
    query: str  # the name looked up in the gazetteer
    is_demonym: bool = False
    relation: str | None = None


def is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace(" ", "")
    return len(letters) <= 4 and letters.isupper()


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
    anchors: tuple[tuple[float, float, str, str], ...]  # (lat, lon, name that placed it, country)
    outlet_country: str | None = None
    # (state, name) of every town the article names whose state is known: "Seattle" → ("washington", "seattle")
    towns_in: frozenset[tuple[str, str]] = frozenset()
    vote_total: float = 1.0
    # Toponyms per normalized name: a name repeated five times must not vote five times for itself.
    name_votes: dict[str, dict[str, float]] = field(default_factory=dict)  # name → country → its votes
    countries_named: frozenset[str] = frozenset()  # "Visbek" is no stray in a story that names Germany
    states_named: frozenset[tuple[str, str]] = frozenset()  # (country, state): "Florida", "Nevada" → US

    def own_share(self, query: str) -> float:
        return sum(self.name_votes.get(normalize_name(query), {}).values()) / self.vote_total

    def shares_apart_from(self, query: str) -> dict[str, float]:
        """Country shares among the article's other names only."""
        own = self.name_votes.get(normalize_name(query), {})
        rest = self.vote_total - sum(own.values())
        if rest <= 0:
            return {}
        return {cc: (share * self.vote_total - own.get(cc, 0.0)) / rest for cc, share in self.country_share.items()}

    def anchors_apart_from(self, query: str, country: str | None = None) -> list[tuple[float, float]]:
        own = normalize_name(query)
        return [(lat, lon) for lat, lon, name, cc in self.anchors if name != own and (country is None or cc == country)]


Pick = tuple[Toponym, tuple[GazetteerEntry, ...], GazetteerEntry | None]


def best_by_prior(topo: Toponym, entries: Sequence[GazetteerEntry]) -> GazetteerEntry | None:
    return max(entries, key=lambda e: prior(e, topo.query)) if entries else None


def is_confident(topo: Toponym, entries: Sequence[GazetteerEntry], pick: GazetteerEntry) -> bool:
    """A town whose reading hardly depends on context: its namesakes share its country, or are far
    smaller ("Toronto" beside Toronto, Ohio)."""
    if len({e.country_code for e in entries[:5]}) == 1:
        return True
    others = [prior(e, topo.query) for e in entries if e is not pick]
    return prior(pick, topo.query) - max(others, default=0.0) >= CONFIDENT_MARGIN


def country_votes(picks: Sequence[Pick]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Votes per country of every pick, and the same split by the name that cast them."""
    votes: dict[str, float] = {}
    name_votes: dict[str, dict[str, float]] = {}
    for topo, _, pick in picks:
        if pick is None or not pick.country_code:
            continue
        weight = COUNTRY_NAME_VOTE if pick.feature_code == "A.PCLI" else 1.0
        votes[pick.country_code] = votes.get(pick.country_code, 0.0) + weight
        own = name_votes.setdefault(normalize_name(topo.query), {})
        own[pick.country_code] = own.get(pick.country_code, 0.0) + weight
    return votes, name_votes


def named_areas(picks: Sequence[Pick]) -> frozenset[str]:
    """Admin areas the article names, however spelled ("Fla." counts as Florida): only names that stand
    for an area here ("Washington" read as the capital does not name the state); a county whose name is
    unique names its state too ("Rapides Parish" → Louisiana)."""
    areas = [(topo, pick) for topo, _, pick in picks if pick is not None and pick.is_area]
    states_of_counties = frozenset(
        normalize_name(p.admin1)
        for _, entries, p in picks
        if p is not None and p.admin1 and p.feature_code == "A.ADM2" and all(e.admin1 == p.admin1 for e in entries)
    )
    return (
        frozenset(normalize_name(t.query) for t, _ in areas)
        | frozenset(normalize_name(p.name) for _, p in areas)
        | states_of_counties
    )


def article_context(
    picks: Sequence[Pick], outlet_country: str | None, first: ArticleContext | None = None
) -> ArticleContext:
    """Context from one pick per toponym (first its best prior, then its previous choice). Named areas,
    states and anchor points stay those of the first (context-free) pass: otherwise a town and a state
    could keep voting for each other ("Parkland" for Washington state, Washington state for "Parkland")."""
    votes, name_votes = country_votes(picks)
    total = sum(votes.values()) or 1.0
    shares = {cc: n / total for cc, n in votes.items()}
    placed = [(t, p) for t, _, p in picks if p is not None]
    towns_in = frozenset(
        (normalize_name(p.admin1), normalize_name(t.query)) for t, p in placed if p.admin1 and p.feature_code[0] == "P"
    )
    countries = frozenset(p.country_code for _, p in placed if p.feature_code == "A.PCLI" and p.country_code)
    if first is not None:
        named, anchors, states = first.named, first.anchors, first.states_named
    else:
        named = named_areas(picks)
        anchors = tuple(
            dict.fromkeys(  # one anchor per place and name, however often it is named
                (p.latitude, p.longitude, normalize_name(t.query), p.country_code or "")
                for t, entries, p in picks
                if p is not None and p.feature_code.startswith("P") and is_confident(t, entries, p)
            )
        )
        states = frozenset((p.country_code or "", normalize_name(p.name)) for _, p in placed if p.is_state)
    return ArticleContext(shares, named, anchors, outlet_country, towns_in, total, name_votes, countries, states)


def context_score(
    entry: GazetteerEntry,
    query: str,
    context: ArticleContext,
    own_vote: tuple[str, float],
    names_an_area: bool = False,
    homonym_states: frozenset[str] = frozenset(),
    rivals_a_country: bool = False,
) -> float:
    """Prior + context; ``names_an_area``: the name is a state/country's own name, so a town that shares
    it gets no bonus from the article naming that town's state ("Ontario" next to "California");
    ``homonym_states``: states holding a big town of this very name, whose other towns then say nothing
    about state vs town ("New York" beside "Yonkers"); ``rivals_a_country``: the name is also a country's,
    so the other states the article names decide between them ("Georgia" beside "Florida")."""
    score = prior(entry, query)
    if entry.country_code:
        # Leave this toponym's own vote out so a lone name cannot confirm itself.
        share = context.country_share.get(entry.country_code, 0.0)
        if entry.country_code == own_vote[0]:
            share = max(0.0, share - own_vote[1])
        score += SAME_COUNTRY_WEIGHT * share
    if entry.admin1 and not names_an_area and (entry.feature_code[0] == "P" or entry.feature_code == "A.ADM2"):
        admin = normalize_name(entry.admin1)
        if admin in context.named and admin != normalize_name(query):
            score += ADMIN_MENTIONED_BONUS
    score += area_support(entry, normalize_name(query), context, homonym_states, rivals_a_country)
    if entry.feature_code.startswith("P") and any(
        within_km(entry.latitude, entry.longitude, lat, lon, NEAR_OTHERS_KM)
        for lat, lon in context.anchors_apart_from(query)
    ):
        score += NEAR_OTHERS_BONUS
    if context.outlet_country and entry.country_code == context.outlet_country:
        score += OUTLET_COUNTRY_BONUS
    return score


def area_support(
    entry: GazetteerEntry, query: str, context: ArticleContext, homonym_states: frozenset[str], rivals_a_country: bool
) -> float:
    """What the article's other towns and states say for a state or county reading."""
    support = 0.0
    name = normalize_name(entry.name)
    other_towns_states = {state for state, town in context.towns_in if town != query}
    if entry.feature_code in CONTAINER_CODES and name not in homonym_states and name in other_towns_states:
        support += CONTAINS_OTHERS_BONUS  # "Washington" beside "Seattle" and "Spokane" is the state
    if entry.feature_code == "A.ADM1" and rivals_a_country:
        siblings = sum(1 for cc, state in context.states_named if cc == entry.country_code and state != name)
        support += SIBLING_STATE_BONUS * min(siblings, MAX_SIBLING_STATES)  # "Georgia" among "Florida", "Nevada"
    if entry.feature_code == "A.ADM2" and entry.admin1 and normalize_name(entry.admin1) in other_towns_states:
        support += COUNTY_STATE_BONUS  # "Suffolk County" beside "Southold" is New York's
    return support


def is_off_anchors(entry: GazetteerEntry, context: ArticleContext, query: str) -> bool:
    """A town taken from part of a longer name that lies far from every confidently placed town of the
    article: "Vienna Metro" in a Virginia story is not in Austria, "Jackson Square" in a New Orleans one
    not in Jackson, Mississippi."""
    anchors = context.anchors_apart_from(query)
    return (
        entry.feature_code.startswith("P")
        and bool(anchors)
        and not any(within_km(entry.latitude, entry.longitude, lat, lon, PART_NAME_NEAR_KM) for lat, lon in anchors)
    )


def with_county_short_names(
    toponyms: Sequence[Toponym], chosen: list[GazetteerEntry | None]
) -> list[GazetteerEntry | None]:
    """Once an article names "Suffolk County", its bare "Suffolk" is that county (not Suffolk, Virginia)."""
    counties: dict[str, GazetteerEntry] = {}
    for entry in chosen:
        words = normalize_name(entry.name).split() if entry is not None else []
        if entry is not None and entry.feature_code == "A.ADM2" and len(words) > 1 and words[-1] in COUNTY_WORDS:
            counties.setdefault(" ".join(words[:-1]), entry)
    if not counties:
        return chosen
    return [counties.get(normalize_name(t.query), entry) for t, entry in zip(toponyms, chosen, strict=True)]


def placed_at_focus(entry: GazetteerEntry | None, focus: GazetteerEntry | None) -> GazetteerEntry | None:
    """A county known only by its state takes the point of the article's town in that state."""
    if (
        entry is None
        or not entry.approximate
        or focus is None
        or not focus.feature_code.startswith("P")
        or focus.admin1 != entry.admin1
        or focus.country_code != entry.country_code
    ):
        return entry
    return replace(entry, latitude=focus.latitude, longitude=focus.longitude)


def supported_short_forms(
    topo: Toponym, entries: Sequence[GazetteerEntry], context: ArticleContext
) -> Sequence[GazetteerEntry]:
    """An acronym leans on shared context: "SA" beside Adelaide is South Australia, beside Pretoria South
    Africa. Its readings in a country the article's other places point to come first."""
    if len(entries) < 2 or not is_acronym(topo.text):
        return entries
    shares = context.shares_apart_from(topo.query)
    supported = [e for e in entries if shares.get(e.country_code or "", 0.0) > 0.0]
    return supported or entries


def article_focus(resolved: Sequence[tuple[Toponym, GazetteerEntry | None]]) -> GazetteerEntry | None:
    """The place the article is about: its most often named town (else its most often named state or
    county), ties going to the one with most of the article's other places nearby. An unknown local name
    ("a church", "the township of X") is most likely there or close by."""
    placed = [e for t, e in resolved if e is not None and not t.is_demonym]
    for kinds in (FOCUS_TOWN_CODES, FOCUS_AREA_CODES):
        counts: Counter[int] = Counter()
        first: dict[int, GazetteerEntry] = {}
        for topo, entry in resolved:
            if entry is None or topo.is_demonym or topo.relation == "in name" or entry.feature_code not in kinds:
                continue
            counts[entry.geonames_id] += 1
            first.setdefault(entry.geonames_id, entry)
        if counts:
            ranked = {place_id: (n, neighbours(first[place_id], placed)) for place_id, n in counts.items()}
            return first[max(ranked, key=lambda place_id: ranked[place_id])]
    return None


def neighbours(entry: GazetteerEntry, placed: Sequence[GazetteerEntry]) -> int:
    return sum(
        1
        for other in placed
        if other.geonames_id != entry.geonames_id
        and within_km(entry.latitude, entry.longitude, other.latitude, other.longitude, FOCUS_NEIGHBOUR_KM)
    )


def is_stray(entry: GazetteerEntry, context: ArticleContext, query: str) -> bool:
    """A small place the rest of the article does not support (its own mentions left out): likely a local
    place the gazetteer lacks or spells differently ("Delft" in a Cape Town story, "Washington Square" in
    a New Orleans one). Capitals only fall to the first test."""
    if not entry.feature_code.startswith("P"):
        return False
    shares = context.shares_apart_from(query)
    share = shares.get(entry.country_code or "", 0.0)
    main_share = max(shares.values(), default=0.0)
    if entry.country_code in context.countries_named:
        return entry.population < STRAY_MAX_POPULATION and is_far_from_anchors(entry, context, query)
    if entry.population < STRAY_MAX_POPULATION and main_share >= STRAY_MAIN_SHARE and share < STRAY_OWN_COUNTRY_SHARE:
        return True
    if entry.feature_code == "P.PPLC":
        return False
    elsewhere = max((v for cc, v in shares.items() if cc != entry.country_code), default=0.0)
    if entry.population < DOMINATED_MAX_POPULATION and elsewhere >= DOMINANT_SHARE and share < 1e-9:
        return True  # a mid-sized town abroad in an article whose other places all point to one country
    return entry.population < STRAY_MAX_POPULATION and is_far_from_anchors(entry, context, query)


def is_far_from_anchors(entry: GazetteerEntry, context: ArticleContext, query: str) -> bool:
    """Far from every confidently placed town of the article in its own country (there must be one),
    in a state the article does not name: "Washington Square, Pennsylvania" in a New Orleans story."""
    anchors = context.anchors_apart_from(query, entry.country_code or "")
    if not anchors or (entry.admin1 and normalize_name(entry.admin1) in context.named):
        return False
    return not any(within_km(entry.latitude, entry.longitude, lat, lon, FAR_FROM_ANCHORS_KM) for lat, lon in anchors)
