"""Photo-like procedural images: a textured, lit object on a graded background, with clutter and sensor noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHAPES = ("ellipse", "box", "triangle", "diamond", "star", "ring", "cross", "dome")
TEXTURES = ("plain", "stripes", "checks", "dots", "waves", "speckle")


@dataclass(frozen=True)
class Signature:
    """A concept's look: shape, texture, two surface colours and its scene (background colours)."""

    shape: str
    texture: str
    colour_a: tuple[float, float, float]
    colour_b: tuple[float, float, float]
    sky: tuple[float, float, float]
    ground: tuple[float, float, float]


def _shape_mask(shape: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    r = np.hypot(u, v)
    angle = np.arctan2(v, u)
    masks = {
        "ellipse": r < 1.0,
        "box": (np.abs(u) < 0.9) & (np.abs(v) < 0.65),
        "triangle": (v < 0.7) & (v > 1.6 * np.abs(u) - 0.9),
        "diamond": np.abs(u) + np.abs(v) < 1.0,
        "star": r < 0.55 + 0.4 * np.cos(5 * angle),
        "ring": (r < 1.0) & (r > 0.55),
        "cross": ((np.abs(u) < 0.3) | (np.abs(v) < 0.3)) & (np.abs(u) < 1.0) & (np.abs(v) < 1.0),
        "dome": (r < 1.0) & (v < 0.25),
    }
    return masks[shape]


def _texture(texture: str, u: np.ndarray, v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    freq = rng.uniform(2.5, 4.0) * np.pi
    if texture == "plain":
        return np.zeros_like(u)
    if texture == "stripes":
        return (np.sin(freq * u) > 0).astype(np.float32)
    if texture == "checks":
        return (np.sin(freq * u) * np.sin(freq * v) > 0).astype(np.float32)
    if texture == "dots":
        return (np.hypot(np.sin(freq * u), np.sin(freq * v)) < 0.6).astype(np.float32)
    if texture == "waves":
        return 0.5 + 0.5 * np.sin(freq * u + 2.0 * np.sin(freq * 0.5 * v))
    noise = rng.random((8, 8))
    iy = np.clip(((v + 1.2) / 2.4 * 7).astype(int), 0, 7)
    ix = np.clip(((u + 1.2) / 2.4 * 7).astype(int), 0, 7)
    return (noise[iy, ix] > 0.5).astype(np.float32)


def _jitter(colour, rng: np.random.Generator, amount: float) -> np.ndarray:
    return np.clip(np.asarray(colour, np.float32) + rng.uniform(-amount, amount, 3), 0, 1)


def _background(sig: Signature, yy: np.ndarray, xx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    horizon = rng.uniform(-0.3, 0.4)
    blend = np.clip((yy - horizon) * rng.uniform(2, 6) + 0.5, 0, 1)[..., None]
    sky, ground = _jitter(sig.sky, rng, 0.12), _jitter(sig.ground, rng, 0.12)
    return sky * (1 - blend) + ground * blend


def _clutter(image: np.ndarray, yy: np.ndarray, xx: np.ndarray, rng: np.random.Generator) -> None:
    for _ in range(rng.integers(0, 3)):
        cy, cx, radius = rng.uniform(-0.9, 0.9), rng.uniform(-0.9, 0.9), rng.uniform(0.05, 0.15)
        image[np.hypot(yy - cy, xx - cx) < radius] = rng.random(3)


def render(sig: Signature, rng: np.random.Generator, size: int = 32) -> np.ndarray:
    """One uint8 HxWx3 RGB image of the concept, drawn at twice the size and averaged down (anti-aliasing)."""
    big = 2 * size
    yy, xx = np.meshgrid(np.linspace(-1, 1, big), np.linspace(-1, 1, big), indexing="ij")
    image = _background(sig, yy, xx, rng)
    _clutter(image, yy, xx, rng)
    cy, cx = rng.uniform(-0.25, 0.25, 2)
    scale, aspect, theta = rng.uniform(0.4, 0.8), rng.uniform(0.75, 1.33), rng.uniform(-1.0, 1.0)
    dy, dx = (yy - cy) / scale, (xx - cx) / scale
    u = (dx * np.cos(theta) + dy * np.sin(theta)) * aspect
    v = (-dx * np.sin(theta) + dy * np.cos(theta)) / aspect
    mask = _shape_mask(sig.shape, u, v)
    pattern = _texture(sig.texture, u, v, rng)[..., None]
    surface = _jitter(sig.colour_a, rng, 0.12) * (1 - pattern) + _jitter(sig.colour_b, rng, 0.12) * pattern
    light = rng.uniform(-1, 1, 2)
    shading = np.clip(0.8 + 0.25 * (u * light[0] + v * light[1]) / 1.5, 0.4, 1.2)[..., None]
    image = np.where(mask[..., None], surface * shading, image)
    vignette = 1 - rng.uniform(0.1, 0.35) * (yy**2 + xx**2)[..., None] / 2
    image = image * vignette * rng.uniform(0.75, 1.2) + rng.normal(0, rng.uniform(0.01, 0.05), image.shape)
    small = image.reshape(size, 2, size, 2, 3).mean(axis=(1, 3))
    return (np.clip(small, 0, 1) * 255 + 0.5).astype(np.uint8)
