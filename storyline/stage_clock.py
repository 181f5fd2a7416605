"""Per-article CPU time spent in spaCy and in each extraction stage, for `storyline bench` and profiling.

Input: (stage name, seconds) samples recorded by the pipeline for every article; output: median and
mean milliseconds per article per stage. Memory stays bounded however many articles run: past
``capacity`` samples a stage keeps an evenly spaced subsample (every 2nd, then every 4th … sample).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class _Samples:
    kept: list[float] = field(default_factory=list)
    seen: int = 0
    total: float = 0.0
    stride: int = 1  # keep one sample in ``stride`` (doubles whenever the list fills up)


@dataclass
class StageClock:
    """Bounded per-stage samples of seconds per article."""

    capacity: int = 4096
    _stages: dict[str, _Samples] = field(default_factory=dict)

    def add(self, stage: str, seconds: float, articles: int = 1) -> None:
        """Record ``seconds`` spent on ``articles`` articles (a batch counts as its per-article share)."""
        samples = self._stages.setdefault(stage, _Samples())
        share = seconds / max(articles, 1)
        for _ in range(articles):
            if samples.seen % samples.stride == 0:
                samples.kept.append(share)
            samples.seen += 1
            samples.total += share
        if len(samples.kept) > self.capacity:
            samples.kept = samples.kept[::2]
            samples.stride *= 2

    def export(self) -> dict[str, tuple[list[float], int, float]]:
        """Picklable snapshot, so worker processes can hand their samples to the parent."""
        return {name: (list(s.kept), s.seen, s.total) for name, s in self._stages.items()}

    def merge(self, exported: dict[str, tuple[list[float], int, float]]) -> None:
        for name, (kept, seen, total) in exported.items():
            samples = self._stages.setdefault(name, _Samples())
            samples.kept.extend(kept)
            samples.seen += seen
            samples.total += total
            while len(samples.kept) > self.capacity:
                samples.kept = samples.kept[::2]

    def reset(self) -> None:
        self._stages.clear()

    def summary(self) -> dict[str, dict[str, float]]:
        """Per stage: median and mean ms per article and the stage's share of the summed means."""
        means = {name: s.total / s.seen for name, s in self._stages.items() if s.seen}
        whole = sum(means.values()) or 1.0
        return {
            name: {
                "median_ms": round(1000 * statistics.median(self._stages[name].kept), 2),
                "mean_ms": round(1000 * mean, 2),
                "share": round(mean / whole, 3),
            }
            for name, mean in means.items()
        }


# One clock per process: the runner builds its own Context, so the benchmark reads timings here.
PROCESS_CLOCK = StageClock()
