"""Resampling of images by label frequency (natural, uniform, square root) with a resumable random stream."""

from __future__ import annotations

import numpy as np
import torch

MODES = ("natural", "sqrt", "uniform")


def class_counts(labels: list[list[int]], num_classes: int) -> np.ndarray:
    """Images per class (an image counts once for each of its labels)."""
    counts = np.zeros(num_classes, dtype=np.int64)
    for image_labels in labels:
        counts[list(image_labels)] += 1
    return counts


def _flatten(labels: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(image row of each label, class of each label, labels per image) as flat arrays."""
    sizes = np.fromiter((len(ls) for ls in labels), dtype=np.int64, count=len(labels))
    rows = np.repeat(np.arange(len(labels)), sizes)
    classes = np.fromiter((c for ls in labels for c in ls), dtype=np.int64, count=int(sizes.sum()))
    return rows, classes, sizes


def target_shares(counts: np.ndarray, mode: str) -> np.ndarray:
    """The share of draws each class should get: ~ n_c (natural), sqrt(n_c) (sqrt) or 1 (uniform), 0 when unseen."""
    if mode not in MODES:
        raise ValueError(f"sampling mode {mode!r} is not one of {MODES}")
    power = {"natural": 1.0, "sqrt": 0.5, "uniform": 0.0}[mode]
    target = np.where(counts > 0, counts.astype(np.float64) ** power, 0.0)
    return target / max(target.sum(), 1e-300)


def class_factors(labels: list[list[int]], num_classes: int, mode: str = "sqrt", iterations: int = 200,
                  tolerance: float = 1e-4, multiplicity=None) -> np.ndarray:
    """Per-class factors f_c such that weighting each image by the mean f_c of its labels draws class c with the
    target share (an image carrying c counts as a draw of c). Fitted by iterative proportional scaling: with
    single labels it is 1 / n_c^(1-power) at once; with co-occurring labels the naive 1/sqrt(n_c) mean
    under-draws a rare tag that always comes with a common one, and the scaling corrects it. `multiplicity[i]`:
    how many images carry label set i (a pass over shards counts distinct label sets, not images)."""
    rows, classes, sizes = _flatten(labels)
    many = np.ones(len(labels)) if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)
    counts = np.bincount(classes, weights=many[rows], minlength=num_classes)
    target = target_shares(counts, mode)
    factors = np.divide(target, counts, out=np.zeros_like(counts), where=counts > 0)
    for _ in range(iterations):
        image = np.bincount(rows, weights=factors[classes], minlength=len(labels)) / np.maximum(sizes, 1)
        mass = np.bincount(classes, weights=(image * many)[rows], minlength=num_classes)
        share = mass / max(mass.sum(), 1e-300)
        ratio = np.divide(target, share, out=np.ones_like(share), where=share > 0)
        if np.max(np.abs(share - target) / np.maximum(target, 1e-300), where=target > 0, initial=0.0) < tolerance:
            break
        factors *= ratio
    return factors / max(factors.max(), 1e-300)


def image_weights(labels: list[list[int]], num_classes: int, mode: str = "sqrt") -> np.ndarray:
    """Per-image sampling weights (the mean of its labels' class factors) so that class c is drawn ~ n_c (natural),
    sqrt(n_c) (sqrt) or equally (uniform), multi-label images included."""
    factors = class_factors(labels, num_classes, mode)
    return np.array([factors[list(ls)].mean() if ls else 0.0 for ls in labels])


def drawn_shares(labels: list[list[int]], weights: np.ndarray, num_classes: int) -> np.ndarray:
    """The share of draws of each class under per-image weights (what `image_weights` is fitted to)."""
    rows, classes, _ = _flatten(labels)
    mass = np.bincount(classes, weights=np.asarray(weights, dtype=np.float64)[rows], minlength=num_classes)
    return mass / max(mass.sum(), 1e-300)


class BatchSampler:
    """Draws global batches of indices with replacement by weight; its state resumes the exact same stream."""

    def __init__(self, weights: np.ndarray, batch_size: int, seed: int):
        self.weights = torch.as_tensor(weights, dtype=torch.float64)
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)
        self.batches_drawn = 0

    def next_batch(self) -> torch.Tensor:
        """The next global batch of image indices."""
        self.batches_drawn += 1
        return torch.multinomial(self.weights, self.batch_size, replacement=True, generator=self.generator)

    def state_dict(self) -> dict:
        """Generator state and how many batches were drawn."""
        return {"generator": self.generator.get_state(), "batches_drawn": self.batches_drawn}

    def load_state_dict(self, state: dict) -> None:
        """Continue the stream where the saved sampler stopped."""
        self.generator.set_state(state["generator"])
        self.batches_drawn = state["batches_drawn"]
