"""Decoded, labelled image tables built once from the stream (hashtag-labelled or labelled by folder)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from hashtagnet.labels.hashtags import Canonicaliser
from hashtagnet.labels.vocab import Coverage, Vocabulary

from .images import decode_for_model
from .stream import Record


@dataclass
class ImageTable:
    """uint8 images [N, H, W, 3], each image's class indices, the class ids in output order, and record keys."""

    images: np.ndarray
    labels: list[list[int]]
    classes: list[str]
    keys: list[str]

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, rows) -> "ImageTable":
        """The table restricted to `rows`, in that order."""
        rows = list(rows)
        return ImageTable(self.images[rows], [self.labels[r] for r in rows], self.classes, [self.keys[r] for r in rows])

    def single_labels(self) -> np.ndarray:
        """The first label of each image (for single-label target sets)."""
        return np.array([ls[0] for ls in self.labels])


def _stack(images: list[np.ndarray], size: int) -> np.ndarray:
    return np.stack(images) if images else np.zeros((0, size, size, 3), np.uint8)


def _apply_vocabulary(mappings: list, vocabulary: dict) -> tuple[Vocabulary, list[int], list[list[int]], dict]:
    """Fix the vocabulary ({targets: [...]} or {top_k: K}); kept rows, their labels, and the coverage report."""
    if vocabulary.get("targets"):
        vocab = Vocabulary.from_targets(list(vocabulary["targets"]))
    else:
        counts = Counter(wnid for ms in mappings for wnid in {m.wnid for m in ms if m.wnid})
        vocab = Vocabulary.top_k(counts, int(vocabulary["top_k"]))
    coverage, kept_rows, labels = Coverage(), [], []
    for row, image_mappings in enumerate(mappings):
        kept = vocab.labels(image_mappings)
        coverage.add(image_mappings, kept, vocab)
        if kept:
            kept_rows.append(row)
            labels.append(kept)
    return vocab, kept_rows, labels, coverage.report()


def hashtag_table(records: Iterable[Record], canon: Canonicaliser, size: int,
                  vocabulary: dict) -> tuple[ImageTable, Vocabulary, dict]:
    """Decode images and map hashtags to synsets; keep images with at least one kept label; report coverage."""
    images, mappings, keys = [], [], []
    for record in records:
        images.append(decode_for_model(record.image, size))
        mappings.append(canon.map_caption(record.text, record.hashtags))
        keys.append(record.key)
    vocab, kept_rows, labels, report = _apply_vocabulary(mappings, vocabulary)
    table = ImageTable(_stack([images[r] for r in kept_rows], size), labels, list(vocab.ids), [keys[r] for r in kept_rows])
    return table, vocab, report


def caption_coverage(records: Iterable[Record], canon: Canonicaliser, vocabulary: dict) -> dict:
    """The coverage report of a vocabulary over the captions alone (no image decoding)."""
    mappings = [canon.map_caption(record.text, record.hashtags) for record in records]
    return _apply_vocabulary(mappings, vocabulary)[3]


def labelled_table(records: Iterable[Record], size: int, classes: list[str] | None = None) -> ImageTable:
    """A single-label table from records that carry a class id (folders or a labelled manifest)."""
    rows = [(decode_for_model(r.image, size), r.label, r.key) for r in records]
    classes = classes or sorted({label for _, label, _ in rows})
    index = {c: i for i, c in enumerate(classes)}
    unknown = sorted({label for _, label, _ in rows if label not in index})
    if unknown:
        raise ValueError(f"labels not in the class list: {unknown[:5]}")
    return ImageTable(_stack([r[0] for r in rows], size), [[index[r[1]]] for r in rows], classes, [r[2] for r in rows])
