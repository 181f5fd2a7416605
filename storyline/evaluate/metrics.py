"""Precision, recall and F1 shared by every evaluator (each keeps its own output key names)."""

from __future__ import annotations


def harmonic_f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def precision_recall_f1(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    """Precision = p_num / p_den, recall = r_num / r_den (0 when a denominator is 0), and their F1."""
    precision = p_num / p_den if p_den else 0.0
    recall = r_num / r_den if r_den else 0.0
    return precision, recall, harmonic_f1(precision, recall)


def prf_dict(p_num: float, p_den: float, r_num: float, r_den: float,
             keys: tuple[str, str, str] = ("precision", "recall", "f1")) -> dict[str, float]:
    """The three scores rounded to 4 places under the given key names."""
    return {key: round(value, 4) for key, value in zip(keys, precision_recall_f1(p_num, p_den, r_num, r_den),
                                                          strict=True)}
