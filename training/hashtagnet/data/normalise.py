"""The normalisation between uint8 pixels and a backbone: one definition for the training loop and the exported graph."""

from __future__ import annotations

from typing import Sequence

import torch


def channel_stats(values: Sequence[float]) -> torch.Tensor:
    """A per-channel mean or std as a float32 [1, 1, 1, 3] tensor that broadcasts over NHWC pixels."""
    return torch.tensor([float(v) for v in values], dtype=torch.float32).view(1, 1, 1, 3)


def normalise(pixels: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """uint8 NHWC RGB -> float32 NCHW with x = (pixel / 255 - mean) / std per channel (the manifest's normalization)."""
    x = (pixels.to(torch.float32) / 255.0 - mean) / std
    return x.permute(0, 3, 1, 2).contiguous()
