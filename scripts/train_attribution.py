"""Build storyline/data/attribution/learned_cue_words.json from PolNeAR train (never dev or test).

For every word form, the share of its occurrences in train texts that fall inside a gold Cue span,
counting only occurrences outside quotations (the stage never looks for cues inside quotes).
The claims stage treats a verb whose form has a high share as an attribution cue. Usage:
    python scripts/train_attribution.py /work/shared/benchmarks/polnear/train
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from storyline.evaluate.attribution import polnear_documents
from storyline.nlp.quote_marks import find_quotes

WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
MIN_CUE_COUNT = 4  # rarer forms are noise at this corpus size
MIN_PRECISION = 0.2  # the stage applies its own, stricter threshold; keep some margin in the file
OUTPUT = (
    Path(__file__).resolve().parent.parent / "storyline" / "data" / "attribution" / "learned_cue_words.json"
)


def cue_spans(ann: Path) -> list[tuple[int, int]]:
    spans = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and parts[1].startswith("Cue "):
            for piece in parts[1].split(" ", 1)[1].split(";"):
                start, end = (int(x) for x in piece.split())
                spans.append((start, end))
    return spans


def count_words(split: Path) -> tuple[Counter[str], Counter[str]]:
    total: Counter[str] = Counter()
    as_cue: Counter[str] = Counter()
    for text_file, ann in polnear_documents(split):
        text = text_file.read_text(encoding="utf-8")
        spans = cue_spans(ann)
        quotes = [(q.start, q.end) for q in find_quotes(text)]
        for match in WORD.finditer(text):
            if any(s <= match.start() < e for s, e in quotes):
                continue
            word = match.group(0).lower()
            total[word] += 1
            if any(s <= match.start() < e for s, e in spans):
                as_cue[word] += 1
    return total, as_cue


def main(argv: list[str]) -> int:
    if len(argv) != 2 or "dev" in Path(argv[1]).parts or "test" in Path(argv[1]).parts:
        print("usage: train_attribution.py PATH/TO/polnear/train", file=sys.stderr)
        return 2
    total, as_cue = count_words(Path(argv[1]))
    table = {
        word: round(as_cue[word] / total[word], 3)
        for word in sorted(as_cue)
        if as_cue[word] >= MIN_CUE_COUNT and as_cue[word] / total[word] >= MIN_PRECISION
    }
    payload = {
        "_about": "share of train occurrences inside a PolNeAR Cue span; built by "
        "scripts/train_attribution.py from polnear/train",
        "precision_by_word": table,
    }
    OUTPUT.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} cue words to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
