"""Losses over multi-label hashtag targets: softmax with 1/k targets (default) or per-class sigmoid."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def target_matrix(labels: list[list[int]], num_classes: int) -> torch.Tensor:
    """Multi-hot [N, C] float targets from per-image label lists."""
    targets = torch.zeros(len(labels), num_classes)
    for row, image_labels in enumerate(labels):
        targets[row, list(image_labels)] = 1.0
    return targets


def softmax_cross_entropy(logits: torch.Tensor, multi_hot: torch.Tensor) -> torch.Tensor:
    """Cross-entropy against a target of 1/k on each of an image's k labels (Mahajan et al. 2018)."""
    target = multi_hot / multi_hot.sum(dim=1, keepdim=True).clamp_min(1.0)
    return -(target * F.log_softmax(logits.float(), dim=1)).sum(dim=1).mean()


def sigmoid_cross_entropy(logits: torch.Tensor, multi_hot: torch.Tensor) -> torch.Tensor:
    """Per-class binary cross-entropy, summed over classes and averaged over images."""
    loss = F.binary_cross_entropy_with_logits(logits.float(), multi_hot, reduction="sum")
    return loss / logits.shape[0]


LOSSES = {"softmax": softmax_cross_entropy, "sigmoid": sigmoid_cross_entropy}


def loss_by_name(name: str):
    """The loss function for a recipe's `loss` field."""
    if name not in LOSSES:
        raise ValueError(f"loss {name!r} is not one of {sorted(LOSSES)}")
    return LOSSES[name]
