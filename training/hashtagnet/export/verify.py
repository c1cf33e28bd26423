"""Real-photo checks of an exported bundle: the top-1 class must sit under the expected WordNet ancestor."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hashtagnet.data import images
from hashtagnet.data.photos import LABELLED_PHOTOS, LabelledPhoto, variants
from hashtagnet.labels.hierarchy import build_hierarchy

from . import machine, runtime


def bundle_pixels(manifest: dict, path: Path) -> np.ndarray:
    """A photo resized by the bundle's own resize rule."""
    return images.resize_for_input(images.load_rgb(path), manifest["input"])


def real_photo_report(bundle_dir: Path, manifest: dict, photos: tuple[LabelledPhoto, ...] = LABELLED_PHOTOS) -> list[dict]:
    """For each labelled photo: the bundle's top-1 id, name, probability and whether it sits under an expected ancestor."""
    session = runtime.open_session(Path(bundle_dir) / manifest["model_file"])
    probabilities = runtime.predict(session, np.stack([bundle_pixels(manifest, p.path) for p in photos]))
    hierarchy = build_hierarchy(manifest["classes"], manifest["hierarchy"])
    report = []
    for photo, row in zip(photos, probabilities):
        top = int(row.argmax())
        top_class = manifest["classes"][top]
        lineage = hierarchy.ancestors(top)
        report.append({
            "photo": photo.path.name,
            "subject": photo.subject,
            "top1_id": top_class["id"],
            "top1_name": top_class["name"],
            "top1_probability": round(float(row[top]), 4),
            "expected_under": list(photo.expected_under),
            "ok": any(expected in lineage for expected in photo.expected_under),
        })
    return report


def view_accuracy(bundle_dir: Path, manifest: dict, photos: tuple[LabelledPhoto, ...] = LABELLED_PHOTOS) -> dict:
    """Share of crops and mirrors of each labelled photo whose top-1 sits under an expected ancestor, and the CPU."""
    spec = manifest["input"]
    session = runtime.open_session(Path(bundle_dir) / manifest["model_file"])
    hierarchy = build_hierarchy(manifest["classes"], manifest["hierarchy"])
    shares = {}
    for photo in photos:
        views = [images.resize_for_input(v, spec) for v in variants(images.load_rgb(photo.path))]
        top1 = runtime.predict(session, np.stack(views)).argmax(1)
        lineages = [hierarchy.ancestors(int(i)) for i in top1]
        shares[photo.path.name] = round(sum(any(e in l for e in photo.expected_under) for l in lineages) / len(views), 3)
    return {"views_per_photo": len(views), "share_under_expected": shares,
            "mean": round(sum(shares.values()) / len(shares), 3), "cpu": machine.cpu_model()}
