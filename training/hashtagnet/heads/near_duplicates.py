"""Near-duplicate checks by difference hash, so no corpus photo is an evaluation image under another file name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .features import load_served_rgb


def difference_hash(path: Path, size: int = 16) -> np.ndarray:
    """A (size x size) bit array: whether each pixel of a grey thumbnail is brighter than its right neighbour."""
    grey = Image.fromarray(load_served_rgb(path)).convert("L").resize((size + 1, size), Image.BILINEAR)
    pixels = np.asarray(grey, dtype=np.int16)
    return (pixels[:, 1:] > pixels[:, :-1]).ravel()


def near_duplicates(candidates: list[str], references: list[Path], max_bits: int = 24) -> set[str]:
    """The candidate paths whose hash is within max_bits (of 256) of some reference image's hash."""
    if not references or not candidates:
        return set()
    reference = np.stack([difference_hash(p) for p in references])
    found = set()
    for path in candidates:
        if (reference != difference_hash(Path(path))).sum(axis=1).min() <= max_bits:
            found.add(path)
    return found
