"""Transfer to a labelled target set: full fine-tuning or a linear probe from a pretrained trunk, and calibration."""

from __future__ import annotations

import copy

import numpy as np
import torch

from hashtagnet.models.backbones import Classifier, build_model, replace_head


def transfer_model(pretrained: Classifier | None, num_classes: int, recipe: dict) -> Classifier:
    """A copy of the pretrained trunk with a new head, or (pretrained=None) a freshly initialised model."""
    if pretrained is None:
        torch.manual_seed(recipe["seed"])
        return build_model(recipe["model"]["backbone"], num_classes, **recipe["model"]["options"])
    return replace_head(copy.deepcopy(pretrained), num_classes, seed=recipe["seed"])


def calibrate_temperature(logits: torch.Tensor, labels: np.ndarray, steps: int = 100) -> float:
    """The temperature T minimising held-out NLL of softmax(logits / T), by LBFGS on log T."""
    log_t = torch.zeros(1, requires_grad=True)
    target = torch.as_tensor(labels)
    optimiser = torch.optim.LBFGS([log_t], lr=0.1, max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits.detach() / log_t.exp(), target)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Mean |confidence - accuracy| over equal-width confidence bins, weighted by bin size."""
    confidence, predicted = probs.max(1), probs.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - (predicted[inside] == labels[inside]).mean())
    return float(total)
