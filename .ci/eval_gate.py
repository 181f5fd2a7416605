"""Evaluation gate (as trafilatura's): score every extractor on ../shared/benchmarks and fail when a metric
falls below the baseline recorded in .ci/eval_baselines.json. Raise baselines when scores improve; never
lower one without saying why in the commit.

Usage: python .ci/eval_gate.py BENCHMARKS_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from storyline.evaluate import run_evaluation

BASELINES = Path(__file__).with_name("eval_baselines.json")


def metric(result: dict[str, Any], dotted: str) -> float:
    if dotted in result:  # a flat key that holds a dot ("outlet.precision")
        return float(result[dotted])
    value: Any = result
    for part in dotted.split("."):
        value = value[part]
    return float(value)


def main(benchmarks: Path) -> int:
    baselines = json.loads(BASELINES.read_text())
    failures = []
    for name, spec in baselines.items():
        path = benchmarks / spec["path"] if spec.get("path") else None
        if path is not None and not path.exists():
            print(f"eval-gate: {name}: {path} missing, skipped")
            continue
        started = time.perf_counter()
        result = run_evaluation(spec["task"], path, **spec.get("options", {}))
        elapsed = time.perf_counter() - started
        for key, minimum in spec["minimum"].items():
            score = metric(result, key)
            status = "ok" if score + 1e-9 >= minimum else "BELOW BASELINE"
            print(f"eval-gate: {name} {key} = {score:.4f} (baseline {minimum:.4f}) {status} [{elapsed:.0f}s]")
            if status != "ok":
                failures.append(f"{name} {key} {score:.4f} < {minimum:.4f}")
    if failures:
        print("eval-gate: FAILED: " + "; ".join(failures))
        return 1
    print("eval-gate: all scores at or above their baselines")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
