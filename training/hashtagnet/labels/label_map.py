"""The file training reads to label a streamed record: class ids, tag -> class indices (O(1) per tag), class counts
and the per-class sampling factors, and each record's repeat factor under the recipe's sampling rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .hashtags import extract_hashtags, normalise_tag


@dataclass
class LabelMap:
    """classes[i] is the id of output i; tags maps a normalised tag to its class indices; counts[i] images per class."""

    classes: list[str]
    tags: dict[str, list[int]]
    counts: list[int]
    factors: list[float] | None = None  # fitted over the data's label sets, mean record weight 1 (vocab_pass factors)
    floor: float = 0.0  # the least repeat factor of a labelled record, so that every record is emitted (labels/emission.py)

    def labels(self, text: str, hashtags: list[str]) -> list[int]:
        """Sorted class indices of a record: its explicit hashtags and those in its caption, each looked up once."""
        found: set[int] = set()
        for tag in {normalise_tag(t) for t in [*hashtags, *extract_hashtags(text)]}:
            found.update(self.tags.get(tag, ()))
        return sorted(found)

    def save(self, path: Path) -> Path:
        """Write the map as JSON."""
        Path(path).write_text(json.dumps({"classes": self.classes, "tags": self.tags, "counts": self.counts,
                                          "factors": self.factors, "floor": self.floor}))
        return Path(path)

    @classmethod
    def load(cls, path: Path) -> "LabelMap":
        """Read a map written by save (or by the vocabulary pass)."""
        raw = json.loads(Path(path).read_text())
        tags = {k: list(v) for k, v in raw["tags"].items()}
        return cls(list(raw["classes"]), tags, list(raw["counts"]), raw.get("factors"), float(raw.get("floor") or 0.0))


class RepeatFactors:
    """r(labels) = mean class factor / the mean over the data, so the stream keeps its length on average while a
    record is emitted floor(r) or floor(r) + 1 times (r < 1: a rejection with probability 1 - r), and r is never below
    the label map's floor, so no labelled record is dropped for good. O(labels) per record."""

    def __init__(self, label_map: LabelMap, mode: str):
        counts = np.asarray(label_map.counts, dtype=np.float64)
        if label_map.factors is not None:  # fitted for the sqrt rule over the data's label sets
            self.factors = list(label_map.factors)
        else:  # single-label approximation from the counts alone: share_c / n_c, mean weight 1
            power = {"natural": 1.0, "sqrt": 0.5, "uniform": 0.0}[mode]
            factors = np.divide(counts**power, counts, out=np.zeros_like(counts), where=counts > 0)
            mean = float((counts * factors).sum() / max(counts.sum(), 1.0))
            self.factors = (factors / mean if mean > 0 else factors).tolist()
        self.natural, self.floor = mode == "natural", label_map.floor

    def __call__(self, labels: list[int]) -> float:
        if self.natural or not labels:
            return 1.0
        return max(sum(self.factors[c] for c in labels) / len(labels), self.floor)

    @staticmethod
    def copies(factor: float, uniform: float) -> int:
        """How many times to emit a record with this factor, given a uniform draw in [0, 1)."""
        whole = int(factor)
        return whole + (1 if uniform < factor - whole else 0)
