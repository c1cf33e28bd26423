"""The corpus and the evaluation images as cached feature arrays."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np

from .features import extract, feature_session


def _cached(cache: Path, key: str, paths: list[Path], bundle: Path, threads: int) -> tuple[np.ndarray, np.ndarray]:
    digest = hashlib.sha256(("\n".join(map(str, paths)) + str(bundle.resolve())).encode()).hexdigest()[:16]
    path = cache / f"{key}-{digest}.npz"
    if path.exists():
        stored = np.load(path)
        return stored["features"], stored["probabilities"]
    session, name, manifest = feature_session(bundle, threads)
    features, probabilities = extract(session, name, manifest, paths)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, features=features, probabilities=probabilities)
    return features, probabilities


def corpus_records(corpus: Path, heldout_packages: set[str]) -> list[dict]:
    """The corpus's labelled images, minus any whose source names a held-out package (a check after the build's own)."""
    records = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    def held(source: str) -> bool:
        return any(f"{p}:" in source or f"/usr/share/doc/{p}/" in source for p in heldout_packages)
    return [r for r in records if not held(r["source"])]


def corpus_features(corpus: Path, records: list[dict], bundle: Path, cache: Path, threads: int):
    """Features and ImageNet probabilities of the corpus images, computed once and cached."""
    return _cached(cache, "corpus-served", [corpus / r["file"] for r in records], bundle, threads)


def image_features(images: list[dict], bundle: Path, cache: Path, threads: int):
    """Features and ImageNet probabilities of evaluation images, computed once and cached."""
    return _cached(cache, "eval-served", [image["path"] for image in images], bundle, threads)


def group_split(records: list[dict], share: float, seed: int) -> np.ndarray:
    """A boolean mask of validation records, whole groups at a time: views of one source photo stay together."""
    def group(record: dict) -> str:
        source = record["source"].removeprefix("painted ")
        return source if record["kind"] in ("photo", "painting") else f"{record['kind']}:{record['index']}"
    groups = sorted({group(r) for r in records})
    random.Random(seed).shuffle(groups)
    held = set(groups[: round(share * len(groups))])
    return np.array([group(r) in held for r in records])
