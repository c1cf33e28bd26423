"""The corpus and the evaluation images as cached feature arrays."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np

from .features import extract, feature_session
from .near_duplicates import near_duplicates


def _cached(cache: Path, key: str, paths: list[Path], bundle: Path, threads: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and probabilities of the paths, computing only those not in the cache file yet (which then grows)."""
    digest = hashlib.sha256(str(bundle.resolve()).encode()).hexdigest()[:12]
    path = cache / f"{key}-{digest}.npz"
    known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if path.exists():
        stored = np.load(path)
        known = {str(p): (f, q) for p, f, q in zip(stored["paths"], stored["features"], stored["probabilities"])}
    paths = [Path(p).resolve() for p in paths]
    missing = [p for p in dict.fromkeys(str(p) for p in paths) if p not in known]
    if missing:
        session, name, manifest = feature_session(bundle, threads)
        features, probabilities = extract(session, name, manifest, [Path(p) for p in missing])
        known.update({p: (f, q) for p, f, q in zip(missing, features, probabilities)})
        cache.mkdir(parents=True, exist_ok=True)
        names = sorted(known)
        np.savez(path, paths=np.array(names), features=np.stack([known[n][0] for n in names]),
                 probabilities=np.stack([known[n][1] for n in names]))
    return np.stack([known[str(p)][0] for p in paths]), np.stack([known[str(p)][1] for p in paths])


def photo_source(record: dict) -> str | None:
    """The file a photo or painting record was made from (its source is 'package:path' or 'painted package:path')."""
    if record["kind"] not in ("photo", "painting"):
        return None
    return record["source"].removeprefix("painted ").split(":", 1)[1]


def corpus_records(corpus: Path, heldout_packages: set[str], evaluation: list[Path]) -> tuple[list[dict], list[str]]:
    """The corpus's labelled images minus any whose source names a held-out package (a check after the build's own)
    or whose source photo is a near duplicate of an evaluation image; also the dropped source photos."""
    records = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    def held(source: str) -> bool:
        return any(f"{p}:" in source or f"/usr/share/doc/{p}/" in source for p in heldout_packages)
    sources = sorted({s for r in records if (s := photo_source(r))})
    duplicates = near_duplicates(sources, evaluation)
    return [r for r in records if not held(r["source"]) and photo_source(r) not in duplicates], sorted(duplicates)


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
