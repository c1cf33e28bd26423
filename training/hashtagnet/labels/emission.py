"""How often each record is emitted under fitted class factors: the floor that keeps every record in the stream, and
the count of records a factor fit would never emit (a broad class's factor can be driven to ~0 by the fit)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from hashtagnet.train.sampling import class_factors

from .label_map import LabelMap

DEFAULT_FLOOR = 0.05  # a record whose classes the fit pushed down is still emitted at least once in 20 passes
NEVER = 1e-6  # a repeat factor under this is fewer than one emission expected in a million passes: never emitted


def record_weights(sets: list[list[int]], factors: np.ndarray) -> np.ndarray:
    """Each label set's mean class factor (the unnormalised repeat factor of a record carrying it)."""
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter((c for s in sets for c in s), dtype=np.int64, count=int(sizes.sum()))
    rows = np.repeat(np.arange(len(sets)), sizes)
    return np.bincount(rows, weights=np.asarray(factors, dtype=np.float64)[flat], minlength=len(sets)) / np.maximum(sizes, 1)


def scale_for_floor(weights: np.ndarray, many: np.ndarray, floor: float) -> float:
    """The scale s with mean(max(s * w, floor)) = 1 over the records, so the floored stream keeps its length."""
    many = np.asarray(many, dtype=np.float64)
    mean = lambda s: float((np.maximum(s * weights, floor) * many).sum() / many.sum())  # noqa: E731
    high = 1.0 / max(float((weights * many).sum() / many.sum()), 1e-300)
    if floor >= 1.0 or mean(0.0) >= 1.0:
        return 0.0
    low = 0.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if mean(middle) < 1.0 else (low, middle)
    return high


def emission_report(unfloored: np.ndarray, scaled: np.ndarray, many: np.ndarray, floor: float) -> dict:
    """Records (and label sets) never emitted without the floor (weights scaled to a mean of 1) and with it (`scaled`
    before the floor applies), and the records one pass leaves out in expectation (by design, for common classes)."""
    many = np.asarray(many, dtype=np.float64)
    floored = np.maximum(scaled, floor)
    never_raw, never = unfloored < NEVER, floored < NEVER
    return {"records": int(many.sum()), "label_sets": int(len(many)), "floor": floor,
            "never_emitted": int(many[never].sum()), "never_emitted_without_floor": int(many[never_raw].sum()),
            "label_sets_never_emitted_without_floor": int(never_raw.sum()),
            "min_repeat_factor": float(floored.min()) if len(floored) else 0.0,
            "min_repeat_factor_without_floor": float(unfloored.min()) if len(unfloored) else 0.0,
            "expected_unseen_per_pass": int(round(float((np.clip(1 - floored, 0, 1) * many).sum())))}


def fit_factors_with_report(label_map: LabelMap, label_sets: Counter, mode: str = "sqrt",
                            floor: float = DEFAULT_FLOOR) -> tuple[LabelMap, dict]:
    """The label map with class factors fitted to the data's label sets, scaled so the floored stream keeps a mean
    record weight of 1, and the floor recorded; class counts become exact images per class. The report counts the
    records the fit alone would never emit."""
    sets = [[int(c) for c in key.split(",")] for key in label_sets]
    many = np.array(list(label_sets.values()), dtype=np.float64)
    factors = class_factors(sets, len(label_map.classes), mode, multiplicity=many)
    weights = record_weights(sets, factors)
    mean = max(float((weights * many).sum() / many.sum()), 1e-300) if len(many) else 1.0
    scale = scale_for_floor(weights, many, floor) if len(many) else 1.0
    report = emission_report(weights / mean, weights * scale, many, floor)
    counts = np.zeros(len(label_map.classes), dtype=np.int64)
    for labels, n in zip(sets, many):
        counts[labels] += int(n)
    fitted = LabelMap(label_map.classes, label_map.tags, counts.tolist(), (factors * scale).tolist(), floor)
    return fitted, report


def fit_factors(label_map: LabelMap, label_sets: Counter, mode: str = "sqrt", floor: float = DEFAULT_FLOOR) -> LabelMap:
    """fit_factors_with_report without the report."""
    return fit_factors_with_report(label_map, label_sets, mode, floor)[0]
