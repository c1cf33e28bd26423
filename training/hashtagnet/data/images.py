"""Real photos as uint8 RGB arrays, resized by the rule the server applies with sharp."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def load_rgb(path: Path) -> np.ndarray:
    """Decode an image file to uint8 HxWx3 RGB (grey and RGBA are converted, alpha dropped)."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def resized_size(width: int, height: int, shorter_side: int) -> tuple[int, int]:
    """Size after scaling the shorter side to shorter_side; the longer side is rounded to the nearest pixel."""
    scale = shorter_side / min(width, height)
    if width <= height:
        return shorter_side, max(shorter_side, round(height * scale))
    return max(shorter_side, round(width * scale)), shorter_side


def center_box(width: int, height: int, crop: int) -> tuple[int, int, int, int]:
    """The centred crop x crop box (left, top, right, bottom); the offset is floor((side - crop) / 2)."""
    left, top = (width - crop) // 2, (height - crop) // 2
    return left, top, left + crop, top + crop


def resize_center_crop(rgb: np.ndarray, shorter_side: int, crop: int) -> np.ndarray:
    """Scale so the shorter side is shorter_side (PIL bilinear), then take the centre crop x crop pixels."""
    if crop > shorter_side:
        raise ValueError(f"crop {crop} is larger than the shorter side {shorter_side}")
    image = Image.fromarray(rgb)
    size = resized_size(image.width, image.height, shorter_side)
    image = image.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(image.crop(center_box(*size, crop)), dtype=np.uint8).copy()


def load_for_model(path: Path, shorter_side: int, crop: int) -> np.ndarray:
    """A photo file as the model input: uint8 crop x crop x 3 RGB."""
    return resize_center_crop(load_rgb(path), shorter_side, crop)
