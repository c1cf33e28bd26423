"""Photos as uint8 RGB arrays, and the manifest's resize rules: the one Python definition of what the server does with sharp."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image

INTERPOLATION = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC,
                 "nearest": Image.Resampling.NEAREST}


def load_rgb(path: Path) -> np.ndarray:
    """Decode an image file to uint8 HxWx3 RGB (grey and RGBA are converted, alpha dropped)."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def decode_rgb(data: bytes) -> np.ndarray:
    """Decode encoded image bytes to uint8 HxWx3 RGB, as load_rgb does for a file."""
    return load_rgb(io.BytesIO(data))


def center_crop_region(width: int, height: int, shorter_side: int, crop_width: int, crop_height: int) -> tuple[int, int, int, int]:
    """The server's rule as a source box (left, top, right, bottom): the centred region that, at the scale putting the
    shorter side at shorter_side, is crop_width x crop_height; sides rounded half up, offsets floored
    (contracts/resize-vectors.json; centerCropRegion in src/image/resize.ts)."""
    scale = shorter_side / min(width, height)
    region_width = min(width, max(1, math.floor(crop_width / scale + 0.5)))
    region_height = min(height, max(1, math.floor(crop_height / scale + 0.5)))
    left, top = (width - region_width) // 2, (height - region_height) // 2
    return left, top, left + region_width, top + region_height


def resize_center_crop(rgb: np.ndarray, shorter_side: int, crop: int, interpolation: str = "bilinear") -> np.ndarray:
    """Rule shorter_side_center_crop as the server runs it: cut the centred region (center_crop_region), then resize
    it to crop x crop."""
    if crop > shorter_side:
        raise ValueError(f"crop {crop} is larger than the shorter side {shorter_side}")
    image = Image.fromarray(rgb)
    box = center_crop_region(image.width, image.height, shorter_side, crop, crop)
    return np.asarray(image.crop(box).resize((crop, crop), INTERPOLATION[interpolation]), dtype=np.uint8).copy()


def resize_stretch(rgb: np.ndarray, height: int, width: int, interpolation: str = "bilinear") -> np.ndarray:
    """Rule stretch: scale both sides to exactly height x width, ignoring the aspect ratio."""
    image = Image.fromarray(rgb).resize((width, height), INTERPOLATION[interpolation])
    return np.asarray(image, dtype=np.uint8).copy()


def resize_for_input(rgb: np.ndarray, spec: dict) -> np.ndarray:
    """A decoded photo as a bundle's model input, by the rule its manifest `input` names."""
    rule = spec["resize"]
    if rule["method"] == "stretch":
        return resize_stretch(rgb, spec["height"], spec["width"], spec["interpolation"])
    if rule["method"] == "shorter_side_center_crop" and spec["height"] == spec["width"]:
        return resize_center_crop(rgb, rule["shorter_side"], spec["height"], spec["interpolation"])
    raise ValueError(f"resize rule {rule} for {spec['height']}x{spec['width']} is not implemented here")


def load_for_model(path: Path, shorter_side: int, crop: int) -> np.ndarray:
    """A photo file as the model input: uint8 crop x crop x 3 RGB."""
    return resize_center_crop(load_rgb(path), shorter_side, crop)


def decode_for_model(data: bytes, size: int) -> np.ndarray:
    """Encoded image bytes as a size x size training input: shorter side to size, centre crop (the bundle's rule)."""
    return resize_center_crop(decode_rgb(data), size, size)
