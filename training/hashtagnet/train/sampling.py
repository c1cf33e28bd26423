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


def image_weights(labels: list[list[int]], num_classes: int, mode: str = "sqrt") -> np.ndarray:
    """Per-image sampling weights so that class c is drawn ~ n_c (natural), sqrt(n_c) (sqrt) or equally (uniform)."""
    if mode not in MODES:
        raise ValueError(f"sampling mode {mode!r} is not one of {MODES}")
    if mode == "natural":
        return np.ones(len(labels))
    counts = class_counts(labels, num_classes).astype(np.float64)
    power = 0.5 if mode == "sqrt" else 1.0
    per_class = np.divide(1.0, counts**power, out=np.zeros_like(counts), where=counts > 0)
    return np.array([per_class[list(ls)].mean() if ls else 0.0 for ls in labels])


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
