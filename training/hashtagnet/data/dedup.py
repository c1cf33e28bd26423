"""Near-duplicate removal: drop training images too close to an evaluation image (thumbnail embedding or dHash)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from .corpus import ImageTable


def thumbnail_embedding(images: np.ndarray, side: int = 16) -> np.ndarray:
    """Unit-norm, mean-centred side x side colour thumbnails: cosine ~1 for copies that differ in brightness/noise."""
    thumbs = np.stack([np.asarray(Image.fromarray(img).resize((side, side), Image.BILINEAR), np.float32) for img in images])
    flat = thumbs.reshape(len(images), -1)
    flat -= flat.mean(1, keepdims=True)
    return flat / (np.linalg.norm(flat, axis=1, keepdims=True) + 1e-6)


def dhash_bits(image: np.ndarray, hash_size: int = 16) -> np.ndarray:
    """Difference hash: grey, resized to (hash_size+1) x hash_size, each pixel brighter than its right neighbour."""
    grey = Image.fromarray(image).convert("L").resize((hash_size + 1, hash_size), Image.BILINEAR)
    pixels = np.asarray(grey, dtype=np.int16)
    return (pixels[:, 1:] > pixels[:, :-1]).reshape(-1)


def hamming_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise Hamming distances between rows of two 0/1 bit matrices."""
    a, b = a.astype(np.float32), b.astype(np.float32)
    return (a.sum(1)[:, None] + b.sum(1)[None, :] - 2 * a @ b.T).round().astype(np.int32)


def near_duplicate_rows(train: np.ndarray, evaluation: np.ndarray, method: str = "thumbnail",
                        min_cosine: float = 0.99, max_bits: int = 12, chunk: int = 4096) -> np.ndarray:
    """Indices of training images that are near-duplicates of any evaluation image."""
    if not len(evaluation) or not len(train):
        return np.zeros(0, dtype=np.int64)
    hits = []
    if method == "thumbnail":
        reference = thumbnail_embedding(evaluation)
        for start in range(0, len(train), chunk):
            close = (thumbnail_embedding(train[start:start + chunk]) @ reference.T).max(1) >= min_cosine
            hits.append(np.nonzero(close)[0] + start)
    elif method == "dhash":
        reference = np.stack([dhash_bits(img) for img in evaluation])
        for start in range(0, len(train), chunk):
            bits = np.stack([dhash_bits(img) for img in train[start:start + chunk]])
            hits.append(np.nonzero(hamming_matrix(bits, reference).min(1) <= max_bits)[0] + start)
    else:
        raise ValueError(f"de-dup method {method!r} is not 'thumbnail' or 'dhash'")
    return np.concatenate(hits)


def drop_near_duplicates(train: ImageTable, evaluation: list[np.ndarray], method: str = "thumbnail",
                         **limits) -> tuple[ImageTable, dict]:
    """The training table without near-duplicates of the evaluation images, and a report of what was dropped."""
    evaluation = np.concatenate([e for e in evaluation if len(e)]) if evaluation else np.zeros((0, 1, 1, 3), np.uint8)
    dropped = near_duplicate_rows(train.images, evaluation, method, **limits)
    keep = np.setdiff1d(np.arange(len(train)), dropped)
    report = {"train_images": len(train), "evaluation_images": int(len(evaluation)), "dropped": int(len(dropped)),
              "method": method, "limits": limits or "defaults", "dropped_keys": [train.keys[i] for i in dropped]}
    return train.subset(keep), report
