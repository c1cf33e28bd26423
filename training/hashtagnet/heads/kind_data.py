"""Real labelled images for the kind decision: truth, package group, the rules' answer and evidence
(scripts/dump-kind-evidence.ts), the classifier's log-probabilities and the pooled trunk features (cached)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .data import image_features
from .evaluate import API_KIND, SET_KIND

KINDS = ("photo", "screenshot", "document", "chart", "drawing", "painting", "map", "diagram")
API = ("photo", "screenshot", "document", "chart", "drawing")
REFINEMENTS = Path(__file__).with_name("reference_labels.json")
# The evidence the kind tree weighs, in this order (the same names the service's KindEvidence uses).
EVIDENCE = ("backgroundLuma", "exact", "gradual", "white", "windowEdge", "textBearing", "screen", "read", "lines",
            "coverage", "panel", "ruled", "alpha")


def evidence_vector(row: dict) -> list[float]:
    """One image's evidence as numbers: luma scaled to 0-1, line count as log(1 + lines), the rest as they are."""
    s = row["statistics"]
    return [s["backgroundLuma"] / 255, s["exact"], s["gradual"], s["white"], s["windowEdge"], row["textBearing"],
            row["screen"], float(row["read"]), float(np.log1p(row["lines"])), row["coverage"], row["panel"],
            row["ruled"], float(row["alpha"])]


def fine_kind(item: dict, refinements: dict[str, str]) -> str:
    """The eight-kind truth: the label's subkind where it names one, the reference refinement, else its kind."""
    if item.get("subkind") in ("painting", "map", "diagram"):
        return item["subkind"]
    refined = refinements.get(item["file"]) or refinements.get(Path(item["file"]).name)
    return refined or SET_KIND.get(item["kind"], item["kind"])


def load_real(evidence_file: Path, label_files: list[Path], bundle: Path, cache: Path | None) -> dict:
    """Rows of the evidence dump (first occurrence of each image) joined with their labels and cached features
    (none without a cache: the log-probability heads need none)."""
    refinements = json.loads(REFINEMENTS.read_text())["kinds"]
    items = {}
    for label_file in label_files:
        root = label_file.resolve().parents[1]
        for item in json.loads(label_file.read_text())["images"]:
            path = Path(item["file"]) if item["file"].startswith("/") else root / item["file"]
            items.setdefault(str(path.resolve()), item)
    rows, seen = [], set()
    for line in evidence_file.read_text().splitlines():
        row = json.loads(line)
        key = str(Path(row["path"]).resolve())
        if key in seen or key not in items:
            continue
        seen.add(key)
        rows.append((key, row, items[key]))
    images = [{"path": Path(key)} for key, _, _ in rows]
    features = image_features(images, bundle, cache, 1)[0] if cache else np.zeros((len(rows), 1), np.float32)
    fine = [fine_kind(item, refinements) for _, _, item in rows]
    return {"files": [row["file"] for _, row, _ in rows], "paths": [key for key, _, _ in rows], "features": features.astype(np.float32),
            "logp": np.log(np.maximum(np.array([row["probabilities"] for _, row, _ in rows], np.float32), 1e-7)),
            "evidence": np.array([evidence_vector(row) for _, row, _ in rows], np.float32),
            "rule": [row["rule"] for _, row, _ in rows], "fine": fine, "truth": [API_KIND[k] for k in fine],
            "group": [item["source"]["package"] for _, _, item in rows]}


def group_folds(groups: list[str], folds: int, seed: int) -> np.ndarray:
    """Fold number of each row, whole packages at a time, largest packages first onto the emptiest fold."""
    counts: dict[str, int] = {}
    for g in groups:
        counts[g] = counts.get(g, 0) + 1
    rng = np.random.default_rng(seed)
    order = sorted(counts, key=lambda g: (-counts[g], rng.random()))
    sizes, fold_of = [0] * folds, {}
    for g in order:
        fold = int(np.argmin(sizes))
        fold_of[g], sizes[fold] = fold, sizes[fold] + counts[g]
    return np.array([fold_of[g] for g in groups])
