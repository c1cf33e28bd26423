"""Per-record transforms of the streaming loader: random-resized crop + flip for training, the bundle's centre crop
for evaluation; both decode the bytes (JPEG at reduced scale when the crop allows) and return uint8 HxWx3."""

from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image

from .images import center_crop_region


def open_rgb(data: bytes, at_least: int) -> Image.Image:
    """Decode to RGB; a JPEG is decoded at the smallest 1/2^k scale whose shorter side still covers `at_least`."""
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG":
        image.draft("RGB", (at_least, at_least))
    return image.convert("RGB")


def resized_crop_box(width: int, height: int, rng: random.Random, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)):
    """torchvision's RandomResizedCrop box (10 tries at a random area and aspect, then the centre crop), from `rng`."""
    area = width * height
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target = area * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(*log_ratio))
        w, h = int(round(math.sqrt(target * aspect))), int(round(math.sqrt(target / aspect)))
        if 0 < w <= width and 0 < h <= height:
            left, top = rng.randint(0, width - w), rng.randint(0, height - h)
            return left, top, left + w, top + h
    in_ratio = width / height
    w, h = (width, int(round(width / ratio[0]))) if in_ratio < ratio[0] else \
        (int(round(height * ratio[1])), height) if in_ratio > ratio[1] else (width, height)
    left, top = (width - w) // 2, (height - h) // 2
    return left, top, left + w, top + h


def crop_source(data: bytes, size: int, rng: random.Random, scale=(0.08, 1.0)) -> tuple[Image.Image, tuple]:
    """(decoded RGB image, crop box in its pixels): the box is drawn on the full-size photo first, then a JPEG is
    decoded at the smallest 1/2^k scale that keeps the box at least size x size, so a crop is never upsampled
    from a shrunk decode (decoding at `size` first upsampled 86% of 224 px crops of a 1080 px photo)."""
    image = Image.open(io.BytesIO(data))
    width, height = image.size
    left, top, right, bottom = resized_crop_box(width, height, rng, tuple(scale))
    if image.format == "JPEG":
        image.draft("RGB", (math.ceil(width * size / (right - left)), math.ceil(height * size / (bottom - top))))
    sx, sy = image.size[0] / width, image.size[1] / height
    return image.convert("RGB"), (left * sx, top * sy, right * sx, bottom * sy)


def train_view(data: bytes, size: int, rng: random.Random, scale=(0.08, 1.0), flip: bool = True) -> np.ndarray:
    """Random-resized crop to size x size (bilinear) and a horizontal flip with probability 1/2."""
    image, box = crop_source(data, size, rng, scale)
    out = image.resize((size, size), Image.BILINEAR, box=box)
    if flip and rng.random() < 0.5:
        out = out.transpose(Image.FLIP_LEFT_RIGHT)
    return np.asarray(out, dtype=np.uint8)


def eval_view(data: bytes, size: int) -> np.ndarray:
    """The centred region at shorter side `size`, resized to size x size: the served bundle's rule (data/images.py)."""
    image = open_rgb(data, size)
    box = center_crop_region(image.width, image.height, size, size, size)
    return np.asarray(image.crop(box).resize((size, size), Image.BILINEAR), dtype=np.uint8)
