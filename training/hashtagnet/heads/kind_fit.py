"""A small multinomial logistic regression for the kind decision: standardised inputs, class-balanced cross-entropy,
L2 towards a prior (zero, or the weights pretrained on the weak-label corpus: pretrain, then fine-tune), L-BFGS."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

torch.set_num_threads(1)


@dataclass(frozen=True)
class Logistic:
    """softmax(((x - mean) / std) @ weight + bias) over `labels`."""
    labels: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weight: np.ndarray  # [inputs, classes]
    bias: np.ndarray

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Class scores of raw inputs."""
        return ((x - self.mean) / self.std) @ self.weight + self.bias

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of raw inputs."""
        z = self.logits(x)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def fit(x: np.ndarray, y: np.ndarray, labels: tuple[str, ...], l2: float, prior: Logistic | None = None,
        steps: int = 60) -> Logistic:
    """Fit on inputs x [N, D] and label indices y; with a prior, its standardisation is kept and the weights are pulled
    towards its weights instead of towards zero (L2-SP), so what the corpus taught stays unless the images disagree."""
    if prior is None:
        mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
        w0, b0 = np.zeros((x.shape[1], len(labels)), np.float32), np.zeros(len(labels), np.float32)
    else:
        mean, std, w0, b0 = prior.mean, prior.std, prior.weight, prior.bias
    xs = torch.from_numpy(((x - mean) / std).astype(np.float32))
    target = torch.from_numpy(y).long()
    counts = np.bincount(y, minlength=len(labels)).astype(np.float32)
    balance = np.where(counts > 0, counts.sum() / (np.count_nonzero(counts) * np.maximum(counts, 1)), 0.0)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(balance.astype(np.float32)))
    anchor = torch.from_numpy(w0.astype(np.float32))
    weight = torch.nn.Parameter(anchor.clone())
    bias = torch.nn.Parameter(torch.from_numpy(b0.astype(np.float32)).clone())
    optimiser = torch.optim.LBFGS([weight, bias], lr=1, max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = loss_fn(xs @ weight + bias, target) + l2 * ((weight - anchor) ** 2).sum() / 2
        loss.backward()
        return loss

    optimiser.step(closure)
    return Logistic(labels, mean.astype(np.float32), std.astype(np.float32), weight.detach().numpy().copy(),
                    bias.detach().numpy().copy())
