"""The exported graph: uint8 NHWC RGB pixels in, softmax(logits / T) probabilities out."""

from __future__ import annotations

from typing import Sequence

import torch

from hashtagnet.data.normalise import channel_stats, normalise


class PixelsToProbabilities(torch.nn.Module):
    """Wrap a classifier on normalised float NCHW so the graph takes raw uint8 NHWC pixels and returns probabilities."""

    def __init__(self, classifier: torch.nn.Module, mean: Sequence[float], std: Sequence[float], temperature: float = 1.0):
        super().__init__()
        if temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        self.classifier = classifier
        self.register_buffer("mean", channel_stats(mean))
        self.register_buffer("std", channel_stats(std))
        self.temperature = float(temperature)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """uint8 [N,H,W,3] -> float32 [N,classes] probabilities."""
        logits = self.classifier(normalise(pixels, self.mean, self.std))
        return torch.softmax(logits / self.temperature, dim=-1)
