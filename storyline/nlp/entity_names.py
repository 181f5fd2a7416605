"""Names of actors: the alias table and the normalized forms entity keys compare.

Input: surface strings of mentions and storyline/data/aliases.tsv (plus an optional user table); output:
folded/casefolded alias forms, accent-free name parts, acronym tests and label families, shared by the
within-article stage (entities.v1) and the cross-document resolution (crossdoc/entities.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storyline.errors import ConfigError

ALIAS_TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "aliases.tsv"
# Lowercase transliteration particles that belong to a name ("al-Baghdadi", "Deir ez-Zor").
NAME_PARTICLES = frozenset(
    "al el ez ed es as ash ad ar an at az ul bin ibn bint abu abd ben de du da di del la le van von".split()
)
# NER label groups whose members an entity key may absorb (NER confuses PERSON/ORG on Arabic names).
LABEL_FAMILY = dict(PERSON="agent", ORG="org", GROUP="org", GPE="place", LOC="place", FAC="place")
ORG_HEAD_WORDS = frozenset(
    "ministry forces force army council agency department office committee university party front "
    "brigade brigades battalion units unit coalition observatory group organization organisation "
    "government police command corps network movement association union court bureau service "
    "services agency institute commission authority administration alliance ministry".split()
)
PUNCTUATION_FOLD = str.maketrans("’‘ʼ`´“”–—‐‑", "'''''\"\"----")  # curly quotes, dashes → ASCII
POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One known actor: its canonical name, label and the surface forms that denote it."""

    canonical: str
    label: str
    aliases: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Alias entries indexed by normalized surface form."""

    entries: tuple[AliasEntry, ...]
    by_form: dict[str, AliasEntry]

    def lookup(self, surface: str) -> AliasEntry | None:
        return self.by_form.get(alias_form(surface))


def fold_text(text: str) -> str:
    """Unify curly quotes and dashes so "Sha’afa" and "Sha'afa" compare equal."""
    return text.translate(PUNCTUATION_FOLD)


@lru_cache(maxsize=65536)
def alias_form(surface: str) -> str:
    """Key for alias lookups: folded, casefolded, without dots, leading "the" and possessive."""
    form = POSSESSIVE.sub("", fold_text(surface).strip()).replace(".", "").casefold()
    form = re.sub(r"^the\s+", "", form)
    return re.sub(r"\s+", " ", form).strip()


@lru_cache(maxsize=65536)
def name_tokens(surface: str) -> tuple[str, ...]:
    """Casefolded name parts, split on spaces and hyphens, accents removed ("Sêrgo" → "sergo")."""
    plain = unicodedata.normalize("NFKD", alias_form(surface))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return tuple(t for t in re.split(r"[\s\-']+", plain) if t)


def read_alias_rows(path: Path) -> list[AliasEntry]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"alias table {path} cannot be read: {exc}") from exc
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#") or line.startswith("canonical\t"):
            continue
        cells = line.split("\t")
        if len(cells) < 3:
            raise ConfigError(f"{path}:{number}: expected canonical<TAB>label<TAB>aliases[<TAB>note]")
        aliases = tuple(a.strip() for a in cells[2].split("|") if a.strip())
        entries.append(
            AliasEntry(
                cells[0].strip(),
                cells[1].strip().upper(),
                aliases,
                cells[3].strip() if len(cells) > 3 else "",
            )
        )
    return entries


def load_alias_table(extra_path: Path | None = None) -> AliasTable:
    """The packaged alias table, plus a user's table (same columns) whose rows win on conflicts."""
    entries = read_alias_rows(ALIAS_TABLE_PATH)
    if extra_path is not None:
        entries += read_alias_rows(Path(extra_path))
    by_form: dict[str, AliasEntry] = {}
    for entry in entries:
        for form in (entry.canonical, *entry.aliases):
            by_form[alias_form(form)] = entry
    return AliasTable(tuple(entries), by_form)


def is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 6 and letters.isalnum() and letters.upper() == letters and letters[0].isalpha()


def initial_letters(name: str) -> list[str]:
    return [t[0] for t in name_tokens(name) if t not in NAME_PARTICLES | {"of", "for", "the", "and"}]


def initials_fit(acronym: str, name: str) -> bool:
    """SDF fits "Syrian Democratic Forces" and "Democratic Syrian Armed Forces" (same letters, any order)."""
    initials = initial_letters(name)
    letters = alias_form(acronym).replace("-", "")
    return set(letters) <= set(initials) and len(initials) - len(letters) <= 2


def label_family(label: str) -> str:
    return LABEL_FAMILY.get(label, label)


def looks_like_org(surface: str) -> bool:
    return bool(set(name_tokens(surface)) & ORG_HEAD_WORDS)
