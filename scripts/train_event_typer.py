"""Build the event typer's shipped model and check it on its own training material (grouped cross-validation).

``--write`` trains on storyline/data/events tables (our own snippets, no benchmark text) and writes
storyline/data/events/typer_model.npz with the tables' hash; the build is deterministic (fixed seed, LinearSVC).
Without ``--write`` it cross-validates: each fold holds out whole templates (every filled copy), so the score
says how well the lexicon + model generalise to sentences they have not seen. No benchmark data is read.
Usage: python scripts/train_event_typer.py [--write] [--folds 5] [--show-misses]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from unittest.mock import patch

from storyline.nlp import event_model, event_typing


def grouped_folds(n_templates: int, folds: int, seed: int = 7) -> list[set[int]]:
    order = list(range(n_templates))
    random.Random(seed).shuffle(order)
    return [set(order[i::folds]) for i in range(folds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show-misses", action="store_true", help="print each misclassified held-out snippet")
    parser.add_argument("--write", action="store_true", help="train on all snippets and write the model file")
    args = parser.parse_args()
    if args.write:
        path = event_model.packaged_model_path()
        event_model.save_model(event_typing.train_snippet_model(), path)
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB, hash {event_typing.training_tables_hash()[:12]})")
        return
    texts, labels = event_typing.training_snippets()
    copies = event_typing.COPIES_PER_TEMPLATE
    n_templates = (len(texts) - len(event_typing.typology())) // copies
    correct, total, misses = 0, 0, Counter[str]()
    for held_out in grouped_folds(n_templates, args.folds):
        keep = [i for i in range(len(texts)) if i // copies not in held_out]
        test = [i * copies + 1 for i in sorted(held_out)]  # the copy with a context line after it
        model = event_typing.fit_snippet_model([texts[i] for i in keep], [labels[i] for i in keep])
        event_typing.clear_score_cache()
        with patch.object(event_typing, "snippet_model", lambda m=model: m):
            for i in test:
                predicted = event_typing.classify_event_text(texts[i]).code
                correct += predicted == labels[i]
                total += 1
                if predicted != labels[i]:
                    misses[f"{labels[i]}->{predicted}"] += 1
                    if args.show_misses:
                        print(f"{labels[i]}->{predicted}\t{texts[i]}")
    event_typing.clear_score_cache()
    print(f"held-out-template accuracy {correct / total:.3f} over {total} templates")
    for confusion, count in misses.most_common(10):
        print(f"  {confusion}: {count}")


if __name__ == "__main__":
    main()
