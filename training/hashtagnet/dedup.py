"""Near-duplicate removal: drop training images whose perceptual hash is close to an evaluation image's."""

from __future__ import annotations

import numpy as np
from PIL import Image

from .corpus import ImageTable


def dhash_bits(image: np.ndarray, hash_size: int = 16) -> np.ndarray:
    """Difference hash: grey, resized to (hash_size+1) x hash_size, each pixel brighter than its right neighbour."""
    grey = Image.fromarray(image).convert("L").resize((hash_size + 1, hash_size), Image.BILINEAR)
    pixels = np.asarray(grey, dtype=np.int16)
    return (pixels[:, 1:] > pixels[:, :-1]).reshape(-1)


def hamming_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise Hamming distances between rows of two 0/1 bit matrices."""
    a, b = a.astype(np.float32), b.astype(np.float32)
    return (a.sum(1)[:, None] + b.sum(1)[None, :] - 2 * a @ b.T).round().astype(np.int32)


def near_duplicate_rows(train: np.ndarray, evaluation: np.ndarray, max_distance: int, chunk: int = 4096) -> np.ndarray:
    """Indices of training images within max_distance bits of any evaluation image."""
    eval_bits = np.stack([dhash_bits(img) for img in evaluation]) if len(evaluation) else None
    if eval_bits is None:
        return np.zeros(0, dtype=np.int64)
    hits = []
    for start in range(0, len(train), chunk):
        bits = np.stack([dhash_bits(img) for img in train[start:start + chunk]])
        close = hamming_matrix(bits, eval_bits).min(1) <= max_distance
        hits.append(np.nonzero(close)[0] + start)
    return np.concatenate(hits) if hits else np.zeros(0, dtype=np.int64)


def drop_near_duplicates(train: ImageTable, evaluation: list[np.ndarray], max_distance: int = 24) -> tuple[ImageTable, dict]:
    """The training table without near-duplicates of the evaluation images, and how many were dropped."""
    evaluation = np.concatenate([e for e in evaluation if len(e)]) if evaluation else np.zeros((0, 1, 1, 3), np.uint8)
    dropped = near_duplicate_rows(train.images, evaluation, max_distance)
    keep = np.setdiff1d(np.arange(len(train)), dropped)
    report = {"train_images": len(train), "evaluation_images": int(len(evaluation)), "dropped": int(len(dropped)),
              "max_hamming_distance": max_distance, "hash": "dHash 16x16 (256 bits)",
              "dropped_keys": [train.keys[i] for i in dropped[:20]]}
    return train.subset(keep), report
